import { EVENT_OPTIONS } from './options.js';

export interface ConferenceLeaveDetail {
  readonly conferenceId: string;
  readonly uid: string;
  /** Why the call ended when it was not a leave ('' for a leave): the SDK's DISCONNECTED errorCode. */
  readonly errorCode: string;
}

/** Left the conference (or it ended): after the participant-leave events and the DISCONNECTED state change. */
export class OovooLeaveEvent extends CustomEvent<ConferenceLeaveDetail> {
  constructor(detail: ConferenceLeaveDetail) {
    super('oovoo-leave', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-leave': OovooLeaveEvent;
  }
}
