import { createNanoEvents, type Emitter } from 'nanoevents';
import {
  CloseCode,
  ErrorCode,
  SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  isErrorInfo,
  type ErrorInfo,
  type FeatureFrame,
  type ServerFrame,
  type WelcomeFrame,
} from '../../protocol/index.js';
import { ConnectionState } from '../enums.js';
import { OoVooError } from '../errors.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import { Requests, type RequestFrame, type RequestOptions } from './requests.js';

export interface SignalClientOptions {
  /** ws:// or wss:// URL of the socket, query included. */
  readonly url: string;
  readonly token: string;
  readonly policy: ReconnectPolicy;
  /** Asks the server why a socket was refused (a refused upgrade shows nothing to scripts). */
  readonly explainRefusal: () => Promise<ErrorInfo | undefined>;
  /** Overrides the server's ping interval and timeout (tests). */
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
  readonly WebSocketImpl?: typeof WebSocket;
}

export interface SignalClientEvents {
  state(state: ConnectionState, previous: ConnectionState): void;
  /** Every conference and messaging frame (answers to requests settle their request instead). */
  frame(frame: FeatureFrame): void;
  welcome(frame: WelcomeFrame, resumed: boolean): void;
  /** The client stopped for good: refused, or retries exhausted. */
  failed(error: OoVooError): void;
}

/** Refusals that no retry can change: the session itself is not (or no longer) acceptable. */
const FINAL_CODES: ReadonlySet<number> = new Set([
  ErrorCode.AuthenticationFailed,
  ErrorCode.InvalidToken,
  ErrorCode.BlockedAppId,
  ErrorCode.InvalidEnvironment,
  ErrorCode.NotAuthorized,
]);

/** Which state may follow which: anything else is a bug, and throws. */
const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['connected', 'closed'],
  connected: ['reconnecting', 'closed'],
  reconnecting: ['connected', 'closed'],
  closed: [],
};

/**
 * The signaling connection: an explicit state machine (idle → connecting → connected ⇄ reconnecting
 * → closed) with a client-side ping and timeout and a swappable reconnect policy.
 */
export class SignalClient {
  readonly events: Emitter<SignalClientEvents> = createNanoEvents<SignalClientEvents>();
  private stateValue: ConnectionState = ConnectionState.Idle;
  private socket: WebSocket | undefined;
  private welcomeFrame: WelcomeFrame | undefined;
  private attempt = 0;
  private droppedAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private opened: { resolve: (w: WelcomeFrame) => void; reject: (e: OoVooError) => void } | undefined;
  private readonly requests = new Requests((frame) => this.send(frame));
  private readonly resumeSteps = new Set<() => Promise<unknown>>();
  /** Counts welcomes: a resume that finishes after a newer welcome releases nothing. */
  private welcomes = 0;
  /** Why the server ended the session (an error frame without an id before its SessionEnded close). */
  private endedBy: OoVooError | undefined;

  /** @internal `options` is public for the messaging extras' file requests (the server and the session token). */
  constructor(readonly options: SignalClientOptions) {}

  get state(): ConnectionState {
    return this.stateValue;
  }

  get welcome(): WelcomeFrame | undefined {
    return this.welcomeFrame;
  }

  /** Opens the connection; resolves with the server's welcome, rejects with the reason it was refused. */
  open(): Promise<WelcomeFrame> {
    if (this.stateValue !== ConnectionState.Idle)
      return Promise.reject(OoVooError.badRequest('This connection was already opened.'));
    this.transition(ConnectionState.Connecting);
    return new Promise<WelcomeFrame>((resolve, reject) => {
      this.opened = { resolve, reject };
      this.dial();
    });
  }

