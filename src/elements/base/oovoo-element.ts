import { LitElement, css, type CSSResultGroup, type PropertyDeclarations, type PropertyValues } from 'lit';
import { langOf, packFor, type LanguagePack } from '../lang/lang.js';

/** The connected elements: a `lang` changed anywhere makes each look up its language again. */
const live = new Set<{ requestUpdate(): void }>();
const relang = () => live.forEach((el) => el.requestUpdate());
let langWatcher: MutationObserver | undefined;

/**
 * The one base class of every oovoo element: shared host styles, a typed event helper, replaceable
 * strings in the element's language, and registration that tolerates an element already defined
 * (two bundles on one page).
 *
 * @attr lang - The language of the element's texts (`es`, `fr`, `de`, `pt`, `ja`, `zh`, `ar`, `he`; English by default), else the nearest `lang` above it (an `<oovoo-login>`, `<html>`). Arabic and Hebrew lay the element out right to left.
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
    /* Right to left in Arabic and Hebrew, unless the page gave the element a dir; --_mirror flips arrows. */
    :host(:lang(ar):not([dir])),
    :host(:lang(he):not([dir])) {
      direction: rtl;
      --_mirror: -1 1;
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

  // `lang` stays the global attribute and property; `langAttribute` only renders again when it changes.
  static override properties: PropertyDeclarations = {
    strings: { attribute: false },
    langAttribute: { attribute: 'lang' },
  };

  /** Replacement for any visible string (for other languages or wording). Set as a property. */
  strings: Partial<Strings> = {};

  /** The language pack of the element's language; undefined for English or while it loads. */
  private langPack: LanguagePack | undefined;
  declare private langAttribute: string | null;

  override connectedCallback(): void {
    super.connectedCallback();
    live.add(this);
    if (!langWatcher)
      (langWatcher = new MutationObserver(relang)).observe(document, { attributeFilter: ['lang'], subtree: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    live.delete(this);
  }

  protected override update(changed: PropertyValues): void {
    // Elements in this one's shadow root inherit its lang (the page's observer does not see in there).
    if (changed.has('langAttribute')) relang();
    this.langPack = packFor(langOf(this), () => this.requestUpdate());
    super.update(changed);
  }

  /** A visible string: the replacement if given, else the language pack's, else the English default. */
  protected t(key: keyof Strings & string): string {
    return this.strings[key] ?? this.langPack?.[key] ?? (this.defaultStrings[key] as string);
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
