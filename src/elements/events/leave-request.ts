import { EVENT_OPTIONS } from './options.js';

export interface LeaveRequestDetail {
  readonly conferenceId: string;
}

/** The person pressed Leave: cancel it (preventDefault) to stay, e.g. after asking for confirmation. */
export class OovooLeaveRequestEvent extends CustomEvent<LeaveRequestDetail> {
  constructor(detail: LeaveRequestDetail) {
    super('oovoo-leave-request', { ...EVENT_OPTIONS, cancelable: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-leave-request': OovooLeaveRequestEvent;
  }
}
