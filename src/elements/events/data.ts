import { EVENT_OPTIONS } from './options.js';

export interface DataDetail {
  readonly uid: string;
  readonly data: string;
}

/** Data another participant sent with sendData. */
export class OovooDataEvent extends CustomEvent<DataDetail> {
  constructor(detail: DataDetail) {
    super('oovoo-data', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-data': OovooDataEvent;
  }
}
