import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Account, PortalApi } from './api.js';
import './forgot-form.js';
import { define, errorText, portalStyles } from './styles.js';

/** Sign in or sign up with email and password, or ask for a reset link; fires `portal-signed-in` with the account. */
export class PortalAuthForm extends LitElement {
  static override styles = portalStyles;

  @property({ attribute: false }) api!: PortalApi;
  @state() private signUp = false;
  @state() private forgot = false;
  @state() private error = '';
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const email = (form.elements.namedItem('email') as HTMLInputElement).value;
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    this.busy = true;
    this.error = '';
    try {
      const account: Account = await this.api.signIn(email, password, this.signUp);
      this.dispatchEvent(
        new CustomEvent<Account>('portal-signed-in', { detail: account, bubbles: true, composed: true }),
      );
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    if (this.forgot)
      return html`<portal-forgot-form
        .api=${this.api}
        @portal-back=${() => (this.forgot = false)}
      ></portal-forgot-form>`;
    const title = this.signUp ? 'Create a developer account' : 'Sign in';
    return html`<section aria-labelledby="auth-title">
      <h1 id="auth-title">${title}</h1>
      <form @submit=${this.submit}>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" />
        <label for="password">Password${this.signUp ? ' (8 characters or more)' : ''}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete=${this.signUp ? 'new-password' : 'current-password'}
          required
          minlength=${this.signUp ? 8 : 1}
          maxlength="200"
        />
        <p class="error" role="alert">${this.error}</p>
        <button type="submit" ?disabled=${this.busy}>${this.signUp ? 'Sign up' : 'Sign in'}</button>
      </form>
      ${this.signUp ? null : html`<p><button class="secondary" @click=${() => ((this.forgot = true), (this.error = ''))}>Forgot password?</button></p>`}
      <p>
        ${this.signUp ? 'Have an account?' : 'New here?'}
        <button class="secondary" @click=${() => ((this.signUp = !this.signUp), (this.error = ''))}>
          ${this.signUp ? 'Sign in instead' : 'Create an account'}
        </button>
      </p>
    </section>`;
  }
}

define('portal-auth-form', PortalAuthForm);

declare global {
  interface HTMLElementTagNameMap {
    'portal-auth-form': PortalAuthForm;
  }
}