  /** Sends a frame if connected; returns false when it could not be sent now. */
  send(frame: object): boolean {
    if (this.stateValue !== ConnectionState.Connected || this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * The one request path: sends a frame with a fresh `id` and resolves with the server's `ack`
   * result, or rejects with the error it answered. A durable request waits out reconnects and is
   * sent again after them (see RequestOptions); any other rejects at once when not connected, when
   * the connection drops, and after its timeout.
   */
  request<T = unknown>(frame: RequestFrame, options: RequestOptions = {}): Promise<T> {
    if (options.durable && (this.stateValue === ConnectionState.Idle || this.stateValue === ConnectionState.Closed)) {
      return Promise.reject(OoVooError.unspecified('Not connected: call ooVooClient.connect first.'));
    }
    return this.requests.add<T>(frame, options);
  }

  /**
   * Work to finish after a reconnect before queued durable requests go out again (a conference
   * takes its place back first, so its signals find it there). Returns the unsubscribe.
   */
  onResume(step: () => Promise<unknown>): () => void {
    this.resumeSteps.add(step);
    return () => this.resumeSteps.delete(step);
  }

  close(): void {
    if (this.stateValue === ConnectionState.Closed) return;
    this.requests.failAll('The connection was closed.');
    this.stopTimers();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      detach(socket);
      if (socket.readyState <= 1) socket.close(CloseCode.Normal, 'client closed');
    }
    this.opened?.reject(OoVooError.unspecified('The connection was closed before it opened.'));
    this.opened = undefined;
    this.transition(ConnectionState.Closed);
  }

  private transition(next: ConnectionState): void {
    const previous = this.stateValue;
    if (previous === next) return;
    if (!TRANSITIONS[previous].includes(next))
      throw new Error(`signal client: ${previous} → ${next} is not a valid transition`);
    this.stateValue = next;
    this.events.emit('state', next, previous);
  }

  private dial(): void {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    let socket: WebSocket;
    try {
      socket = new Impl(this.options.url, [SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + this.options.token]);
    } catch (e) {
      this.fail(OoVooError.badRequest(`Cannot open the connection: ${(e as Error).message}`));
      return;
    }
    this.socket = socket;
    let welcomed = false;
    socket.onmessage = (event: MessageEvent) => {
      this.lastHeard = Date.now();
      const frame = parseFrame(event.data);
      if (!frame) return;
      if (!welcomed) {
        if (frame.t !== 'welcome') return;
        welcomed = true;
        this.endedBy = undefined;
        this.onWelcome(frame);
        return;
      }
      switch (frame.t) {
        case 'ping':
          this.send({ t: 'pong', ts: frame.ts });
          return;
        case 'ack':
        case 'error':
          if (frame.t === 'error' && frame.id === undefined && FINAL_CODES.has(frame.error.code))
            this.endedBy = OoVooError.fromInfo(frame.error);
          else this.requests.settle(frame);
          return;
        case 'pong':
        case 'welcome':
          return;
        default:
          this.events.emit('frame', frame);
      }
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      detach(socket);
      this.socket = undefined;
      this.onSocketClosed(event.code, welcomed);
    };
    socket.onerror = () => undefined;
  }

  private onWelcome(frame: WelcomeFrame): void {
    const resumed = this.stateValue === ConnectionState.Reconnecting;
    this.welcomeFrame = frame;
    this.attempt = 0;
    this.transition(ConnectionState.Connected);
    this.startPing(frame);
    this.opened?.resolve(frame);
    this.opened = undefined;
    this.events.emit('welcome', frame, resumed);
    const welcome = ++this.welcomes;
    const steps = resumed ? [...this.resumeSteps].map((step) => step()) : [];
    void Promise.allSettled(steps).then(() => {
      if (welcome === this.welcomes && this.stateValue === ConnectionState.Connected) this.requests.release();
    });
  }

  private async onSocketClosed(code: number, welcomed: boolean): Promise<void> {
    this.stopTimers();
    // Answers to requests sent on the dropped socket will never come; durable ones go again later.
    this.requests.dropped('The connection dropped before the server answered.');
    if (this.stateValue === ConnectionState.Closed) return;
    // A session that ended, or a refusal before any welcome, is final unless the server says otherwise.
    if (code === CloseCode.SessionEnded) {
      // The server says why first (app blocked, token revoked); without a reason, the token expired.
      this.fail(this.endedBy ?? OoVooError.of(ErrorCode.InvalidToken, 'The session token expired; sign in again.'));
      return;
    }
    if (!welcomed) {
      const reason = await this.options.explainRefusal().catch(() => undefined);
      // close() may have run while we asked.
      if (this.state === ConnectionState.Closed) return;
      // Only a refusal of who we are is final; anything else (a throttled check, a server
      // restarting) is worth another try while the reconnect policy allows.
      if (reason && (this.state === ConnectionState.Connecting || FINAL_CODES.has(reason.code))) {
        this.fail(OoVooError.fromInfo(reason));
        return;
      }
      if (this.stateValue === ConnectionState.Connecting) {
        this.fail(OoVooError.unspecified('Could not reach the server.'));
        return;
      }
    }
    if (this.stateValue === ConnectionState.Connected) {
      this.droppedAt = Date.now();
      this.transition(ConnectionState.Reconnecting);
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.attempt++;
    const delay = this.options.policy.nextDelay(this.attempt, Date.now() - this.droppedAt);
    if (delay === null) {
      this.fail(OoVooError.unspecified('Lost the connection to the server.'));
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stateValue === ConnectionState.Reconnecting) this.dial();
    }, delay);
  }

  private startPing(frame: WelcomeFrame): void {
    const interval = this.options.pingIntervalMs ?? frame.pingInterval;
    const timeout = this.options.pingTimeoutMs ?? frame.pingTimeout;
    this.lastHeard = Date.now();
    let pingSentAt: number | undefined;
    this.pingTimer = setInterval(() => {
      const now = Date.now();
      // Judged by the ping in flight, not by the time since the last frame: a busy page runs this tick
      // late, and that delay alone must not condemn a socket whose pong has long arrived.
      const unanswered = pingSentAt !== undefined && this.lastHeard < pingSentAt;
      if (unanswered && now - pingSentAt! > timeout) {
        // Silent socket: drop it and let the reconnect policy take over.
        const socket = this.socket;
        if (socket) {
          detach(socket);
          this.socket = undefined;
          socket.close();
        }
        void this.onSocketClosed(CloseCode.PingTimeout, true);
        return;
      }
      if (unanswered) return;
      pingSentAt = now;
      this.send({ t: 'ping', ts: now });
    }, interval);
  }

  private stopTimers(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.retryTimer = undefined;
    this.pingTimer = undefined;
  }

  private fail(error: OoVooError): void {
    if (this.stateValue === ConnectionState.Closed) return;
    this.stopTimers();
    this.requests.failAll(error.message);
    const opened = this.opened;
    this.opened = undefined;
    this.transition(ConnectionState.Closed);
    opened?.reject(error);
    this.events.emit('failed', error);
  }
}

function detach(socket: WebSocket): void {
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = null;
}

function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value !== 'object' || value === null || typeof (value as { t?: unknown }).t !== 'string')
      return undefined;
    const frame = value as ServerFrame;
    if (frame.t === 'error' && !isErrorInfo(frame.error)) return undefined;
    return frame;
  } catch {
    return undefined;
  }
}
