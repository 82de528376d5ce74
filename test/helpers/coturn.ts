import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { waitFor } from './wait.js';

/** A free UDP port on loopback (coturn listens on it for UDP and TCP). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface TestCoturn {
  /** Where it listens, UDP and TCP. */
  readonly port: number;
  /** Its log so far. */
  log(): string;
  stop(): void;
}

/** coturn in the foreground on loopback, checking TURN REST (shared-secret) credentials. */
export async function startCoturn(secret: string): Promise<TestCoturn> {
  const port = await freeUdpPort();
  const minPort = 50_000 + Math.floor(Math.random() * 10_000);
  let log = '';
  const turn: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      '-v',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--log-file=stdout',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 100}`,
      '--allow-loopback-peers',
      '--fingerprint',
      '--realm=oovoo.test',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  turn.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  turn.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(
    () => log,
    (text) => /listener opened|Total General servers/i.test(text),
    { what: 'coturn to listen', timeoutMs: 10_000, intervalMs: 100 },
  );
  return { port, log: () => log, stop: () => void turn.kill('SIGTERM') };
}
