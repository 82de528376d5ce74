import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { waitFor } from './wait.js';

/**
 * A real Redis for a test file: redis-server on a free loopback port with its folder in a temp
 * folder, nothing saved to disk, stopped by its PID. Debian's package `redis-server` provides it
 * (scripts/system-packages.mjs installs it for the suites that need it).
 */
export interface TestRedis {
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** A client of this server (ioredis), for looking at what the nodes did; stop() disconnects it. */
  client(): Redis;
  /** Its log so far. */
  log(): string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** PING once; what it answered, or why it did not. */
async function ping(port: number): Promise<string> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // the failed connect is the answer, not an event to report
  try {
    await client.connect();
    return await client.ping();
  } catch (e) {
    return (e as Error).message;
  } finally {
    client.disconnect();
  }
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-redis-'));
  const port = await freePort();
  let log = '';
  // A small shell owns the server and stops it and removes its folder when its stdin closes: when
  // stop() closes it, and also when this process dies without running its `after` hooks.
  const server: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      '"$@" </dev/null & pid=$!; cat >/dev/null; kill -TERM $pid; wait $pid; rm -rf "$OOVOO_REDIS_DIR"',
      'redis-watchdog',
      'redis-server',
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      ...['--daemonize', 'no', '--dir', dir],
    ],
    { cwd: dir, env: { ...process.env, OOVOO_REDIS_DIR: dir }, stdio: ['pipe', 'pipe', 'pipe'] },
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
  const clients: Redis[] = [];
  const stop = async () => {
    for (const c of clients.splice(0)) c.disconnect();
    if (!exited) server.stdin!.end();
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (exited && /not found/.test(log))
          throw new Error('redis-server is not installed: node scripts/system-packages.mjs redis-server installs it');
        if (exited) throw new Error(`redis-server exited: ${log}`);
        return ping(port);
      },
      (answer) => answer === 'PONG',
      { what: 'Redis to answer PING', timeoutMs: 30_000, intervalMs: 50 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    log: () => log,
    stop,
    client() {
      const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
      client.on('error', () => undefined); // a test that stops Redis sees its commands fail instead
      clients.push(client);
      return client;
    },
  };
}
