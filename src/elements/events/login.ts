import { EVENT_OPTIONS } from './options.js';

export interface LoginDetail {
  readonly userId: string;
  readonly displayName: string;
}

/** A user was signed in (a session token is at hand). */
export class OovooLoginEvent extends CustomEvent<LoginDetail> {
  constructor(detail: LoginDetail) {
    super('oovoo-login', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-login': OovooLoginEvent;
  }
}
