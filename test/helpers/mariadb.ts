import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitFor } from './wait.js';

/**
 * A real MariaDB for a test file: mariadb-install-db and mariadbd in a temp folder on a free loopback
 * port, run as the `mysql` user when this process is root (as PostgreSQL in postgres.ts), stopped by its
 * PID. Debian's package `mariadb-server` provides it (npm test installs it for the WordPress suite); the
 * system's own MariaDB service is never touched.
 */
export interface TestMariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** A fresh database and a user with every right on it (over TCP from 127.0.0.1). */
  newDatabase(name: string): { name: string; user: string; password: string };
  /** Its log so far. */
  log(): string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** The uid and gid to run MariaDB as: `mysql` when root (mariadbd refuses root), else this process's own. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('mysql:'));
  if (!line) throw new Error('no mysql user: install the mariadb-server package');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startMariaDb(): Promise<TestMariaDb> {
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-mariadb-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const socket = join(dir, 'mariadb.sock');
  const asUser: SpawnSyncOptions = { ...(user ?? {}), cwd: dir, encoding: 'utf8' };
  // root@localhost with an empty password (over the socket only): the test's own administrator.
  const init = spawnSync(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
    asUser,
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${String(init.stdout)}${String(init.stderr)}`);
  }
  const port = await freePort();
  let log = '';
  // A small shell owns the server, and stops it and removes its folder when its stdin closes: when stop()
  // closes it, and also when this process dies without running its `after` hooks.
  const server: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      '"$@" </dev/null & pid=$!; cat >/dev/null; kill -TERM $pid; wait $pid; rm -rf "$OOVOO_MARIADB_DIR"',
      'mariadb-watchdog',
      'mariadbd',
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      '--skip-log-bin',
      // A test's database need not survive a power cut: no flush per commit, a small buffer pool.
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=32M',
    ],
    {
      ...(user ?? {}),
      cwd: dir,
      env: { ...process.env, OOVOO_MARIADB_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    server.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async () => {
    if (!exited) server.stdin!.end();
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (exited) throw new Error(`mariadbd exited: ${log}`);
        return log;
      },
      (text) => text.includes('ready for connections'),
      { what: 'MariaDB to accept connections', timeoutMs: 60_000, intervalMs: 50 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    log: () => log,
    stop,
    newDatabase(name) {
      if (!/^\w+$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const password = `pw-${Math.random().toString(36).slice(2)}`;
      const sql =
        `CREATE DATABASE ${name} CHARACTER SET utf8mb4; ` +
        `CREATE USER '${name}'@'127.0.0.1' IDENTIFIED BY '${password}'; ` +
        `GRANT ALL ON ${name}.* TO '${name}'@'127.0.0.1';`;
      const ran = spawnSync('mariadb', ['--no-defaults', `--socket=${socket}`, '-u', 'root', '-e', sql], {
        encoding: 'utf8',
      });
      if (ran.status !== 0) throw new Error(`creating database ${name} failed: ${ran.stderr}`);
      return { name, user: name, password };
    },
  };
}
