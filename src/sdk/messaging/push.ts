import { MessagingLimits, utf8Bytes, type PushKeyResult, type PushSendResult } from '../../protocol/index.js';
import { ConnectionState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { userIds, type SendParams } from './messaging.js';

export interface PushParams extends SendParams {
  /** Free text, up to 1 KB together with body. */
  property?: string;
}

/** The parts of a ServiceWorkerRegistration that `register` uses. */
export interface PushRegistrationLike {
  readonly pushManager: Pick<PushManager, 'getSubscription' | 'subscribe'>;
}

function base64urlToBytes(value: string): Uint8Array {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameBytes(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((v, i) => v === b[i]);
}

/** `ooVooClient.Push`: the spec's `send`, and `register` (our addition) for Web Push in this browser. */
export class PushApi {
  constructor(private readonly signal: () => SignalClient | undefined) {
    this.send = this.send.bind(this);
    this.register = this.register.bind(this);
  }

  /** The spec's `Push.send({ to, body, property }, cb)`: cb gets `{ result: 0 }` on success. */
  send(params: PushParams, cb?: ResultCallback<PushSendResult>): Promise<PushSendResult> {
    return settle(this.sendNow(params), cb);
  }

  /**
   * Subscribes this browser (through the page's service worker registration) to pushes for the
   * signed-in user. cb gets `{ result: 0 }`.
   */
  register(registration: PushRegistrationLike, cb?: ResultCallback<PushSendResult>): Promise<PushSendResult> {
    return settle(this.registerNow(registration), cb);
  }

  private connected(): SignalClient {
    const signal = this.signal();
    if (!signal || signal.state !== ConnectionState.Connected)
      throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
    return signal;
  }

  private async sendNow(params: PushParams): Promise<PushSendResult> {
    if (typeof params !== 'object' || params === null) throw OoVooError.badRequest('Push.send needs { to, body }.');
    const to = userIds(params.to);
    if (to.length === 0) throw OoVooError.badRequest('to must be a list of user ids.');
    if (typeof params.body !== 'string' || params.body.length === 0)
      throw OoVooError.badRequest('body must be a non-empty string.');
    if (params.property !== undefined && typeof params.property !== 'string')
      throw OoVooError.badRequest('property must be a string.');
    if (utf8Bytes(params.body) + utf8Bytes(params.property ?? '') > MessagingLimits.maxPushBytes) {
      throw OoVooError.badRequest(`body and property together must be at most ${MessagingLimits.maxPushBytes} bytes.`);
    }
    const frame = {
      t: 'push.send',
      to,
      body: params.body,
      ...(params.property === undefined ? {} : { property: params.property }),
    };
    return this.connected().request<PushSendResult>(frame);
  }

  private async registerNow(registration: PushRegistrationLike): Promise<PushSendResult> {
    if (!registration?.pushManager) throw OoVooError.badRequest('register needs a ServiceWorkerRegistration.');
    const { publicKey } = await this.connected().request<PushKeyResult>({ t: 'push.key' });
    const key = base64urlToBytes(publicKey);
    let subscription = await registration.pushManager.getSubscription();
    // A subscription made for another server key cannot carry our pushes.
    if (subscription && !sameBytes(subscription.options?.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key as BufferSource,
    });
    const json = subscription.toJSON();
    if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth)
      throw OoVooError.unspecified('The browser gave an incomplete push subscription.');
    return this.connected().request<PushSendResult>({
      t: 'push.register',
      subscription: {
        endpoint: json.endpoint,
        expirationTime: json.expirationTime ?? null,
        keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
      },
    });
  }
}
