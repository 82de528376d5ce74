import type { FileInfo } from '../../protocol/files.js';
import { EVENT_OPTIONS } from './options.js';

/** A message in a chat, as its events describe it. */
export interface ChatMessageDetail {
  /** The server's `msg_id` (persistent chat) or the sender's id for the message (in-call chat). */
  readonly id: string;
  readonly from: string;
  readonly body: string;
  /** When it was stored or sent, in ms since the epoch. */
  readonly ts: number;
  /** The files it carries (images with their thumbnail's id); absent when none. */
  readonly files?: readonly FileInfo[];
}

/** A message from someone else arrived. */
export class OovooMessageEvent extends CustomEvent<ChatMessageDetail> {
  constructor(detail: ChatMessageDetail) {
    super('oovoo-message', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-message': OovooMessageEvent;
  }
}
