import { EVENT_OPTIONS } from './options.js';

/** A conversation, named as `Messaging.history` takes it: exactly one of `with` and `group`. */
export interface ConversationSelectDetail {
  /** The other user of a 1:1. */
  readonly with?: string;
  /** The other members of a group. */
  readonly group?: readonly string[];
}

/**
 * The user chose a conversation in `<oovoo-conversations>`. Imported by that element's own module
 * (not through index.ts), so the SDK script carries it only where the element is.
 */
export class OovooConversationSelectEvent extends CustomEvent<ConversationSelectDetail> {
  constructor(detail: ConversationSelectDetail) {
    super('oovoo-conversation-select', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-conversation-select': OovooConversationSelectEvent;
  }
}
