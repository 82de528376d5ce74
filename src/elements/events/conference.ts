import type { ConferenceStateEventType } from '../../sdk/enums.js';

/** Every oovoo event bubbles and crosses shadow roots, so a page can listen on any ancestor. */
const OPTIONS = { bubbles: true, composed: true } as const;

export interface ConferenceJoinDetail {
  readonly conferenceId: string;
  readonly uid: string;
}
export interface ConferenceLeaveDetail {
  readonly conferenceId: string;
  readonly uid: string;
  /** Why the call ended when it was not a leave ('' for a leave): the SDK's DISCONNECTED errorCode. */
  readonly errorCode: string;
}
export interface ParticipantDetail {
  readonly uid: string;
  readonly displayName: string;
  readonly userData: string;
  readonly local: boolean;
}

/** Joined the conference: after the state changes and the participant-join events of everyone there. */
export class OovooJoinEvent extends CustomEvent<ConferenceJoinDetail> {
  constructor(detail: ConferenceJoinDetail) {
    super('oovoo-join', { ...OPTIONS, detail });
  }
}

/** Left the conference (or it ended): after the participant-leave events and the DISCONNECTED state change. */
export class OovooLeaveEvent extends CustomEvent<ConferenceLeaveDetail> {
  constructor(detail: ConferenceLeaveDetail) {
    super('oovoo-leave', { ...OPTIONS, detail });
  }
}

/** The person pressed Leave: cancel it (preventDefault) to stay, e.g. after asking for confirmation. */
export class OovooLeaveRequestEvent extends CustomEvent<{ readonly conferenceId: string }> {
  constructor(detail: { readonly conferenceId: string }) {
    super('oovoo-leave-request', { ...OPTIONS, cancelable: true, detail });
  }
}

/** Someone joined, the local participant included (`local: true`). */
export class OovooParticipantJoinEvent extends CustomEvent<ParticipantDetail> {
  constructor(detail: ParticipantDetail) {
    super('oovoo-participant-join', { ...OPTIONS, detail });
  }
}

export class OovooParticipantLeaveEvent extends CustomEvent<{ readonly uid: string }> {
  constructor(detail: { readonly uid: string }) {
    super('oovoo-participant-leave', { ...OPTIONS, detail });
  }
}

/** The spec's onConferenceStateChanged: `type` is its ConferenceStateEventType. */
export class OovooStateChangeEvent extends CustomEvent<{ readonly type: ConferenceStateEventType; readonly errorCode?: string }> {
  constructor(detail: { readonly type: ConferenceStateEventType; readonly errorCode?: string }) {
    super('oovoo-state-change', { ...OPTIONS, detail });
  }
}

/** Data another participant sent with sendData. */
export class OovooDataEvent extends CustomEvent<{ readonly uid: string; readonly data: string }> {
  constructor(detail: { readonly uid: string; readonly data: string }) {
    super('oovoo-data', { ...OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-join': OovooJoinEvent;
    'oovoo-leave': OovooLeaveEvent;
    'oovoo-leave-request': OovooLeaveRequestEvent;
    'oovoo-participant-join': OovooParticipantJoinEvent;
    'oovoo-participant-leave': OovooParticipantLeaveEvent;
    'oovoo-state-change': OovooStateChangeEvent;
    'oovoo-data': OovooDataEvent;
  }
}
