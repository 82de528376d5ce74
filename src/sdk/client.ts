import { createNanoEvents, type Emitter } from 'nanoevents';
import { ApiPaths, ErrorCode, REACTIONS, type ErrorInfo, type WelcomeFrame } from '../protocol/index.js';
import { loadLoginExtras } from './load-login-extras.js';
import type { CheckedLogin } from './login-extras.js';
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
    this.postLoginForm(checked, '_self', cb);
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
    this.postLoginForm(checked, windowName, cb);
  }

  /** Posts the login form (its code loads on first use); a page that cannot load it is told in the console and `cb`. */
  private postLoginForm(checked: CheckedLogin, target: string, cb?: ResultCallback): void {
    const server = this.serverUrl;
    loadLoginExtras().then(
      (login) => login.postLoginForm(server, checked, target),
      (e: unknown) => {
        const error = OoVooError.from(e);
        console.error(`ooVooClient.authorization: ${error.message}`);
        if (typeof cb === 'function') cb(error.toResult());
      },
    );
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
    const server = this.serverUrl;
    return (await loadLoginExtras()).fetchSessionToken(server, checked);
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
      url: `${server.replace(/^http/, 'ws')}${ApiPaths.socket}?${query}`,
      token,
      policy: this.reconnectPolicy,
      explainRefusal: () =>
        loadLoginExtras().then((login) => login.explainRefusal(server, { token, userId, appId: this.appId })),
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

function checkAuthorization(params: AuthorizationParams): CheckedLogin | OoVooError {
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
