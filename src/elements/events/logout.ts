import type { ErrorInfo } from '../../protocol/errors.js';
import { EVENT_OPTIONS } from './options.js';

export interface LogoutDetail {
  readonly userId: string | undefined;
  /** Why the connection ended, when it was not a sign-out. */
  readonly error?: ErrorInfo;
}

/** The user signed out, or the connection ended for good. */
export class OovooLogoutEvent extends CustomEvent<LogoutDetail> {
  constructor(detail: LogoutDetail) {
    super('oovoo-logout', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-logout': OovooLogoutEvent;
  }
}
