import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { IssuedToken } from './api.js';
import { define, portalStyles } from './styles.js';

/** New tokens, shown this once with a Copy button each; the server keeps only their hashes. */
export class PortalTokenReveal extends LitElement {
  static override styles = [
    portalStyles,
    css`
      section {
        border-color: #f5a623;
        background: #fffaf0;
      }
    `,
  ];

  @property({ attribute: false }) tokens: readonly IssuedToken[] = [];
  @state() private copied = '';

  private async copy(token: IssuedToken): Promise<void> {
    try {
      await navigator.clipboard.writeText(token.token);
      this.copied = token.id;
    } catch {
      // No clipboard permission: select the text so the developer can copy it by hand.
      const code = this.renderRoot.querySelector(`code[data-token-id="${token.id}"]`);
      if (code) getSelection()?.selectAllChildren(code);
    }
  }

  override render() {
    if (this.tokens.length === 0) return null;
    return html`<section aria-label="New tokens">
      <h3>Copy your new ${this.tokens.length === 1 ? 'token' : 'tokens'} now</h3>
      <p>They are shown only this once; the server keeps a hash, not the token.</p>
      <ul class="plain">
        ${this.tokens.map(
          (t) =>
            html`<li>
              <span>${t.type} · ${t.environment}</span>
              <code data-token-id=${t.id} data-type=${t.type} data-environment=${t.environment}>${t.token}</code>
              <button
                class="secondary"
                @click=${() => this.copy(t)}
                aria-label="Copy the ${t.type} ${t.environment} token"
              >
                ${this.copied === t.id ? 'Copied' : 'Copy'}
              </button>
            </li>`,
        )}
      </ul>
      <button @click=${() => this.dispatchEvent(new Event('portal-dismiss', { bubbles: true, composed: true }))}>
        I have copied them
      </button>
    </section>`;
  }
}

define('portal-token-reveal', PortalTokenReveal);

declare global {
  interface HTMLElementTagNameMap {
    'portal-token-reveal': PortalTokenReveal;
  }
}
