// `oovoo-server start --janus auto`: a local Janus the server starts with a config it writes into
// DATA/janus/ (WebSocket transport on a free loopback port, a generated VideoRoom admin key), restarts
// with a bounded backoff when it exits on its own, and stops when the server closes. The JanusClient
// of SfuMedia reconnects to the restarted Janus by itself (same URL) and rebuilds the rooms.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createNanoEvents, type Unsubscribe } from 'nanoevents';
import { JanusProcess, findFreePort, type JanusProcessOptions } from './janus-process.js';

/** The value of --janus (and $OOVOO_JANUS_URL) that asks for a local, supervised Janus. */
export const AUTO_JANUS = 'auto';

/** What --janus auto may be told about the Janus it starts. */
export interface LocalJanusOptions {
  /** UDP ports for media, inclusive (default 20000-40000): open them to browsers. */
  readonly rtpPortRange?: readonly [number, number];
  /** The only interfaces Janus gathers ICE candidates on (Janus never uses loopback). */
  readonly iceInterfaces?: readonly string[];
  /** The public address browsers reach this machine at, when it sits behind 1:1 NAT (a cloud VM). */
  readonly publicIp?: string;
  /** The Janus executable (default: `janus` found on PATH). */
  readonly binary?: string;
}

/** The part of a pino logger the supervisor uses. */
export interface SupervisorLog {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface JanusSupervisorOptions extends LocalJanusOptions {
  /** The folder Janus's config is written to (DATA/janus). */
  readonly dir: string;
  /** The VideoRoom admin key written into the config. */
  readonly adminKey: string;
  readonly log: SupervisorLog;
  /** Delay before the first restart, doubled after each quick exit up to `max` (default 500 ms to 30 s). */
  readonly restartDelayMs?: { readonly initial: number; readonly max: number };
  /** Restarts in a row, each exiting before `stableAfterMs`, before giving up (default 8). */
  readonly maxRestarts?: number;
  /** A Janus that ran this long resets the backoff (default 60 s). */
  readonly stableAfterMs?: number;
}

const LOGGED_LINES = 12;

/** The Janus executable on `path` (a PATH-style list), or undefined. */
export function findJanusBinary(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'janus');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export class JanusSupervisor {
  private readonly emitter = createNanoEvents<{ restart: (info: { pid: number | undefined }) => void }>();
  private current: JanusProcess | undefined;
  private starting: Promise<JanusProcess> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private quickExits = 0;
  private stopped = false;

  private constructor(
    private readonly options: JanusSupervisorOptions,
    private readonly processOptions: JanusProcessOptions,
    /** The Janus API over WebSocket, the same across restarts. */
    readonly url: string,
  ) {}

  /** Writes the config, starts Janus on a free loopback port and resolves once it answers. */
  static async start(options: JanusSupervisorOptions): Promise<JanusSupervisor> {
    const binary = options.binary ?? findJanusBinary();
    if (!binary)
      throw new Error(
        '--janus auto needs Janus, and no janus program is on PATH: install the Debian package janus ' +
          '(apt-get install janus), or run Janus elsewhere and pass --janus ws://HOST:8188',
      );
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const processOptions: JanusProcessOptions = {
      dir: options.dir,
      binary,
      wsPort: await findFreePort(),
      rtpPortRange: options.rtpPortRange,
      iceEnforceList: options.iceInterfaces,
      nat1to1Ip: options.publicIp,
      videoroomAdminKey: options.adminKey,
    };
    const janus = await JanusProcess.start(processOptions);
    const supervisor = new JanusSupervisor(options, processOptions, janus.url);
    supervisor.watch(janus);
    options.log.info({ pid: janus.pid, url: janus.url, dir: options.dir }, 'started a local Janus');
    return supervisor;
  }

  /** The PID of the running Janus; undefined between an exit and its restart. */
  get pid(): number | undefined {
    return this.current?.running ? this.current.pid : undefined;
  }

  /** Fires after each restart, with the new Janus's PID. */
  onRestart(listener: (info: { pid: number | undefined }) => void): Unsubscribe {
    return this.emitter.on('restart', listener);
  }

  /** Stops Janus (by its PID) and any restart in progress; no restart follows. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const starting = await this.starting?.catch(() => undefined);
    await starting?.stop();
    await this.current?.stop();
  }

  private watch(janus: JanusProcess): void {
    this.current = janus;
    this.startedAt = Date.now();
    janus.onExit((exit) => {
      if (exit.expected || this.stopped) return;
      this.exitedOnItsOwn({ code: exit.code, signal: exit.signal, lastLines: exit.lastLines.slice(-LOGGED_LINES) });
    });
  }

  private exitedOnItsOwn(details: object): void {
    const { initial, max } = this.options.restartDelayMs ?? { initial: 500, max: 30_000 };
    if (Date.now() - this.startedAt >= (this.options.stableAfterMs ?? 60_000)) this.quickExits = 0;
    this.quickExits++;
    if (this.quickExits > (this.options.maxRestarts ?? 8)) {
      this.options.log.error(
        { ...details, restarts: this.quickExits - 1 },
        'the local Janus keeps exiting: no more restarts; rooms stay a mesh (restart oovoo-server to try again)',
      );
      return;
    }
    const restartInMs = Math.min(max, initial * 2 ** (this.quickExits - 1));
    this.options.log.error({ ...details, restartInMs }, 'the local Janus exited: restarting it');
    this.timer = setTimeout(() => void this.restart(), restartInMs);
  }

  private async restart(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    this.startedAt = Date.now();
    this.starting = JanusProcess.start(this.processOptions);
    let janus: JanusProcess;
    try {
      janus = await this.starting;
    } catch (e) {
      if (!this.stopped) this.exitedOnItsOwn({ err: (e as Error).message.split('\n').slice(-LOGGED_LINES) });
      return;
    } finally {
      this.starting = undefined;
    }
    if (this.stopped) return void (await janus.stop());
    this.watch(janus);
    this.options.log.info({ pid: janus.pid, url: janus.url }, 'restarted the local Janus');
    this.emitter.emit('restart', { pid: janus.pid });
  }
}

/**
 * For `janusUrl: 'auto'`: starts a supervised Janus in DATA/janus and returns the SFU options with
 * its URL and admin key (one is generated unless given). Other SFU options come back unchanged.
 */
export async function startLocalJanus<T extends { janusUrl: string; adminKey?: string; local?: LocalJanusOptions }>(
  sfu: T | undefined,
  dataDir: string,
  log: SupervisorLog,
): Promise<{ sfu: T | undefined; supervisor: JanusSupervisor | undefined }> {
  if (sfu?.janusUrl !== AUTO_JANUS) return { sfu, supervisor: undefined };
  const adminKey = sfu.adminKey ?? randomBytes(24).toString('base64url');
  const supervisor = await JanusSupervisor.start({ ...sfu.local, dir: join(dataDir, 'janus'), adminKey, log });
  return { sfu: { ...sfu, janusUrl: supervisor.url, adminKey }, supervisor };
}
