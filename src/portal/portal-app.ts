import { LitElement, css, html } from 'lit';
import { state } from 'lit/decorators.js';
import { PortalApi, type Account, type App, type IssuedToken } from './api.js';
import './app-detail.js';
import './app-list.js';
import './auth-form.js';
import './reset-form.js';
import { define, errorText, portalStyles } from './styles.js';

/**
 * The developer portal page: sign-in, email verification, password reset, apps. Routes by the URL
 * fragment (`#/apps`, `#/apps/<id>`) so a reload keeps the place; a reset link opens `#reset=<token>`.
 */
export class OovooPortal extends LitElement {
  static override styles = [
    portalStyles,
    css`
      :host {
        max-width: 72rem;
        margin: 0 auto;
        padding: 0 1rem 3rem;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: center;
        border-bottom: 1px solid #d8d8de;
        padding: 0.75rem 0;
      }
      header p {
        margin: 0;
      }
    `,
  ];

  private readonly api = new PortalApi();
  @state() private account: Account | undefined;
  @state() private loaded = false;
  @state() private route = '';
  @state() private notice = '';
  @state() private error = '';
  @state() private revealed: { appId: string; tokens: readonly IssuedToken[] } | undefined;
  /** The token of the reset link this page was opened with, until it is used or given up. */
  @state() private resetToken = '';
  private readonly onHash = () => (this.route = this.takeResetToken());

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.route = this.takeResetToken();
    const verified = new URLSearchParams(location.search).get('verified');
    if (verified === '1') this.notice = 'Your email address is verified.';
    if (verified === '0') this.error = 'That verification link is not valid any more. Send a new one below.';
    if (verified !== null) history.replaceState(null, '', location.pathname + location.hash);
    void this.api.session().then(
      (account) => ((this.account = account), (this.loaded = true)),
      (e: unknown) => ((this.error = errorText(e)), (this.loaded = true)),
    );
  }

  /** The fragment as a route; a reset token in it is kept here and taken out of the address bar and history. */
  private takeResetToken(): string {
    const match = /^#reset=([\w-]{1,200})$/.exec(location.hash);
    if (!match) return location.hash;
    this.resetToken = match[1]!;
    history.replaceState(null, '', location.pathname + location.search);
    return '';
  }

  private async passwordReset(): Promise<void> {
    this.resetToken = '';
    this.error = '';
    this.notice = 'Your password is changed, and the account is signed out everywhere. Sign in with the new password.';
    // This browser's own session may have been one of those that ended.
    this.account = await this.api.session().catch(() => undefined);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHash);
    super.disconnectedCallback();
  }

  private async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } finally {
      this.account = undefined;
      location.hash = '';
    }
  }

  private async resend(): Promise<void> {
    try {
      await this.api.resendVerification();
      this.notice = `We sent a new link to ${this.account!.email}.`;
    } catch (e) {
      this.error = errorText(e);
    }
  }

  private created(event: CustomEvent<{ app: App; tokens: IssuedToken[] }>): void {
    this.revealed = { appId: event.detail.app.id, tokens: event.detail.tokens };
    location.hash = `#/apps/${event.detail.app.id}`;
  }

  override render() {
    return html`
      <header>
        <p><strong>oovoo</strong> developer portal</p>
        ${
          this.account
            ? html`<p>
                ${this.account.email}${this.account.role === 'operator' ? ' (operator)' : ''}
                <button class="secondary" @click=${this.signOut}>Sign out</button>
              </p>`
            : null
        }
      </header>
      <main>
        ${this.notice ? html`<p role="status">${this.notice}</p>` : null}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null} ${this.body()}
      </main>
    `;
  }

  private body() {
    if (!this.loaded) return html`<p class="note">Loading…</p>`;
    if (this.resetToken) {
      return html`<portal-reset-form
        .api=${this.api}
        .token=${this.resetToken}
        @portal-password-reset=${this.passwordReset}
        @portal-back=${() => (this.resetToken = '')}
      ></portal-reset-form>`;
    }
    const account = this.account;
    if (!account) {
      return html`<portal-auth-form
        .api=${this.api}
        @portal-signed-in=${(e: CustomEvent<Account>) => ((this.account = e.detail), (this.error = ''))}
      ></portal-auth-form>`;
    }
    if (!account.verified) {
      return html`<section aria-labelledby="verify-title">
        <h1 id="verify-title">Verify your email</h1>
        <p>We sent a link to <strong>${account.email}</strong>. Open it to start making apps.</p>
        <button @click=${this.resend}>Send the link again</button>
      </section>`;
    }
    const match = /^#\/apps\/([\w-]+)$/.exec(this.route);
    if (match) {
      const appId = match[1]!;
      const tokens = this.revealed?.appId === appId ? this.revealed.tokens : [];
      return html`<portal-app-detail
        .api=${this.api}
        .account=${account}
        app-id=${appId}
        .revealed=${tokens}
      ></portal-app-detail>`;
    }
    return html`<portal-app-list
      .api=${this.api}
      .account=${account}
      @portal-app-created=${this.created}
    ></portal-app-list>`;
  }
}

define('oovoo-portal', OovooPortal);

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-portal': OovooPortal;
  }
}
