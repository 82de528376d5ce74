import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PortalApi, TestSession } from './api.js';
import { define, errorText, portalStyles } from './styles.js';

/** Mints a session token to try the app with, a host's among them (pass it to `ooVooClient.connect`). */
export class PortalTestSession extends LitElement {
  static override styles = portalStyles;

  @property({ attribute: false }) api!: PortalApi;
  @property({ attribute: 'app-id' }) appId = '';
  @state() private session: TestSession | undefined;
  @state() private error = '';

  private async mint(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
    this.error = '';
    try {
      this.session = await this.api.testSession(this.appId, {
        userId: value('session-user'),
        role: value('session-role') as TestSession['role'],
        environment: value('session-environment') as TestSession['environment'],
      });
    } catch (e) {
      this.session = undefined;
      this.error = errorText(e);
    }
  }

  override render() {
    const s = this.session;
    return html`<section aria-labelledby="session-title">
      <h2 id="session-title">Test session token</h2>
      <p class="note">
        A session token as your server's login would get, for a newest live web token of the environment. A host can
        mute, remove, lock the room and answer its lobby.
      </p>
      <form class="row" @submit=${this.mint}>
        <div>
          <label for="session-user">User id</label
          ><input id="session-user" name="session-user" required maxlength="256" placeholder="alice" />
        </div>
        <div>
          <label for="session-role">Role</label>
          <select id="session-role" name="session-role">
            <option value="participant">participant</option>
            <option value="host">host</option>
          </select>
        </div>
        <div>
          <label for="session-environment">Sandbox or production</label>
          <select id="session-environment" name="session-environment">
            <option value="sandbox">sandbox</option>
            <option value="production">production</option>
          </select>
        </div>
        <button type="submit">Make token</button>
      </form>
      <p class="error" role="alert">${this.error}</p>
      ${
        s
          ? html`<p role="status">
                ${s.role} token for <code>${s.userId}</code> (${s.environment}), until
                ${new Date(s.expiresAt * 1000).toLocaleString()}:
              </p>
              <code data-session-token>${s.token}</code>`
          : null
      }
    </section>`;
  }
}

define('portal-test-session', PortalTestSession);

declare global {
  interface HTMLElementTagNameMap {
    'portal-test-session': PortalTestSession;
  }
}
