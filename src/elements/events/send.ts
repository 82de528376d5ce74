import { EVENT_OPTIONS } from './options.js';

export interface SendDetail {
  readonly to: readonly string[];
  readonly body: string;
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
