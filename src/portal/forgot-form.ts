import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PortalApi } from './api.js';
import { define, errorText, portalStyles } from './styles.js';

/** Asks for a password reset link by mail; fires `portal-back` to return to the sign-in form. */
export class PortalForgotForm extends LitElement {
  static override styles = portalStyles;

  @property({ attribute: false }) api!: PortalApi;
  @state() private sentTo = '';
  @state() private error = '';
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const email = ((event.target as HTMLFormElement).elements.namedItem('email') as HTMLInputElement).value;
    this.busy = true;
    this.error = '';
    try {
      await this.api.requestPasswordReset(email);
      this.sentTo = email;
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  private back(): void {
    this.dispatchEvent(new Event('portal-back', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<section aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      ${
        this.sentTo
          ? html`<p role="status">
              If an account uses <strong>${this.sentTo}</strong>, we sent it a link to choose a new password. The link
              works once, for a limited time.
            </p>`
          : html`<form @submit=${this.submit}>
              <p class="note">We mail you a link to choose a new password.</p>
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" />
              <p class="error" role="alert">${this.error}</p>
              <button type="submit" ?disabled=${this.busy}>Send the link</button>
            </form>`
      }
      <p><button class="secondary" @click=${this.back}>Back to sign in</button></p>
    </section>`;
  }
}

define('portal-forgot-form', PortalForgotForm);

declare global {
  interface HTMLElementTagNameMap {
    'portal-forgot-form': PortalForgotForm;
  }
}
