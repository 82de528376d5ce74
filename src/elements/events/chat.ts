/** The events of <oovoo-chat>. Each bubbles and crosses shadow roots. */

/** A message in a chat, as its events describe it. */
export interface ChatMessageDetail {
  /** The server's `msg_id` (persistent chat) or the sender's id for the message (in-call chat). */
  readonly id: string;
  readonly from: string;
  readonly body: string;
  /** When it was stored or sent, in ms since the epoch. */
  readonly ts: number;
}

/** A message from someone else arrived. */
export class OovooMessageEvent extends CustomEvent<ChatMessageDetail> {
  constructor(detail: ChatMessageDetail) {
    super('oovoo-message', { bubbles: true, composed: true, detail });
  }
}

/** The user is about to send a message; cancel it (`preventDefault()`) to keep it from going out. */
export class OovooSendEvent extends CustomEvent<{ readonly to: readonly string[]; readonly body: string }> {
  constructor(detail: { to: readonly string[]; body: string }) {
    super('oovoo-send', { bubbles: true, composed: true, cancelable: true, detail });
  }
}

/** A recipient acknowledged one of the user's messages. */
export class OovooReceiptEvent extends CustomEvent<{ readonly id: string; readonly from: string; readonly state: 'Delivered' | 'Read' }> {
  constructor(detail: { id: string; from: string; state: 'Delivered' | 'Read' }) {
    super('oovoo-receipt', { bubbles: true, composed: true, detail });
  }
}

/** The number of received messages not yet seen changed. */
export class OovooUnreadChangeEvent extends CustomEvent<{ readonly unread: number }> {
  constructor(unread: number) {
    super('oovoo-unread-change', { bubbles: true, composed: true, detail: { unread } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-message': OovooMessageEvent;
    'oovoo-send': OovooSendEvent;
    'oovoo-receipt': OovooReceiptEvent;
    'oovoo-unread-change': OovooUnreadChangeEvent;
  }
}
