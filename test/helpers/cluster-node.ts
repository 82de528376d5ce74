import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TcpBalancer } from './tcp-balancer.js';
import { waitFor, withDeadline } from './wait.js';

/** A node of a test cluster (cluster.ts): `oovoo-server start` in a child process, and the CLI's other commands. */
export interface ClusterNode {
  /** Its backend index in the balancer (and in `cluster.nodes`). */
  readonly index: number;
  readonly dataDir: string;
  /** http://127.0.0.1:PORT of the current run; throws while the node is down. */
  readonly url: string;
  readonly running: boolean;
  readonly pid: number | undefined;
  /** What every run of it printed (stdout and stderr), in order. */
  output(): string;
  /** Starts it (again: on a new port, which the balancer then routes to); resolves once it listens. */
  start(): Promise<void>;
  /** Sends the signal (default SIGKILL) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A clean stop: SIGTERM, then SIGKILL if it has not exited within `deadlineMs` (default 10 s). */
  stop(deadlineMs?: number): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_URL = pathToFileURL(join(ROOT, 'src/server/cli.ts')).href;
/**
 * What a node process runs: the CLI's main on the source (through tsx). It also ends when its stdin
 * closes, which happens when this test process dies without stopping it.
 */
const NODE_MAIN = `
process.stdin.on('end', () => {
  setTimeout(() => process.exit(1), 5000).unref();
  process.kill(process.pid, 'SIGTERM');
});
process.stdin.resume();
const { main } = await import(${JSON.stringify(CLI_URL)});
const code = await main(process.argv.slice(1));
if (code !== 0) process.exit(code);
`;
/** What runCli runs: one command of the CLI, its exit code the process's. */
const CLI_MAIN = `
const { main } = await import(${JSON.stringify(CLI_URL)});
process.exitCode = await main(process.argv.slice(1));
`;
/** A cold start compiles the server through tsx: slow on a busy 2-core machine. */
const START_TIMEOUT_MS = 90_000;

/** One node: a child process of the CLI's `start`, started again as often as a test likes. */
export class ClusterNodeProcess implements ClusterNode {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log = '';
  private currentUrl: string | undefined;

  constructor(
    readonly index: number,
    readonly dataDir: string,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly balancer: TcpBalancer,
  ) {}

  get url(): string {
    if (!this.currentUrl) throw new Error(`node ${this.index} is down`);
    return this.currentUrl;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  output(): string {
    return this.log;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`node ${this.index} is already running`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', NODE_MAIN, ...this.args, '--data', this.dataDir],
      { cwd: ROOT, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child = child;
    const from = this.log.length;
    let gone = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        gone = true;
        this.log += `[node ${this.index} exited: ${signal ?? code}]\n`;
        if (this.child === child) {
          this.child = undefined;
          this.currentUrl = undefined;
          this.balancer.setBackend(this.index, undefined);
        }
        resolve();
      }),
    );
    child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stdin!.on('error', () => undefined); // a node that died closes its end first
    try {
      const url = await waitFor(
        () => {
          if (gone) throw new Error(`node ${this.index} exited before listening:\n${this.log.slice(from)}`);
          return /oovoo-server listening on (http:\/\/[^\s]+)/.exec(this.log.slice(from))?.[1] ?? '';
        },
        { what: `node ${this.index} to listen`, timeoutMs: START_TIMEOUT_MS, intervalMs: 50 },
      );
      this.currentUrl = url;
      const { hostname, port } = new URL(url);
      this.balancer.setBackend(this.index, { host: hostname, port: Number(port) });
    } catch (e) {
      await this.kill('SIGKILL');
      throw e;
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    await withDeadline(this.exited, { what: `the exit of node ${this.index} after ${signal}`, timeoutMs: 30_000 });
  }

  async stop(deadlineMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    try {
      await withDeadline(this.exited, { what: `node ${this.index} to stop`, timeoutMs: deadlineMs });
    } catch {
      this.log += `[node ${this.index} did not stop within ${deadlineMs} ms of SIGTERM: killed]\n`;
      await this.kill('SIGKILL');
    }
  }
}

/** Runs one CLI command (`oovoo-server ...args`) in a child process with `env`; resolves with its output. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLI_MAIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr })),
  );
  try {
    return await withDeadline(done, { what: `oovoo-server ${args.slice(0, 2).join(' ')} to exit`, timeoutMs });
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}
