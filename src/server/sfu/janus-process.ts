// A local Janus we start and supervise: its config written into a folder we own, the process in the
// foreground (`janus -C DIR/janus.jcfg -F DIR -o`), ready once its WebSocket answers `info`, stopped
// by its PID (SIGINT, then SIGKILL after a timeout). An exit we did not ask for is reported with the
// last lines Janus logged. `oovoo-server start --janus auto` and the SFU tests use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createNanoEvents, type Unsubscribe } from 'nanoevents';
import WebSocket from 'ws';
import { writeJanusConfig, type JanusConfigOptions } from './janus-config.js';

export interface JanusProcessOptions extends JanusConfigOptions {
  /** The folder the config is written to (Janus's configs folder). */
  readonly dir: string;
  /** The Janus executable (default `janus` on PATH). */
  readonly binary?: string;
  /** How long Janus may take to answer `info` (default 15 s). */
  readonly startTimeoutMs?: number;
  /** How long after SIGINT before SIGKILL (default 5 s). */
  readonly stopTimeoutMs?: number;
}

export interface JanusExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when stop() asked for it. */
  readonly expected: boolean;
  /** The last lines Janus wrote, for the log of an unexpected exit. */
  readonly lastLines: readonly string[];
}

const KEPT_LINES = 60;

/** A TCP port free on `host` right now (the kernel's pick for port 0). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when Janus at `url` answers `info` over its WebSocket transport; rejects on any failure. */
export function probeJanus(url: string, timeoutMs = 2_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'janus-protocol', { handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => finish(new Error('no answer to info')), timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      if (error) reject(error);
      else resolve();
    };
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new Error('closed before answering info')));
    socket.on('open', () => socket.send(JSON.stringify({ janus: 'info', transaction: 'probe' })));
    socket.on('message', (data) => {
      const text = String(data);
      if (text.includes('"server_info"')) finish();
    });
  });
}

export class JanusProcess {
  private readonly emitter = createNanoEvents<{ exit: (exit: JanusExit) => void }>();
  private readonly lines: string[] = [];
  private stopping = false;
  private exitInfo: JanusExit | undefined;
  /** Settles when the process has exited, whatever the cause. */
  readonly exited: Promise<JanusExit>;

  private constructor(
    private readonly child: ChildProcess,
    /** The Janus API over WebSocket, e.g. ws://127.0.0.1:8188 */
    readonly url: string,
    private readonly stopTimeoutMs: number,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.lines.push(line);
        if (this.lines.length > KEPT_LINES) this.lines.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // Janus must not outlive this process: a normal exit of ours (even by an uncaught error) takes it along.
    const onOwnerExit = () => this.signal('SIGKILL');
    process.once('exit', onOwnerExit);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        process.off('exit', onOwnerExit);
        this.exitInfo = { code, signal, expected: this.stopping, lastLines: [...this.lines] };
        this.emitter.emit('exit', this.exitInfo);
        resolve(this.exitInfo);
      });
    });
  }

  /** Writes the config into `options.dir`, starts Janus and resolves once its WebSocket answers. */
  static async start(options: JanusProcessOptions): Promise<JanusProcess> {
    const config = writeJanusConfig(options.dir, options);
    const child = spawn(options.binary ?? 'janus', ['-C', config, '-F', options.dir, '-o'], {
      cwd: options.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (e) => resolve(e));
    });
    if (spawned) throw new Error(`Could not start Janus (${options.binary ?? 'janus'}): ${spawned.message}`);
    const url = `ws://${options.bindIp ?? '127.0.0.1'}:${options.wsPort}`;
    const janus = new JanusProcess(child, url, options.stopTimeoutMs ?? 5_000);
    const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
    for (;;) {
      if (janus.exitInfo) throw new Error(`Janus exited while starting:\n${janus.exitInfo.lastLines.join('\n')}`);
      try {
        await probeJanus(url, 1_000);
        return janus;
      } catch (e) {
        if (Date.now() > deadline) {
          await janus.stop();
          throw new Error(`Janus did not answer on ${url}: ${(e as Error).message}\n${janus.lines.join('\n')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines Janus logged. */
  get recentLog(): readonly string[] {
    return [...this.lines];
  }

  /** Fires once when Janus exits; `expected` is false for a crash or a kill we did not ask for. */
  onExit(listener: (exit: JanusExit) => void): Unsubscribe {
    return this.emitter.on('exit', listener);
  }

  /** Stops Janus by its PID: SIGINT, then SIGKILL when it has not exited after the stop timeout. */
  async stop(): Promise<JanusExit> {
    if (this.exitInfo) return this.exitInfo;
    this.stopping = true;
    this.signal('SIGINT');
    const timer = setTimeout(() => this.signal('SIGKILL'), this.stopTimeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exitInfo) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone: 'exit' follows
    }
  }
}
