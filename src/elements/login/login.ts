import { ContextProvider } from '@lit/context';
import { html, nothing, type PropertyValues, type PropertyDeclarations } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import { OoVooClient } from '../../sdk/client.js';
import { ConnectionState } from '../../sdk/enums.js';
import { OoVooError } from '../../sdk/errors.js';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext } from '../context.js';
import { OovooConnectEvent, OovooErrorEvent, OovooLoginEvent, OovooLogoutEvent } from '../events/index.js';
import styles from './login.styles.js';
import { DEFAULT_STRINGS, type LoginStrings } from './login-strings.js';
import { loadExtras, type Extras } from '../extras/load-extras.js';
import { callbackUrl, takeTokenFromUrl } from './login-url.js';

/** The state of <oovoo-login>, reflected as its `state` attribute for CSS. */
export type LoginState = 'signed-out' | 'signing-in' | 'connecting' | 'connected' | 'reconnecting' | 'error';
export type LoginMode = 'direct' | 'redirect' | 'popup';

/**
 * Signs a user in and provides the connected client to every oovoo element inside it.
 *
 * @tagname oovoo-login
 * @summary Signs a user in (the ooVoo way) and shares the connection with the elements inside.
 *
 * @attr app-token - The app's web token.
 * @attr user-id - The user to sign in; without it a sign-in form is shown.
 * @attr display-name - The name others see.
 * @attr sandbox - Present for a sandbox token (the redirect flow's `isSandbox`).
 * @attr server - The server URL; by default the origin the SDK script came from.
 * @attr app-id - The App ID; when set, another app's session token is refused.
 * @attr session-token - A session token the page got by server-to-server login; no app token needed then.
 * @attr mode - `direct` (default: a CORS request, no navigation), `redirect` (the spec's flow) or `popup`.
 * @attr state - Reflected: `signed-out`, `signing-in`, `connecting`, `connected`, `reconnecting` or `error`.
 *
 * @fires {OovooLoginEvent} oovoo-login - A session token is at hand. Detail: `{ userId, displayName }`.
 * @fires {OovooConnectEvent} oovoo-connect - Connected to the server. Detail: `{ userId, appId, environment }`.
 * @fires {OovooLogoutEvent} oovoo-logout - Signed out, or the connection ended for good. Detail: `{ userId, error? }`.
 * @fires {OovooErrorEvent} oovoo-error - Something failed. Detail: the spec's `{ code, name, description }`.
 *
 * @slot - Content shown while signed in: conferences, chats, tiles (hidden until then).
 * @slot signed-out - Replaces the built-in sign-in form.
 *
 * @csspart base - The wrapper of everything.
 * @csspart form - The sign-in form.
 * @csspart input - The form's text inputs.
 * @csspart button - The sign-in and sign-out buttons.
 * @csspart status - The line that says who is signed in, or what is going on.
 * @csspart error - The error message.
 *
 * @cssprop [--oovoo-login-gap=0.75rem] - Space between form fields.
 * @cssprop [--oovoo-color-accent=#0a66d8] - Button and focus color.
 * @cssprop [--oovoo-radius=6px] - Corner radius of inputs and buttons.
 */
export class OovooLogin extends OovooElement<LoginStrings> {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    appToken: { attribute: 'app-token' },
    userId: { attribute: 'user-id' },
    displayName: { attribute: 'display-name' },
    sandbox: { type: Boolean },
    server: {},
    appId: { attribute: 'app-id' },
    sessionToken: { attribute: 'session-token' },
    mode: {},
    state: { reflect: true },
    errorInfo: { state: true, attribute: false },
    extras: { state: true, attribute: false },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS as LoginStrings;

  appToken = '';
  userId = '';
  displayName = '';
  sandbox = false;
  server = '';
  appId = '';
  sessionToken = '';
  mode: LoginMode = 'direct';
  state: LoginState = 'signed-out';

  declare private errorInfo: ErrorInfo | undefined;

  /** The SDK client of this element; one per element, never shared between pages' elements. */
  readonly client = new OoVooClient();

