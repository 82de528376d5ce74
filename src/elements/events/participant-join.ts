import { EVENT_OPTIONS } from './options.js';

export interface ParticipantDetail {
  readonly uid: string;
  readonly displayName: string;
  readonly userData: string;
  readonly local: boolean;
}

/** Someone joined, the local participant included (`local: true`). */
export class OovooParticipantJoinEvent extends CustomEvent<ParticipantDetail> {
  constructor(detail: ParticipantDetail) {
    super('oovoo-participant-join', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-participant-join': OovooParticipantJoinEvent;
  }
}
