import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PortalApi } from './api.js';
import { define, errorText, portalStyles } from './styles.js';

/**
 * The form a reset link opens: a new password for the token in the link. Fires `portal-password-reset`
 * when the password is set (every session of the account has ended), `portal-back` to give up.
 */
export class PortalResetForm extends LitElement {
  static override styles = portalStyles;

  @property({ attribute: false }) api!: PortalApi;
  /** The token from the link (`/portal#reset=<token>`). */
  @property({ attribute: false }) token = '';
  @state() private error = '';
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const password = ((event.target as HTMLFormElement).elements.namedItem('password') as HTMLInputElement).value;
    this.busy = true;
    this.error = '';
    try {
      await this.api.resetPassword(this.token, password);
      this.dispatchEvent(new Event('portal-password-reset', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<section aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <form @submit=${this.submit}>
        <label for="password">New password (8 characters or more)</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength="8"
          maxlength="200"
        />
        <p class="error" role="alert">${this.error}</p>
        <button type="submit" ?disabled=${this.busy}>Set the password</button>
      </form>
      <p class="note">Setting it signs this account out everywhere.</p>
      <p>
        <button
          class="secondary"
          @click=${() => this.dispatchEvent(new Event('portal-back', { bubbles: true, composed: true }))}
        >
          Back to sign in
        </button>
      </p>
    </section>`;
  }
}

define('portal-reset-form', PortalResetForm);

declare global {
  interface HTMLElementTagNameMap {
    'portal-reset-form': PortalResetForm;
  }
}
