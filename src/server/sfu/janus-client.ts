// The broker's one connection to Janus: a WebSocket (subprotocol `janus-protocol`) holding one
// session. Requests are transactions answered within a deadline, with a bound on how many may be
// pending; keepalives hold the session open; events reach the handle they name. When the socket or
// the session is lost, every pending request fails, every handle is gone, and the client reconnects
// with backoff and creates a fresh session under a new epoch: its owner rebuilds rooms on `session`.
import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import WebSocket from 'ws';
import { JanusHandle, type HandleTransport } from './janus-handle.js';
import { JanusError, numberOr, parseJanusMessage, type JanusMessage } from './janus-messages.js';

export interface JanusClientOptions {
  /** The WebSocket transport, e.g. ws://127.0.0.1:8188 */
  readonly url: string;
  /** How long a request may wait for its answer (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Requests in flight at once before new ones are refused (default 512). */
  readonly maxPendingRequests?: number;
  /** Keepalive period; keep it well inside Janus's session_timeout (default 15 s for the default 60 s). */
  readonly keepaliveMs?: number;
  /** Reconnection backoff: first delay, doubled up to the maximum, with jitter (defaults 250 ms, 5 s). */
  readonly reconnectDelayMs?: { readonly initial?: number; readonly max?: number };
}

export type JanusClientState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';

export interface JanusSessionInfo {
  readonly sessionId: number;
  /** 1 for the first session, one more for each fresh session after a loss. */
  readonly epoch: number;
}

export interface JanusClientEvents {
  /** A session is ready: the first, or a fresh one after a loss (rebuild what the old one held). */
  session: (info: JanusSessionInfo) => void;
  /** The session of `epoch` is gone with its handles; reconnection has started. */
  lost: (info: { epoch: number; reason: string }) => void;
  /** A connection attempt failed; the next one starts after `delayMs`. */
  retry: (info: { attempt: number; delayMs: number; reason: string }) => void;
  state: (state: JanusClientState) => void;
}

interface Pending {
  readonly label: string;
  readonly completesOnAck: boolean;
  readonly resolve: (message: JanusMessage) => void;
  readonly reject: (error: JanusError) => void;
  readonly timer: NodeJS.Timeout;
}

export class JanusClient {
  private readonly emitter: Emitter<JanusClientEvents> = createNanoEvents<JanusClientEvents>();
  private readonly pending = new Map<string, Pending>();
  private readonly handles = new Map<number, JanusHandle>();
  private readonly requestTimeoutMs: number;
  private readonly maxPending: number;
  private readonly keepaliveMs: number;
  private readonly delays: { initial: number; max: number };
  private socket: WebSocket | undefined;
  private session: JanusSessionInfo | undefined;
  private epochCount = 0;
  private nextTransaction = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private current: JanusClientState = 'idle';
  private readonly transport: HandleTransport = {
    request: (body, label, epoch, completesOnAck) => this.sessionRequest(body, label, epoch, completesOnAck),
    release: (handleId) => this.handles.delete(handleId),
  };

  constructor(private readonly options: JanusClientOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxPending = options.maxPendingRequests ?? 512;
    this.keepaliveMs = options.keepaliveMs ?? 15_000;
    this.delays = { initial: options.reconnectDelayMs?.initial ?? 250, max: options.reconnectDelayMs?.max ?? 5_000 };
  }

  get state(): JanusClientState {
    return this.current;
  }

  /** The live session, or undefined between a loss and the next session. */
  get sessionInfo(): JanusSessionInfo | undefined {
    return this.session;
  }

