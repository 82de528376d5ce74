import { EVENT_OPTIONS } from './options.js';

export interface PinChangeDetail {
  /** The pinned participant's uid; '' when nobody is pinned. */
  readonly uid: string;
}

/** The pinned participant changed (a tile's pin button, or the `pinned` attribute). */
export class OovooPinChangeEvent extends CustomEvent<PinChangeDetail> {
  constructor(detail: PinChangeDetail) {
    super('oovoo-pin-change', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-pin-change': OovooPinChangeEvent;
  }
}
