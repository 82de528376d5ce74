import { EVENT_OPTIONS } from './options.js';

export interface ConnectDetail {
  readonly userId: string;
  readonly appId: string;
  readonly environment: string;
}

/** The client connected to the server. */
export class OovooConnectEvent extends CustomEvent<ConnectDetail> {
  constructor(detail: ConnectDetail) {
    super('oovoo-connect', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-connect': OovooConnectEvent;
  }
}