  on<E extends keyof JanusClientEvents>(event: E, listener: JanusClientEvents[E]): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /** Connects (retrying with backoff until Janus answers) and resolves with the first session. */
  start(): Promise<JanusSessionInfo> {
    if (this.current !== 'idle')
      return Promise.reject(new Error(`JanusClient.start() called in state ${this.current}`));
    const first = new Promise<JanusSessionInfo>((resolve, reject) => {
      const offSession = this.on('session', (info) => {
        off();
        resolve(info);
      });
      const offState = this.on('state', (s) => {
        if (s !== 'closed') return;
        off();
        reject(JanusError.closed('start'));
      });
      const off = () => {
        offSession();
        offState();
      };
    });
    void this.connectLoop('connecting');
    return first;
  }

  /** Attaches a plugin handle in the current session. */
  async attach(plugin: string): Promise<JanusHandle> {
    const session = this.session;
    if (!session) throw JanusError.notConnected(`attach ${plugin}`);
    const reply = await this.sessionRequest({ janus: 'attach', plugin }, `attach ${plugin}`, session.epoch);
    const id = numberOr(reply.data?.id);
    if (id === undefined) throw JanusError.protocol('attach answered without a handle id');
    const handle = new JanusHandle(this.transport, id, plugin, session.epoch);
    this.handles.set(id, handle);
    return handle;
  }

  /** Janus's `info` (version, plugins, transports); needs no session. */
  async info(): Promise<Readonly<Record<string, unknown>>> {
    return (await this.request({ janus: 'info' }, 'info')).raw;
  }

