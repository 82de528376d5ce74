import { createNanoEvents, type Emitter } from 'nanoevents';
import { ErrorCode, Paths, REACTIONS, isErrorInfo, type ErrorInfo, type WelcomeFrame } from '../protocol/index.js';
import { createAVChat, type AVChat } from './conference/index.js';
import {
  AcknowledgeState,
  ConferenceStateEventType,
  ConnectionState,
  VideoResolution,
  VideoStateType,
} from './enums.js';
import { OoVooError, settle, type ResultCallback } from './errors.js';
import { toUserId } from './ids.js';
import { Messaging, PushApi } from './messaging/index.js';
import { defaultServerOrigin, normalizeServer } from './server-url.js';
import { ExponentialBackoffPolicy, type ReconnectPolicy } from './signaling/reconnect-policy.js';
import { SignalClient } from './signaling/signal-client.js';

/** `ooVooClient.authorization` parameters (the spec's client-side login). */
export interface AuthorizationParams {
  /** The app's web token. */
  token: string;
  /** Sandbox or production; the spec's default is true. */
  isSandbox?: boolean;
  userId: string | number;
  /** Where the server redirects with `t=<session token>`; must be under a permitted domain. */
  callbackUrl: string;
}

/** `ooVooClient.connect` parameters. */
export interface ConnectParams {
  userId: string | number;
  /** The session token from either login flow. */
  userToken: string;
  enableMessaging?: boolean;
  /** The spec's sample spells it so; both are accepted. */
  enableMesagging?: boolean;
}

export interface ConfigureOptions {
  /** The server's URL; by default the origin the SDK script came from. */
  server?: string;
  /** The App ID; when set, a session token of another app is refused. */
  appId?: string;
  /** Reconnect timing for the signaling connection. */
  reconnectPolicy?: ReconnectPolicy;
}

export interface ConnectResult {
  readonly userId: string;
  readonly appId: string;
  readonly environment: 'sandbox' | 'production';
}

export interface ClientEvents {
  /** The connection state changed. */
  connectionState(state: ConnectionState, previous: ConnectionState): void;
  connected(result: ConnectResult): void;
  /** Resumed after a drop. */
  reconnected(): void;
  /** The connection ended; with an error when it was not asked for. */
  disconnected(error?: ErrorInfo): void;
}

/** The SDK's entry object, `ooVooClient` in pages. Keeps the ooVoo JS SDK 2.1.1 API. */
export class OoVooClient {
  readonly VideoResolution = VideoResolution;
  readonly ConferenceStateEventType = ConferenceStateEventType;
  readonly VideoStateType = VideoStateType;
  readonly ConnectionState = ConnectionState;
  readonly AcknowledgeState = AcknowledgeState;
  /** Our addition: the reactions `avchatObj.sendReaction` takes. */
  readonly Reactions = REACTIONS;
  /** Modern event API: `ooVooClient.events.on('connected', fn)`. */
  readonly events: Emitter<ClientEvents> = createNanoEvents<ClientEvents>();
  /** The spec's `ooVooClient.Messaging`: durable text with receipts (enable it with `connect({ enableMessaging })`). */
  readonly Messaging: Messaging = new Messaging();
  /** The spec's `ooVooClient.Push`. */
  readonly Push: PushApi = new PushApi(() => this.signal);
  /** The spec's `ooVooClient.AVChat.init(params, cb)`: video conferences. */
  readonly AVChat: AVChat = createAVChat(this);

  private server: string | undefined;
  private appId: string | undefined;
  private reconnectPolicy: ReconnectPolicy = new ExponentialBackoffPolicy();
  private signal: SignalClient | undefined;
  private session: { userId: string; token: string; messaging: boolean } | undefined;

  constructor() {
    this.connect = this.connect.bind(this);
    this.authorization = this.authorization.bind(this);
  }

