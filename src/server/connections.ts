import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { CloseCode, type AnyFrame, type ConferenceRole, type ServerFrame } from '../protocol/index.js';
import type { Peer } from './peer.js';
import { SESSION_CLOCK_TOLERANCE_S, type SessionClaims } from './session-tokens.js';
import { SOCKET_LIMIT_DEFAULTS, type ResolvedSocketLimits } from './socket-limits.js';

/**
 * Frames a slow reader may miss: best effort by contract (the SDK's sendData, typing signals), so
 * dropped before anything else.
 */
const DROPPABLE_FRAMES: ReadonlySet<string> = new Set(['conf.data', 'msg.typing']);

/** One authenticated WebSocket on this node: who it is and how to reach it (the local kind of {@link Peer}). */
export class ClientConnection implements Peer {
  readonly id = randomUUID();
  /** When the last frame (or pong) arrived, for the liveness sweep. */
  lastSeen = Date.now();
  private expiryTimer: NodeJS.Timeout | undefined;
  private terminateTimer: NodeJS.Timeout | undefined;
  /** Bytes of droppable frames dropped since the reader last caught up. */
  private droppedBytes = 0;
  /** Droppable frames dropped because this socket's reader was behind (for logs and tests). */
  droppedFrames = 0;

  constructor(
    readonly socket: WebSocket,
    readonly session: SessionClaims,
    readonly messaging: boolean,
    private readonly limits: ResolvedSocketLimits = SOCKET_LIMIT_DEFAULTS,
  ) {
    // The socket closes when its session token expires; a client reconnects with a fresh one.
    // Same leeway as token verification, so a token accepted at the upgrade is not dropped at once.
    const msLeft = (session.exp + SESSION_CLOCK_TOLERANCE_S) * 1000 - Date.now();
    this.expiryTimer = setTimeout(
      () => this.close(CloseCode.SessionEnded, 'session expired'),
      Math.max(0, Math.min(msLeft, 2 ** 31 - 1)),
    );
    this.expiryTimer.unref();
  }

  get appId(): string {
    return this.session.app;
  }
  get uid(): string {
    return this.session.uid;
  }
  get role(): ConferenceRole {
    return this.session.role;
  }

  /**
   * Queues a frame, within the socket's byte budget: past `sendBufferDropBytes` waiting, a
   * droppable frame is dropped; a frame that would take the queue past `sendBufferMaxBytes` (or
   * that much dropped without the reader catching up) closes the socket with 1013 instead, so a
   * reader that stopped reading costs at most that much memory. Returns whether it was queued.
   */
  send(frame: ServerFrame | AnyFrame): boolean {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return false;
    const text = JSON.stringify(frame);
    const bytes = Buffer.byteLength(text);
    const buffered = socket.bufferedAmount;
    const { sendBufferDropBytes, sendBufferMaxBytes } = this.limits;
    if (buffered + bytes > sendBufferDropBytes) {
      if (DROPPABLE_FRAMES.has(frame.t)) {
        this.droppedFrames++;
        this.droppedBytes += bytes;
        if (this.droppedBytes > sendBufferMaxBytes) this.closeSlowReader();
        return false;
      }
      // An empty queue takes any one frame, so a frame larger than the budget (a full inbox page) still goes out.
      if (buffered > 0 && buffered + bytes > sendBufferMaxBytes) {
        this.closeSlowReader();
        return false;
      }
    } else {
      this.droppedBytes = 0;
    }
    socket.send(text);
    return true;
  }

  /**
   * Resolves once everything queued for this socket has been handed to the network (or the socket
   * closed): a sender of many large frames (an inbox catch-up) waits here between them, so that
   * each goes out on an empty queue and none closes a reader that keeps up.
   */
  async drained(pollMs = 10): Promise<void> {
    while (this.socket.readyState === this.socket.OPEN && this.socket.bufferedAmount > 0) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  close(code: number, reason: string): void {
    clearTimeout(this.expiryTimer);
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  /**
   * Closes, and cuts the socket if the peer has not completed the close within `closeTimeoutMs`
   * (a peer that does not read never sees the close frame, and its queue is held until then).
   */
  closeOrTerminate(code: number, reason: string): void {
    this.close(code, reason);
    if (this.terminateTimer || this.socket.readyState === this.socket.CLOSED) return;
    this.terminateTimer = setTimeout(() => this.socket.terminate(), this.limits.closeTimeoutMs);
    this.terminateTimer.unref();
  }

  private closeSlowReader(): void {
    this.closeOrTerminate(CloseCode.TryAgainLater, 'reader too slow');
  }

  dispose(): void {
    clearTimeout(this.expiryTimer);
    clearTimeout(this.terminateTimer);
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
