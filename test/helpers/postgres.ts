import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { waitFor } from './wait.js';

/**
 * A real PostgreSQL for a test file: initdb and the server in a temp folder on a free loopback
 * port, run as the `postgres` user when this process is root (PostgreSQL refuses to run as root),
 * stopped by its PID. Debian's package `postgresql` provides the binaries (npm test installs it).
 */
export interface TestPostgres {
  /** postgres://… of the `postgres` database (for administration). */
  readonly url: string;
  readonly port: number;
  /** A fresh, empty database; returns its URL. */
  newDatabase(): Promise<string>;
  /** Its log so far. */
  log(): string;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/** Debian keeps the binaries under /usr/lib/postgresql/<major>/bin, off PATH. */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = join(base, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL is not installed: npm test installs it (apt-get install postgresql)');
}

/** The uid and gid to run PostgreSQL as: the `postgres` user when root, else this process's own. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no postgres user: install the postgresql package');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

let databases = 0;

/**
 * Starts PostgreSQL. `durable: false` (the default for tests) turns off fsync: a test's database
 * need not survive a power cut, and a busy machine's disk is the slowest part of a commit.
 * `settings`: more server settings (`name=value`).
 */
export async function startPostgres(
  options: { durable?: boolean; settings?: readonly string[] } = {},
): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const asUser: SpawnSyncOptions = { ...(user ?? {}), cwd: dir, encoding: 'utf8' };
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], asUser);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String(init.stderr)}`);
  }
  const port = await freePort();
  const settings = [
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
  ];
  let log = '';
  // A small shell owns the server and stops it (fast shutdown) and removes its folder when its stdin
  // closes: when stop() closes it, and also when this process dies without running its `after` hooks.
  const server: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      '"$@" </dev/null & pid=$!; cat >/dev/null; kill -INT $pid; wait $pid; rm -rf "$OOVOO_PG_DIR"',
      'postgres-watchdog',
      join(bin, 'postgres'),
      ...['-D', data, '-k', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...settings],
    ],
    { ...(user ?? {}), cwd: dir, env: { ...process.env, OOVOO_PG_DIR: dir }, stdio: ['pipe', 'pipe', 'pipe'] },
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
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (!exited) server.stdin!.end();
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (exited) throw new Error(`postgres exited: ${log}`);
        return log;
      },
      (text) => text.includes('database system is ready to accept connections'),
      { what: 'PostgreSQL to accept connections', timeoutMs: 60_000, intervalMs: 50 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    port,
    log: () => log,
    stop,
    async newDatabase() {
      const name = `oovoo_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
