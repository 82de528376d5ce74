import { EVENT_OPTIONS } from './options.js';

export interface UnreadChangeDetail {
  readonly unread: number;
}

/** The number of received messages not yet seen changed. */
export class OovooUnreadChangeEvent extends CustomEvent<UnreadChangeDetail> {
  constructor(unread: number) {
    super('oovoo-unread-change', { ...EVENT_OPTIONS, detail: { unread } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-unread-change': OovooUnreadChangeEvent;
  }
}
