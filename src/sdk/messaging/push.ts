import type { PushSendResult } from '../../protocol/index.js';
import { ConnectionState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { loadMessagingExtras } from './load-messaging-extras.js';
import type { SendParams } from './messaging.js';

export interface PushParams extends SendParams {
  /** Free text, up to 1 KB together with body. */
  property?: string;
}

/** The parts of a ServiceWorkerRegistration that `register` uses. */
export interface PushRegistrationLike {
  readonly pushManager: Pick<PushManager, 'getSubscription' | 'subscribe'>;
}

/** `ooVooClient.Push`: the spec's `send`, and `register` (our addition) for Web Push in this browser. */
export class PushApi {
  constructor(private readonly signal: () => SignalClient | undefined) {
    this.send = this.send.bind(this);
    this.register = this.register.bind(this);
  }

  /** The spec's `Push.send({ to, body, property }, cb)`: cb gets `{ result: 0 }` on success. */
  send(params: PushParams, cb?: ResultCallback<PushSendResult>): Promise<PushSendResult> {
    return settle(
      loadMessagingExtras().then(({ sendPush }) => sendPush(() => this.connected(), params)),
      cb,
    );
  }

  /**
   * Subscribes this browser (through the page's service worker registration) to pushes for the
   * signed-in user. cb gets `{ result: 0 }`.
   */
  register(registration: PushRegistrationLike, cb?: ResultCallback<PushSendResult>): Promise<PushSendResult> {
    return settle(
      loadMessagingExtras().then(({ registerPush }) => registerPush(() => this.connected(), registration)),
      cb,
    );
  }

  private connected(): SignalClient {
    const signal = this.signal();
    if (!signal || signal.state !== ConnectionState.Connected)
      throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
    return signal;
  }
}
