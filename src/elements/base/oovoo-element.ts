import { LitElement, css, type CSSResultGroup, type PropertyDeclarations } from 'lit';

/**
 * The one base class of every oovoo element: shared host styles, a typed event helper, replaceable
 * strings, and registration that tolerates an element already defined (two bundles on one page).
 */
export abstract class OovooElement<Strings extends Record<string, string> = Record<string, string>> extends LitElement {
  static override styles: CSSResultGroup = css`
    :host {
      box-sizing: border-box;
      font-family: var(--oovoo-font-family, system-ui, sans-serif);
      color: var(--oovoo-color-text, #1d1d1f);
    }
    :host *,
    :host *::before,
    :host *::after {
      box-sizing: inherit;
    }
    :host([hidden]) {
      display: none !important;
    }
    /* The controls every element shares; an element's own styles come after and may refine them. */
    :host {
      --_accent: var(--oovoo-color-accent, #0a66d8);
      --_radius: var(--oovoo-radius, 6px);
    }
    button {
      font: inherit;
      padding: 0.5rem 1rem;
      border: 0;
      border-radius: var(--_radius);
      background: var(--_accent);
      color: #fff;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    input,
    textarea {
      font: inherit;
      padding: 0.5rem;
      border: 1px solid #8a8a8f;
      border-radius: var(--_radius);
    }
    :focus-visible {
      outline: 3px solid var(--_accent);
      outline-offset: 2px;
    }
  `;

  /** The element's English strings; `strings` overrides any of them. */
  protected abstract readonly defaultStrings: Strings;

  static override properties: PropertyDeclarations = { strings: { attribute: false } };

  /** Replacement for any visible string (for other languages or wording). Set as a property. */
  strings: Partial<Strings> = {};

  /** A visible string: the replacement if given, else the English default. */
  protected t(key: keyof Strings & string): string {
    return this.strings[key] ?? (this.defaultStrings[key] as string);
  }

  /** Dispatches one of our typed events; returns false when a listener cancelled it. */
  protected emit(event: Event): boolean {
    return this.dispatchEvent(event);
  }

  /** Registers the element unless that tag is already taken (then keeps the first). */
  static define(tag: string): void {
    if (typeof customElements === 'undefined') return;
    if (!customElements.get(tag)) customElements.define(tag, this as unknown as CustomElementConstructor);
  }
}