  /** Destroys the session (best effort), closes the socket and fails whatever is pending. */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    const session = this.session;
    const socket = this.socket;
    this.setState('closed');
    this.wake?.();
    this.stopKeepalive();
    if (session && socket?.readyState === WebSocket.OPEN) {
      // Best effort and brief: Janus drops the session with the socket anyway, after session_timeout.
      await this.request({ janus: 'destroy', session_id: session.sessionId }, 'destroy', false, 1_000).catch(
        () => undefined,
      );
    }
    this.dropSession('closed');
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.close(1000);
      const timer = setTimeout(() => socket.terminate(), 1_000);
      await closed;
      clearTimeout(timer);
    }
    this.socket = undefined;
  }

  /** A method, not a field read: the state changes across awaits, which TypeScript's narrowing ignores. */
  private closed(): boolean {
    return this.current === 'closed';
  }

  private setState(state: JanusClientState): void {
    if (this.current === state) return;
    this.current = state;
    this.emitter.emit('state', state);
  }

  /** Opens a socket and a session, retrying with backoff, until it works or the client is closed. */
  private async connectLoop(state: 'connecting' | 'reconnecting'): Promise<void> {
    this.setState(state);
    for (let attempt = 1; this.current !== 'closed'; attempt++) {
      try {
        const socket = await this.openSocket();
        if (this.closed()) return void socket.close();
        this.socket = socket;
        const reply = await this.request({ janus: 'create' }, 'create');
        const sessionId = numberOr(reply.data?.id);
        if (sessionId === undefined) throw JanusError.protocol('create answered without a session id');
        if (this.closed()) return;
        this.session = { sessionId, epoch: ++this.epochCount };
        this.startKeepalive();
        this.setState('ready');
        this.emitter.emit('session', this.session);
        return;
      } catch (e) {
        this.socket?.terminate();
        this.socket = undefined;
        if (this.closed()) return;
        const base = Math.min(this.delays.max, this.delays.initial * 2 ** Math.min(attempt - 1, 16));
        const delayMs = Math.round(base * (0.75 + Math.random() * 0.5));
        this.emitter.emit('retry', { attempt, delayMs, reason: e instanceof Error ? e.message : String(e) });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          this.wake = () => (clearTimeout(timer), resolve());
        });
        this.wake = undefined;
      }
    }
  }

  private openSocket(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.options.url, 'janus-protocol', { handshakeTimeout: this.requestTimeoutMs });
      const fail = (error: Error) => (socket.terminate(), reject(error));
      socket.once('error', fail);
      socket.once('close', (code) => reject(new Error(`Janus closed the socket (${code}) while connecting`)));
      socket.once('open', () => {
        socket.off('error', fail);
        socket.removeAllListeners('close');
        if (socket.protocol !== 'janus-protocol') return fail(new Error('Janus did not accept janus-protocol'));
        socket.on('message', (data) => this.onMessage(String(data)));
        socket.on('error', () => undefined); // 'close' follows and says the rest
        socket.on('close', (code) => this.onSocketClosed(socket, `socket closed (${code})`));
        resolve(socket);
      });
    });
  }

  private onSocketClosed(socket: WebSocket, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (this.current === 'closed') return;
    this.loseSession(reason);
  }

  /** The session is gone: fail everything, tell the owner, start over. */
  private loseSession(reason: string): void {
    const epoch = this.session?.epoch ?? this.epochCount;
    this.stopKeepalive();
    this.dropSession('lost');
    this.socket?.terminate();
    this.socket = undefined;
    this.emitter.emit('lost', { epoch, reason });
    void this.connectLoop('reconnecting');
  }

  private dropSession(why: 'lost' | 'closed'): void {
    this.session = undefined;
    for (const [transaction, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(transaction);
      p.reject(why === 'closed' ? JanusError.closed(p.label) : JanusError.connectionLost(p.label));
    }
    for (const handle of [...this.handles.values()]) handle.markGone();
    this.handles.clear();
  }

  private startKeepalive(): void {
    this.stopKeepalive();
    this.keepaliveTimer = setInterval(() => {
      const session = this.session;
      if (!session) return;
      this.sessionRequest({ janus: 'keepalive' }, 'keepalive', session.epoch, true).catch((e: unknown) => {
        // An unanswered keepalive means a dead link or a session Janus no longer knows (458).
        if (this.session?.epoch !== session.epoch) return;
        if (e instanceof JanusError && (e.kind === 'timeout' || e.kind === 'janus'))
          this.loseSession(`keepalive failed: ${e.message}`);
      });
    }, this.keepaliveMs);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }

  /** A request in the session of `epoch`; refused at once when that session is gone. */
  private sessionRequest(
    body: Record<string, unknown>,
    label: string,
    epoch: number,
    completesOnAck = false,
  ): Promise<JanusMessage> {
    const session = this.session;
    if (this.current === 'closed') return Promise.reject(JanusError.closed(label));
    if (!session || session.epoch !== epoch) return Promise.reject(JanusError.connectionLost(label));
    return this.request({ ...body, session_id: session.sessionId }, label, completesOnAck);
  }

  private request(
    body: Record<string, unknown>,
    label: string,
    completesOnAck = false,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<JanusMessage> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.reject(JanusError.notConnected(label));
    if (this.pending.size >= this.maxPending) return Promise.reject(JanusError.overloaded(label, this.pending.size));
    const transaction = `t${++this.nextTransaction}`;
    return new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(JanusError.timeout(label, timeoutMs));
      }, timeoutMs);
      this.pending.set(transaction, { label, completesOnAck, resolve, reject, timer });
      socket.send(JSON.stringify({ ...body, transaction }));
    });
  }

  private onMessage(text: string): void {
    const message = parseJanusMessage(text);
    if (!message) return;
    const pending = message.transaction === undefined ? undefined : this.pending.get(message.transaction);
    // Asynchronous plugin requests are acknowledged first and answered by an event later.
    if (pending && !(message.janus === 'ack' && !pending.completesOnAck)) {
      this.pending.delete(message.transaction as string);
      clearTimeout(pending.timer);
      if (message.janus === 'error' && message.error)
        pending.reject(JanusError.fromJanus(pending.label, message.error.code, message.error.reason));
      else pending.resolve(message);
      return;
    }
    if (message.janus === 'timeout' && this.session && message.sessionId === this.session.sessionId) {
      this.loseSession('Janus timed the session out');
      return;
    }
    if (message.sender !== undefined && message.janus !== 'ack') this.handles.get(message.sender)?.dispatch(message);
  }
}
