import { EVENT_OPTIONS } from './options.js';

export interface ReceiptDetail {
  readonly id: string;
  readonly from: string;
  readonly state: 'Delivered' | 'Read';
}

/** A recipient acknowledged one of the user's messages. */
export class OovooReceiptEvent extends CustomEvent<ReceiptDetail> {
  constructor(detail: ReceiptDetail) {
    super('oovoo-receipt', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-receipt': OovooReceiptEvent;
  }
}