  /** Our addition: where the server is and which app this page belongs to. */
  configure(options: ConfigureOptions): void {
    if (options.server !== undefined) this.server = normalizeServer(options.server);
    if (options.appId !== undefined) this.appId = options.appId;
    if (options.reconnectPolicy !== undefined) this.reconnectPolicy = options.reconnectPolicy;
  }

  /** The server origin in use. */
  get serverUrl(): string {
    const server = this.server ?? defaultServerOrigin();
    if (!server) throw OoVooError.badRequest('No server is known: call ooVooClient.configure({ server }).');
    return server;
  }

  get connectionState(): ConnectionState {
    return this.signal?.state ?? ConnectionState.Idle;
  }

  get userId(): string | undefined {
    return this.session?.userId;
  }

  /** @internal For the conference and messaging modules, which share this connection. */
  get signaling(): SignalClient | undefined {
    return this.signal;
  }

  /**
   * The spec's client-side login: the browser goes to the server, which checks the web token and
   * redirects to `callbackUrl` with `t=<session token>` added. The token travels in a form post,
   * never in a URL. Invalid parameters are reported to `cb` (our addition) and to the console.
   */
  authorization(params: AuthorizationParams, cb?: ResultCallback): void {
    const checked = checkAuthorization(params);
    if (checked instanceof OoVooError) {
      console.error(`ooVooClient.authorization: ${checked.message}`);
      if (typeof cb === 'function') cb(checked.toResult());
      return;
    }
    this.postLoginForm(checked, '_self');
  }

  /**
   * Our addition: the same login in a named window (a popup the caller opened), so the page
   * itself stays. The popup lands on `callbackUrl` with `t` added.
   */
  authorizationIn(windowName: string, params: AuthorizationParams, cb?: ResultCallback): void {
    const checked = checkAuthorization(params);
    if (checked instanceof OoVooError) {
      if (typeof cb === 'function') cb(checked.toResult());
      return;
    }
    this.postLoginForm(checked, windowName);
  }

  private postLoginForm(
    checked: { token: string; userId: string; isSandbox: boolean; callbackUrl: string },
    target: string,
  ): void {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = this.serverUrl + Paths.clientLogin;
    form.target = target;
    form.style.display = 'none';
    const fields: Record<string, string> = {
      token: checked.token,
      userId: checked.userId,
      isSandbox: String(checked.isSandbox),
      callbackUrl: checked.callbackUrl,
    };
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    // The spec's sample calls authorization from <head>, before <body> exists.
    (document.body ?? document.documentElement).appendChild(form);
    form.submit();
    // Removed later, not at once: the submission must be under way first.
    setTimeout(() => form.remove(), 1000);
  }

  /**
   * Our addition: the client-side login without navigation. Exchanges the web token for a session
   * token by a CORS request that the server answers only for the app's permitted origins.
   */
  requestSessionToken(
    params: { token: string; userId: string | number; isSandbox?: boolean },
    cb?: ResultCallback<{ token: string }>,
  ): Promise<{ token: string }> {
    return settle(this.fetchSessionToken(params), cb);
  }

