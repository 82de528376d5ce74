import { MessagingLimits, utf8Bytes, type PushKeyResult, type PushSendResult } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { userIds } from './recipients.js';
import type { PushParams, PushRegistrationLike } from './push.js';

/* The work behind `ooVooClient.Push` (messaging extras, loaded on first use). */

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

/** The spec's `Push.send`: checks, then `push.send`. */
export async function sendPush(connected: () => SignalClient, params: PushParams): Promise<PushSendResult> {
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
  return connected().request<PushSendResult>(frame);
}

/** Subscribes this browser to pushes for the signed-in user (`push.register`). */
export async function registerPush(
  connected: () => SignalClient,
  registration: PushRegistrationLike,
): Promise<PushSendResult> {
  if (!registration?.pushManager) throw OoVooError.badRequest('register needs a ServiceWorkerRegistration.');
  const { publicKey } = await connected().request<PushKeyResult>({ t: 'push.key' });
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
  return connected().request<PushSendResult>({
    t: 'push.register',
    subscription: {
      endpoint: json.endpoint,
      expirationTime: json.expirationTime ?? null,
      keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
    },
  });
}
