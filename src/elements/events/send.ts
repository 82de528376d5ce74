import type { FileInfo } from '../../protocol/files.js';
import { EVENT_OPTIONS } from './options.js';

export interface SendDetail {
  readonly to: readonly string[];
  readonly body: string;
  /** Files already uploaded that the message carries (its body then names them); absent when none. */
  readonly files?: readonly FileInfo[];
}

/** The user is about to send a message; cancel it (`preventDefault()`) to keep it from going out. */
export class OovooSendEvent extends CustomEvent<SendDetail> {
  constructor(detail: SendDetail) {
    super('oovoo-send', { ...EVENT_OPTIONS, cancelable: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-send': OovooSendEvent;
  }
}
