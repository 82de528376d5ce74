import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Account, App, IssuedToken, PortalApi } from './api.js';
import { define, errorText, portalStyles } from './styles.js';

/** The apps of the account (all apps, for operators) and the form that makes one. */
export class PortalAppList extends LitElement {
  static override styles = portalStyles;

  @property({ attribute: false }) api!: PortalApi;
  @property({ attribute: false }) account!: Account;
  @state() private apps: App[] | undefined;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.apps = await this.api.apps();
    } catch (e) {
      this.error = errorText(e);
    }
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = (form.elements.namedItem('app-name') as HTMLInputElement).value;
    const domains = (form.elements.namedItem('app-domains') as HTMLInputElement).value.split(/[\s,]+/).filter(Boolean);
    this.error = '';
    try {
      const { app, tokens } = await this.api.createApp(name, domains);
      this.dispatchEvent(
        new CustomEvent<{ app: App; tokens: IssuedToken[] }>('portal-app-created', {
          detail: { app, tokens },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (e) {
      this.error = errorText(e);
    }
  }

  override render() {
    const operator = this.account.role === 'operator';
    return html`
      <h1>${operator ? 'All apps' : 'Your apps'}</h1>
      <section aria-labelledby="create-title">
        <h2 id="create-title">New app</h2>
        <form @submit=${this.create}>
          <label for="app-name">Name</label>
          <input id="app-name" name="app-name" required maxlength="200" />
          <label for="app-domains">Permitted domains (optional, separated by spaces or commas)</label>
          <input id="app-domains" name="app-domains" placeholder="www.example.com localhost:8080" />
          <p class="error" role="alert">${this.error}</p>
          <button type="submit">Create app</button>
        </form>
      </section>
      <section aria-labelledby="list-title">
        <h2 id="list-title">Apps</h2>
        ${
          this.apps === undefined
            ? html`<p class="note">Loading…</p>`
            : this.apps.length === 0
              ? html`<p class="note">No apps yet.</p>`
              : html`<ul class="plain" aria-label="Apps">
                  ${this.apps.map(
                    (a) =>
                      html`<li data-app-id=${a.id}>
                        <a href="#/apps/${a.id}">${a.name}</a>
                        <code>${a.id}</code>
                        ${a.blocked ? html`<strong class="error">blocked</strong>` : null}
                        ${operator ? html`<span class="note">${a.owner ?? '(CLI)'}</span>` : null}
                      </li>`,
                  )}
                </ul>`
        }
      </section>
    `;
  }
}

define('portal-app-list', PortalAppList);

declare global {
  interface HTMLElementTagNameMap {
    'portal-app-list': PortalAppList;
  }
}
