import { EVENT_OPTIONS } from './options.js';

export interface ConferenceJoinDetail {
  readonly conferenceId: string;
  readonly uid: string;
}

/** Joined the conference: after the state changes and the participant-join events of everyone there. */
export class OovooJoinEvent extends CustomEvent<ConferenceJoinDetail> {
  constructor(detail: ConferenceJoinDetail) {
    super('oovoo-join', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-join': OovooJoinEvent;
  }
}
