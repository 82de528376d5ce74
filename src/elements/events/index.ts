import type { ErrorInfo } from '../../protocol/errors.js';

/** Every oovoo event bubbles and crosses shadow roots, so a page can listen on any ancestor. */
const OPTIONS = { bubbles: true, composed: true } as const;

/** A user was signed in (a session token is at hand). */
export class OovooLoginEvent extends CustomEvent<{ userId: string; displayName: string }> {
  constructor(detail: { userId: string; displayName: string }) {
    super('oovoo-login', { ...OPTIONS, detail });
  }
}

/** The client connected to the server. */
export class OovooConnectEvent extends CustomEvent<{ userId: string; appId: string; environment: string }> {
  constructor(detail: { userId: string; appId: string; environment: string }) {
    super('oovoo-connect', { ...OPTIONS, detail });
  }
}

/** The user signed out, or the connection ended for good. */
export class OovooLogoutEvent extends CustomEvent<{ userId: string | undefined; error?: ErrorInfo }> {
  constructor(detail: { userId: string | undefined; error?: ErrorInfo }) {
    super('oovoo-logout', { ...OPTIONS, detail });
  }
}

/** Something failed; the detail is the spec's `{ code, name, description }`. */
export class OovooErrorEvent extends CustomEvent<ErrorInfo> {
  constructor(detail: ErrorInfo) {
    super('oovoo-error', { ...OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-login': OovooLoginEvent;
    'oovoo-connect': OovooConnectEvent;
    'oovoo-logout': OovooLogoutEvent;
    'oovoo-error': OovooErrorEvent;
  }
}

export * from './chat.js';
export * from './conference.js';
