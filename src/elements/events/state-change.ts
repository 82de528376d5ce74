import type { ConferenceStateEventType } from '../../sdk/enums.js';
import { EVENT_OPTIONS } from './options.js';

export interface StateChangeDetail {
  readonly type: ConferenceStateEventType;
  readonly errorCode?: string;
}

/** The spec's onConferenceStateChanged: `type` is its ConferenceStateEventType. */
export class OovooStateChangeEvent extends CustomEvent<StateChangeDetail> {
  constructor(detail: StateChangeDetail) {
    super('oovoo-state-change', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-state-change': OovooStateChangeEvent;
  }
}
