import { EVENT_OPTIONS } from './options.js';

export interface HandChangeDetail {
  readonly uid: string;
  readonly raised: boolean;
  /** Your own hand. */
  readonly local: boolean;
}

/** Someone raised or lowered a hand, you too (`local: true`). */
export class OovooHandChangeEvent extends CustomEvent<HandChangeDetail> {
  constructor(detail: HandChangeDetail) {
    super('oovoo-hand-change', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-hand-change': OovooHandChangeEvent;
  }
}
