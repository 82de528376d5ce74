import type { ErrorInfo } from '../../protocol/errors.js';
import { EVENT_OPTIONS } from './options.js';

/** Something failed; the detail is the spec's `{ code, name, description }`. */
export class OovooErrorEvent extends CustomEvent<ErrorInfo> {
  constructor(detail: ErrorInfo) {
    super('oovoo-error', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-error': OovooErrorEvent;
  }
}
