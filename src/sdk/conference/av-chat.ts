import type { ResultCallback } from '../errors.js';
import { Conference, type ConferenceHost } from './conference.js';
import { checkInitParams, type AVChatInitParams } from './init-params.js';

/** `ooVooClient.AVChat` */
export interface AVChat {
  /**
   * The spec's `AVChat.init(params, cb)`: returns the conference object at once; `cb` follows
   * (asynchronously, so the returned object is already assigned) with `{}` or `{ error }` (-40000
   * for invalid parameters). The camera and microphone open now, in parallel with what follows.
   */
  init(params: AVChatInitParams | null | undefined, cb?: ResultCallback): Conference;
}

export function createAVChat(host: ConferenceHost): AVChat {
  return {
    init(params, cb) {
      const checked = checkInitParams(params);
      const error = checked instanceof Error ? checked : undefined;
      const conference = new Conference(host, error ? undefined : (checked as Exclude<typeof checked, Error>), error);
      if (typeof cb === 'function') {
        queueMicrotask(() => {
          try {
            cb(error ? error.toResult() : {});
          } catch (e) {
            queueMicrotask(() => {
              throw e;
            });
          }
        });
      }
      return conference;
    },
  };
}
