import type { FastifyBaseLogger } from 'fastify';
import { CloseCode, ErrorCode, errorInfo } from '../protocol/index.js';
import type { ClientConnection, ConnectionRegistry } from './connections.js';
import type { Store } from './store/types.js';

/** Changes read per store query; a longer backlog is read in several. */
const BATCH = 500;

/**
 * Ends open sessions whose access the store no longer grants: every socket of a blocked app
 * (-30004), of a deleted app, and of sessions issued by a revoked app token (-30001). Each gets an
 * error frame with the code, then a SessionEnded close, which the SDK treats as final.
 *
 * It learns of changes two ways. In this process, AppService tells it directly and waits, so a
 * portal action has taken effect when it answers. Other processes on the same data (the CLI, or
 * another server on a shared database) write the store's access change feed in the same transaction
 * as the change; this polls that feed every `intervalMs`. Polling the store was chosen over an admin
 * endpoint the CLI would call: it needs no server address, credentials or running server, cannot be
 * forgotten by a writer (the store writes the row), and costs one indexed query per interval.
 * Reconnects and /1.0/session/verify check the store themselves (routes/login.ts), so a change made
 * while no server runs is enforced too.
 */
export class AccessWatcher {
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;
  private readonly rechecks = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      readonly store: Store;
      readonly connections: ConnectionRegistry;
      readonly log: FastifyBaseLogger;
    },
    private readonly intervalMs: number,
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs < 10)
      throw new Error('the access check interval must be at least 10 ms');
  }

  /** Starts polling from the feed's current end: changes before now are enforced at each connect. */
  async start(): Promise<void> {
    this.cursor = await this.deps.store.accessChanges.latest();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const timer of this.rechecks) clearTimeout(timer);
    this.rechecks.clear();
  }

  /** An app's access changed in this process: enforce it now. */
  async appChanged(appId: string): Promise<void> {
    await this.handle(appId);
  }

  /** Reads the feed past the cursor and enforces every app named there. Never overlaps itself. */
  async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      for (;;) {
        const changes = await this.deps.store.accessChanges.since(this.cursor, BATCH);
        if (changes.length === 0) break;
        this.cursor = changes[changes.length - 1]!.seq;
        for (const appId of new Set(changes.map((c) => c.appId))) await this.handle(appId);
        if (changes.length < BATCH) break;
      }
    } catch (err) {
      this.deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'access change poll failed');
    } finally {
      this.polling = false;
    }
  }

  /**
   * Enforces now, and once more an interval later: a socket whose upgrade checked the store just
   * before the change joins the registry after this first pass.
   */
  private async handle(appId: string): Promise<void> {
    await this.enforce(appId);
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.rechecks.delete(timer);
      if (!this.stopped) void this.enforce(appId);
    }, this.intervalMs);
    timer.unref();
    this.rechecks.add(timer);
  }

  private async enforce(appId: string): Promise<void> {
    try {
      if (this.deps.connections.forApp(appId).length === 0) return;
      const app = await this.deps.store.apps.get(appId);
      if (!app) return this.end(appId, () => true, ErrorCode.InvalidToken, 'The app no longer exists.', 'app deleted');
      if (app.blocked) return this.end(appId, () => true, ErrorCode.BlockedAppId, undefined, 'app blocked');
      const live = new Set(
        (await this.deps.store.tokens.listForApp(appId)).filter((t) => t.revokedAt === null).map((t) => t.id),
      );
      this.end(
        appId,
        (c) => !live.has(c.session.atk),
        ErrorCode.InvalidToken,
        'The app token that issued this session was revoked.',
        'session revoked',
      );
    } catch (err) {
      this.deps.log.warn({ err: err instanceof Error ? err.message : String(err), appId }, 'access check failed');
    }
  }

  /** Tells each chosen connection why (an error frame), then closes it as ended. */
  private end(
    appId: string,
    chosen: (c: ClientConnection) => boolean,
    code: number,
    description: string | undefined,
    reason: string,
  ): void {
    let ended = 0;
    for (const connection of this.deps.connections.forApp(appId)) {
      if (!chosen(connection)) continue;
      connection.send({ t: 'error', error: errorInfo(code, description) });
      connection.close(CloseCode.SessionEnded, reason);
      ended++;
    }
    if (ended > 0) this.deps.log.info({ appId, ended, code }, 'sessions ended: app access changed');
  }
}
