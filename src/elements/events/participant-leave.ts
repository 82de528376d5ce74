import { EVENT_OPTIONS } from './options.js';

export interface ParticipantLeaveDetail {
  readonly uid: string;
}

/** Someone left the conference. */
export class OovooParticipantLeaveEvent extends CustomEvent<ParticipantLeaveDetail> {
  constructor(detail: ParticipantLeaveDetail) {
    super('oovoo-participant-leave', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-participant-leave': OovooParticipantLeaveEvent;
  }
}
