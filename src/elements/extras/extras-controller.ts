import { adoptStyles, type CSSResult, type LitElement } from 'lit';
import { OoVooError } from '../../sdk/errors.js';
import { OovooErrorEvent } from '../events/index.js';
import { loadExtras, type Extras } from './load-extras.js';

/**
 * Loads the elements' extras for one element on first use, adds the styles they bring to the
 * element's shadow root, and renders the element again; a failed load is the element's `oovoo-error`.
 */
export class ExtrasController {
  /** The extras, once loaded. */
  value: Extras | undefined;
  private loading: Promise<Extras | undefined> | undefined;

  constructor(
    private readonly host: LitElement,
    private readonly styles: (extras: Extras) => CSSResult,
  ) {}

  /** Starts loading (once); the host updates when they are here. Resolves with them (undefined: failed). */
  use(): Promise<Extras | undefined> {
    if (this.value) return Promise.resolve(this.value);
    return (this.loading ??= loadExtras().then(
      (extras) => {
        const { host } = this;
        adoptStyles(host.renderRoot as ShadowRoot, [
          ...(host.constructor as typeof LitElement).elementStyles,
          this.styles(extras),
        ]);
        this.value = extras;
        host.requestUpdate();
        return extras;
      },
      (e: unknown) => {
        this.loading = undefined;
        this.host.dispatchEvent(new OovooErrorEvent(OoVooError.from(e).info));
        return undefined;
      },
    ));
  }
}
