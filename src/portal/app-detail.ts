import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Account, App, IssuedToken, PortalApi, TokenInfo } from './api.js';
import { define, errorText, portalStyles } from './styles.js';
import './test-session.js';
import './token-reveal.js';
import './usage-panel.js';

/** One app: rename, domains, history retention, tokens (created, shown once, revoked), usage, delete; operators block. */
export class PortalAppDetail extends LitElement {
  static override styles = portalStyles;

  @property({ attribute: false }) api!: PortalApi;
  @property({ attribute: false }) account!: Account;
  @property({ attribute: 'app-id' }) appId = '';
  /** Tokens made with the app, handed over by the list so they can be shown once here. */
  @property({ attribute: false }) revealed: readonly IssuedToken[] = [];
  @state() private app: App | undefined;
  @state() private tokens: TokenInfo[] = [];
  @state() private error = '';
  @state() private status = '';
  @state() private confirmDelete = false;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('appId') && this.appId) void this.load();
  }

  private async load(): Promise<void> {
    await this.run(async () => {
      [this.app, this.tokens] = await Promise.all([this.api.app(this.appId), this.api.tokens(this.appId)]);
    });
  }

  /** Runs one action; its error goes to the alert line, and nothing else changes. */
  private async run(action: () => Promise<void>, done = ''): Promise<void> {
    this.error = '';
    this.status = '';
    try {
      await action();
      this.status = done;
    } catch (e) {
      this.error = errorText(e);
    }
  }

  private field(form: HTMLFormElement, name: string): string {
    return (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  }

  private rename(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const name = this.field(event.target as HTMLFormElement, 'name');
    return this.run(async () => {
      this.app = await this.api.updateApp(this.appId, { name });
    }, 'Renamed.');
  }

  private addDomain(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const domain = this.field(form, 'domain');
    return this.run(async () => {
      this.app = await this.api.addDomain(this.appId, domain);
      form.reset();
    }, `Added ${domain}.`);
  }

  private removeDomain(domain: string): Promise<void> {
    return this.run(async () => {
      this.app = await this.api.removeDomain(this.appId, domain);
    }, `Removed ${domain}.`);
  }

  private createToken(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const type = this.field(form, 'type') as IssuedToken['type'];
    const environment = this.field(form, 'environment') as IssuedToken['environment'];
    return this.run(async () => {
      const token = await this.api.createToken(this.appId, type, environment);
      this.revealed = [token];
      this.tokens = await this.api.tokens(this.appId);
    });
  }

  private revoke(token: TokenInfo): Promise<void> {
    return this.run(async () => {
      await this.api.revokeToken(this.appId, token.id);
      this.tokens = await this.api.tokens(this.appId);
    }, `Revoked ${token.id}.`);
  }

  private setClientLogin(event: Event): Promise<void> {
    const clientLogin = (event.target as HTMLSelectElement).value as App['clientLogin'];
    return this.run(async () => {
      this.app = await this.api.updateApp(this.appId, { clientLogin });
    }, 'Saved.');
  }

  private setHistoryDays(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const historyDays = Number(this.field(event.target as HTMLFormElement, 'historyDays'));
    return this.run(async () => {
      this.app = await this.api.updateApp(this.appId, { historyDays });
    }, 'Saved.');
  }

  private setBlocked(blocked: boolean): Promise<void> {
    return this.run(
      async () => {
        this.app = await this.api.setBlocked(this.appId, blocked);
      },
      blocked ? 'Blocked.' : 'Unblocked.',
    );
  }

  private deleteApp(): Promise<void> {
    return this.run(async () => {
      await this.api.deleteApp(this.appId);
      location.hash = '#/apps';
    });
  }

  override render() {
    const app = this.app;
    if (!app)
      return html`<p class="note">
        ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : 'Loading…'}
      </p>`;
    return html`
      <p><a href="#/apps">← All apps</a></p>
      <h1>${app.name}</h1>
      <p>
        App ID
        <code data-app-id>${app.id}</code
        >${app.blocked ? html` · <strong class="error">Blocked by an operator</strong>` : null}
        ${app.owner !== undefined ? html` · owner ${app.owner ?? '(made with the CLI)'}` : null}
      </p>
      <p class="error" role="alert">${this.error}</p>
      <p class="note" role="status">${this.status}</p>
      <portal-token-reveal .tokens=${this.revealed} @portal-dismiss=${() => (this.revealed = [])}></portal-token-reveal>

      <section aria-labelledby="name-title">
        <h2 id="name-title">Name</h2>
        <form class="row" @submit=${this.rename}>
          <div>
            <label for="name">App name</label
            ><input id="name" name="name" .value=${app.name} required maxlength="200" />
          </div>
          <button type="submit">Rename</button>
        </form>
      </section>

      <section aria-labelledby="domains-title">
        <h2 id="domains-title">Permitted domains</h2>
        <p class="note">Pages on these hosts may use the app's web tokens. A host without a port permits every port.</p>
        <ul class="plain" aria-label="Permitted domains">
          ${app.domains.length === 0 ? html`<li class="note">None yet.</li>` : null}
          ${app.domains.map(
            (d) =>
              html`<li data-domain=${d}>
                <code>${d}</code>
                <button class="secondary" aria-label="Remove ${d}" @click=${() => this.removeDomain(d)}>Remove</button>
              </li>`,
          )}
        </ul>
        <form class="row" @submit=${this.addDomain}>
          <div>
            <label for="domain">Domain (host or host:port)</label
            ><input id="domain" name="domain" required maxlength="262" placeholder="www.example.com" />
          </div>
          <button type="submit">Add domain</button>
        </form>
        <label for="client-login">Client-side login</label>
        <select id="client-login" .value=${app.clientLogin} @change=${this.setClientLogin}>
          <option value="all">Allowed for sandbox and production tokens</option>
          <option value="sandbox">Sandbox tokens only</option>
          <option value="none">Off (server-to-server login only)</option>
        </select>
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">Conversation history</h2>
        <p class="note">
          How long the server keeps conversations for <code>Messaging.history</code> and the chat's history; older
          messages are deleted. 0 keeps none.
        </p>
        <form class="row" @submit=${this.setHistoryDays}>
          <div>
            <label for="history-days">Days kept (0 to 3650)</label
            ><input
              id="history-days"
              name="historyDays"
              type="number"
              required
              min="0"
              max="3650"
              step="1"
              .value=${String(app.historyDays)}
            />
          </div>
          <button type="submit">Save history days</button>
        </form>
      </section>

      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        <form class="row" @submit=${this.createToken}>
          <div>
            <label for="type">Type</label>
            <select id="type" name="type">
              <option value="web">web</option>
              <option value="native">native</option>
            </select>
          </div>
          <div>
            <label for="environment">Environment</label>
            <select id="environment" name="environment">
              <option value="sandbox">sandbox</option>
              <option value="production">production</option>
            </select>
          </div>
          <button type="submit">Create token</button>
        </form>
        <table>
          <caption class="note">
            Tokens are listed by id; the token itself was shown once, when it was made.
          </caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Type</th>
              <th scope="col">Environment</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col"><span class="note">Action</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.tokens.map(
              (t) =>
                html`<tr data-token-id=${t.id}>
                  <td><code>${t.id}</code></td>
                  <td>${t.type}</td>
                  <td>${t.environment}</td>
                  <td>${t.createdAt.slice(0, 10)}</td>
                  <td>${t.revokedAt ? 'revoked' : 'live'}</td>
                  <td>
                    ${t.revokedAt ? null : html`<button class="secondary" aria-label="Revoke ${t.id}" @click=${() => this.revoke(t)}>Revoke</button>`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>

      <portal-test-session .api=${this.api} app-id=${app.id}></portal-test-session>

      <portal-usage .api=${this.api} app-id=${app.id}></portal-usage>

      <section aria-labelledby="danger-title">
        <h2 id="danger-title">Delete or block</h2>
        ${
          this.account.role === 'operator'
            ? html`<p>
                <button class="secondary" @click=${() => this.setBlocked(!app.blocked)}>
                  ${app.blocked ? 'Unblock app' : 'Block app'}
                </button>
              </p>`
            : null
        }
        ${
          this.confirmDelete
            ? html`<p>Delete ${app.name} and all its tokens? Users of it can no longer sign in.</p>
                <button class="danger" @click=${this.deleteApp}>Delete for good</button>
                <button class="secondary" @click=${() => (this.confirmDelete = false)}>Cancel</button>`
            : html`<button class="danger" @click=${() => (this.confirmDelete = true)}>Delete app</button>`
        }
      </section>
    `;
  }
}

define('portal-app-detail', PortalAppDetail);

declare global {
  interface HTMLElementTagNameMap {
    'portal-app-detail': PortalAppDetail;
  }
}
