import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { CloseCode, type AnyFrame, type ServerFrame } from '../protocol/index.js';
import { SESSION_CLOCK_TOLERANCE_S, type SessionClaims } from './session-tokens.js';

/** One authenticated WebSocket: who it is and how to reach it. */
export class ClientConnection {
  readonly id = randomUUID();
  /** When the last frame (or pong) arrived, for the liveness sweep. */
  lastSeen = Date.now();
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly session: SessionClaims,
    readonly messaging: boolean,
  ) {
    // The socket closes when its session token expires; a client reconnects with a fresh one.
    // Same leeway as token verification, so a token accepted at the upgrade is not dropped at once.
    const msLeft = (session.exp + SESSION_CLOCK_TOLERANCE_S) * 1000 - Date.now();
    this.expiryTimer = setTimeout(() => this.close(CloseCode.SessionEnded, 'session expired'), Math.max(0, Math.min(msLeft, 2 ** 31 - 1)));
    this.expiryTimer.unref();
  }

  get appId(): string {
    return this.session.app;
  }
  get uid(): string {
    return this.session.uid;
  }

  send(frame: ServerFrame | AnyFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    clearTimeout(this.expiryTimer);
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  dispose(): void {
    clearTimeout(this.expiryTimer);
  }
}

/** Every live connection, by app and user: one user may have several (tabs, devices). */
export class ConnectionRegistry {
  private readonly byApp = new Map<string, Map<string, Set<ClientConnection>>>();
  private count = 0;

  add(connection: ClientConnection): void {
    let users = this.byApp.get(connection.appId);
    if (!users) this.byApp.set(connection.appId, (users = new Map()));
    let set = users.get(connection.uid);
    if (!set) users.set(connection.uid, (set = new Set()));
    if (!set.has(connection)) {
      set.add(connection);
      this.count++;
    }
  }

  remove(connection: ClientConnection): void {
    const users = this.byApp.get(connection.appId);
    const set = users?.get(connection.uid);
    if (!set?.delete(connection)) return;
    this.count--;
    if (set.size === 0) users!.delete(connection.uid);
    if (users!.size === 0) this.byApp.delete(connection.appId);
  }

  /** The connections of one user of one app; never another app's. */
  forUser(appId: string, uid: string): ReadonlySet<ClientConnection> {
    return this.byApp.get(appId)?.get(uid) ?? new Set();
  }

  /** Every connection of one app (a copy: closing them while iterating is safe). */
  forApp(appId: string): ClientConnection[] {
    const users = this.byApp.get(appId);
    return users ? [...users.values()].flatMap((set) => [...set]) : [];
  }

  get size(): number {
    return this.count;
  }

  *all(): IterableIterator<ClientConnection> {
    for (const users of this.byApp.values()) for (const set of users.values()) yield* set;
  }
}