  private async fetchSessionToken(params: {
    token: string;
    userId: string | number;
    isSandbox?: boolean;
  }): Promise<{ token: string }> {
    const checked = checkAuthorization({ ...params, callbackUrl: 'direct' });
    if (checked instanceof OoVooError) throw checked;
    let response: Response;
    try {
      response = await fetch(this.serverUrl + Paths.directLogin, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ token: checked.token, userId: checked.userId, isSandbox: checked.isSandbox }),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      throw OoVooError.unspecified('Could not reach the server.');
    }
    const data = (await response.json().catch(() => undefined)) as
      { payload?: { token?: unknown }; error?: unknown } | undefined;
    if (response.ok && typeof data?.payload?.token === 'string') return { token: data.payload.token };
    if (isErrorInfo(data?.error)) throw OoVooError.fromInfo(data.error);
    throw OoVooError.unspecified(`Login failed (HTTP ${response.status}).`);
  }

  /**
   * The spec's `connect`: opens the connection with a session token. `cb` gets `{}` on success
   * or `{ error: { code, name, description } }`. Also returns a Promise of the same result.
   */
  connect(params: ConnectParams, cb?: ResultCallback<ConnectResult>): Promise<ConnectResult> {
    return settle(this.open(params), cb);
  }

  /** Closes the connection. Safe to call more than once. */
  disconnect(): void {
    const signal = this.signal;
    this.signal = undefined;
    this.session = undefined;
    signal?.close();
  }

  private async open(params: ConnectParams): Promise<ConnectResult> {
    if (typeof params !== 'object' || params === null)
      throw OoVooError.badRequest('connect needs { userId, userToken }.');
    const userId = toUserId(params.userId);
    if (!userId) throw OoVooError.badRequest('userId must be a non-empty string.');
    if (typeof params.userToken !== 'string' || params.userToken.length === 0) {
      throw OoVooError.of(ErrorCode.InvalidToken, 'userToken (the session token) is missing.');
    }
    const messaging = params.enableMessaging === true || params.enableMesagging === true;
    if (this.signal && this.signal.state !== ConnectionState.Closed) this.disconnect();

    const server = this.serverUrl;
    const query = new URLSearchParams({ uid: userId });
    if (this.appId) query.set('app', this.appId);
    if (messaging) query.set('messaging', '1');
    const token = params.userToken;
    const signal = new SignalClient({
      url: `${server.replace(/^http/, 'ws')}${Paths.socket}?${query}`,
      token,
      policy: this.reconnectPolicy,
      explainRefusal: () => explainRefusal(server, { token, userId, appId: this.appId }),
    });
    this.signal = signal;
    this.Messaging.attach(signal);
    this.session = { userId, token, messaging };
    signal.events.on('state', (state, previous) => {
      if (this.signal === signal) this.events.emit('connectionState', state, previous);
    });
    signal.events.on('welcome', (_frame, resumed) => {
      if (resumed && this.signal === signal) this.events.emit('reconnected');
    });
    signal.events.on('failed', (error) => {
      if (this.signal === signal) this.events.emit('disconnected', error.info);
    });

    let welcome: WelcomeFrame;
    try {
      welcome = await signal.open();
    } catch (e) {
      if (this.signal === signal) {
        this.signal = undefined;
        this.session = undefined;
      }
      throw e;
    }
    const result: ConnectResult = { userId: welcome.uid, appId: welcome.app, environment: welcome.env };
    this.events.emit('connected', result);
    return result;
  }
}

function checkAuthorization(
  params: AuthorizationParams,
): (Required<Omit<AuthorizationParams, 'userId'>> & { userId: string }) | OoVooError {
  if (typeof params !== 'object' || params === null)
    return OoVooError.badRequest('authorization needs { token, userId, callbackUrl }.');
  const { token, callbackUrl } = params;
  const userId = toUserId(params.userId);
  if (typeof token !== 'string' || token.length === 0)
    return OoVooError.badRequest('token (the app web token) is required.');
  if (!userId) return OoVooError.badRequest('userId is required.');
  if (typeof callbackUrl !== 'string' || callbackUrl.length === 0)
    return OoVooError.badRequest('callbackUrl is required.');
  const isSandbox = params.isSandbox === undefined ? true : params.isSandbox === true;
  if (params.isSandbox !== undefined && typeof params.isSandbox !== 'boolean')
    return OoVooError.badRequest('isSandbox must be true or false.');
  return { token, userId, callbackUrl, isSandbox };
}

/** Asks the server why it refused a socket; undefined when the server can't be reached. */
async function explainRefusal(
  server: string,
  body: { token: string; userId: string; appId: string | undefined },
): Promise<ErrorInfo | undefined> {
  const response = await fetch(server + Paths.sessionVerify, {
    method: 'POST',
    // text/plain keeps this a simple CORS request: no preflight.
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ token: body.token, userId: body.userId, ...(body.appId ? { appId: body.appId } : {}) }),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (response.ok) return undefined;
  const data = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  return data && isErrorInfo(data.error) ? data.error : undefined;
}