  private readonly provider = new ContextProvider(this, { context: clientContext, initialValue: undefined });
  private attempt = 0;
  private unsubscribe: (() => void)[] = [];
  /** The extras, once the sign-in form needed them. */
  declare private extras: Extras | undefined;
  /** Stops listening to the sign-in popup (mode="popup"). */
  private stopPopup: () => void = () => undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const events = this.client.events;
    this.unsubscribe = [
      events.on('connectionState', (next) => this.onConnectionState(next)),
      events.on('disconnected', (error) => {
        if (error) this.fail(error);
      }),
    ];
    // Sign in once attributes are in place (the first update has run).
    void this.updateComplete.then(() => {
      if (this.isConnected) void this.start();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leave nothing behind: a framework that mounts the element again starts from scratch.
    this.attempt++;
    for (const off of this.unsubscribe.splice(0)) off();
    this.stopPopup();
    this.client.disconnect();
    this.setState('signed-out');
  }

  protected override updated(changed: PropertyValues<this>): void {
    const identity = ['userId', 'sessionToken', 'appToken', 'server', 'appId', 'sandbox', 'mode'] as const;
    if (this.hasUpdated && identity.some((key) => changed.has(key) && changed.get(key) !== undefined)) {
      // A new identity or server: sign in again with it.
      this.client.disconnect();
      void this.start();
    }
    if (changed.has('displayName')) this.publish();
  }

  /** Signs out: closes the connection and forgets the session token. */
  logout(): void {
    const userId = this.client.userId ?? (this.userId || undefined);
    this.attempt++;
    this.client.disconnect();
    this.sessionToken = '';
    this.setState('signed-out');
    this.emit(new OovooLogoutEvent({ userId }));
  }

  private async start(): Promise<void> {
    const attempt = ++this.attempt;
    // Never change state inside the update that triggered this.
    await null;
    if (attempt !== this.attempt) return;
    this.errorInfo = undefined;
    try {
      this.client.configure({
        ...(this.server ? { server: this.server } : {}),
        ...(this.appId ? { appId: this.appId } : {}),
      });
    } catch (e) {
      this.fail(OoVooError.badRequest(`server: ${(e as Error).message}`).info);
      return;
    }
    const returned = takeTokenFromUrl();
    if (returned === 'handed-to-opener') return;
    const userId = returned?.userId ?? this.userId;
    const sessionToken = returned?.token ?? this.sessionToken;
    if (!userId) {
      this.setState('signed-out');
      return;
    }
    if (sessionToken) {
      await this.connectWith(attempt, userId, sessionToken);
      return;
    }
    if (!this.appToken) {
      this.fail(OoVooError.badRequest('app-token or session-token is required to sign in.').info);
      return;
    }
    this.setState('signing-in');
    if (this.mode === 'redirect') {
      this.client.authorization(
        { token: this.appToken, isSandbox: this.sandbox, userId, callbackUrl: callbackUrl(userId) },
        (r) => this.failFromResult(r),
      );
      return;
    }
    if (this.mode === 'popup') {
      void this.startPopup(attempt, userId);
      return;
    }
    try {
      const { token } = await this.client.requestSessionToken({
        token: this.appToken,
        userId,
        isSandbox: this.sandbox,
      });
      if (attempt !== this.attempt) return;
      await this.connectWith(attempt, userId, token);
    } catch (e) {
      if (attempt === this.attempt) this.fail(toInfo(e));
    }
  }

  private async connectWith(attempt: number, userId: string, token: string): Promise<void> {
    this.emit(new OovooLoginEvent({ userId, displayName: this.displayName || userId }));
    this.setState('connecting');
    try {
      const result = await this.client.connect({ userId, userToken: token, enableMessaging: true });
      if (attempt !== this.attempt) return;
      this.setState('connected');
      // Listeners see the reflected state attribute already in step.
      await this.updateComplete;
      this.emit(new OovooConnectEvent({ userId: result.userId, appId: result.appId, environment: result.environment }));
    } catch (e) {
      if (attempt === this.attempt) this.fail(toInfo(e));
    }
  }

  /** mode="popup": the popup's code comes with the extras (a failed load is the element's error). */
  private async startPopup(attempt: number, userId: string): Promise<void> {
    let extras: Extras;
    try {
      extras = await loadExtras();
    } catch (e) {
      if (attempt === this.attempt) this.fail(toInfo(e));
      return;
    }
    if (attempt !== this.attempt) return;
    this.stopPopup();
    this.stopPopup = extras.openLoginPopup({
      client: this.client,
      appToken: this.appToken,
      sandbox: this.sandbox,
      userId,
      onToken: (id, token) => {
        if (attempt === this.attempt) void this.connectWith(attempt, id, token);
      },
      onFailure: (result) =>
        result ? this.failFromResult(result) : this.fail(OoVooError.badRequest(this.t('popupBlocked')).info),
    });
  }

  private onConnectionState(next: ConnectionState): void {
    if (next === ConnectionState.Reconnecting) this.setState('reconnecting');
    else if (next === ConnectionState.Connected && this.state === 'reconnecting') this.setState('connected');
    else this.publish();
  }

  private failFromResult(result: object): void {
    const error = (result as { error?: ErrorInfo }).error;
    if (error) this.fail(error);
  }

  private fail(error: ErrorInfo): void {
    this.errorInfo = error;
    this.setState('error');
    this.emit(new OovooErrorEvent(error));
    // The words of what to change come with the extras; until then (or without them) the spec's description.
    const scene = {
      element: 'oovoo-login',
      server: () => this.client.serverUrl,
      appToken: !this.sessionToken,
    } as const;
    void loadExtras().then(
      (x) =>
        this.errorInfo === error &&
        (this.errorInfo = { ...error, description: x.adviseError(error, scene, (k) => this.t(k)) }),
      () => undefined,
    );
  }

  private setState(next: LoginState): void {
    this.state = next;
    this.publish();
  }

  /** Shares the client with the elements inside. */
  private publish(): void {
    this.provider.setValue({
      client: this.client,
      userId: this.client.userId,
      displayName: this.displayName || this.client.userId || '',
      state: this.client.connectionState,
    });
  }

  protected override render() {
    const signedIn = this.state === 'connected' || this.state === 'reconnecting';
    const showForm = !signedIn && !this.userId && !this.sessionToken && this.state !== 'connecting';
    // The built-in form comes with the extras: pages that name their user never load it.
    if (showForm && !this.extras)
      void loadExtras().then(
        (x) => (this.extras = x),
        () => undefined,
      );
    return html`<div part="base">
      ${
        showForm
          ? html`<slot name="signed-out">${this.extras?.renderLoginForm(this, (key) => this.t(key))}</slot>`
          : nothing
      }
      ${this.renderStatus(signedIn)}
      ${this.errorInfo ? html`<p part="error" role="alert">${this.errorInfo.description} (${this.errorInfo.code})</p>` : nothing}
      ${signedIn ? html`<slot></slot>` : nothing}
    </div>`;
  }

  private renderStatus(signedIn: boolean) {
    if (signedIn) {
      // `{name}` marks where the name goes (word order differs by language); a text without it is followed by the name.
      const who = this.displayName || this.client.userId || '';
      const text = this.t('signedInAs');
      return html`<p part="status" role="status">
        ${this.state === 'reconnecting' ? this.t('reconnecting') : text.includes('{name}') ? text.replace('{name}', () => who) : `${text} ${who}`}
        <button part="button" type="button" @click=${() => this.logout()}>${this.t('signOut')}</button>
      </p>`;
    }
    if (this.state === 'signing-in') return html`<p part="status" role="status">${this.t('signingIn')}</p>`;
    if (this.state === 'connecting') return html`<p part="status" role="status">${this.t('connecting')}</p>`;
    return nothing;
  }
}

function toInfo(e: unknown): ErrorInfo {
  return e instanceof OoVooError ? e.info : OoVooError.unspecified(e instanceof Error ? e.message : String(e)).info;
}

OovooLogin.define('oovoo-login');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-login': OovooLogin;
  }
}
