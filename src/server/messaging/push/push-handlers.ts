import {
  MessagingLimits,
  pushKeyFrame,
  pushRegisterFrame,
  pushSendFrame,
  pushUnregisterFrame,
  utf8Bytes,
  type PushKeyResult,
  type PushSendResult,
} from '../../../protocol/index.js';
import { ApiError } from '../../api-error.js';
import type { ServerContext } from '../../context.js';
import type { SendGuard } from '../send-guard.js';
import type { PushHostAllowlist } from './push-hosts.js';
import { notAcceptedError, type PushService } from './push-service.js';
import { checkSubscriptionEndpoint } from './subscription-endpoint.js';

/** Decoded length of a base64url string. */
function decodedLength(value: string): number {
  return Buffer.from(value, 'base64url').length;
}

/** Registration times that never repeat, so "the oldest subscription" is always one (same-millisecond registrations). */
function registrationClock(): () => number {
  let last = 0;
  return () => (last = Math.max(Date.now(), last + 1));
}

/** push.key, push.register, push.unregister and push.send. */
export function registerPushHandlers(
  ctx: ServerContext,
  deps: {
    push: PushService;
    guard: SendGuard;
    publicKey: string;
    maxSubscriptionsPerUser: number;
    targets: { allowedHosts: PushHostAllowlist; allowPrivateAddresses: boolean };
  },
): void {
  const { push, guard } = deps;
  const now = registrationClock();

  ctx.router.on('push.key', pushKeyFrame, (): PushKeyResult => ({ publicKey: deps.publicKey }));

  ctx.router.on('push.register', pushRegisterFrame, async (connection, frame): Promise<PushSendResult> => {
    const { endpoint, keys } = frame.subscription;
    checkSubscriptionEndpoint(endpoint, deps.targets);
    // An uncompressed P-256 public key and a 16-byte secret (RFC 8291).
    if (decodedLength(keys.p256dh) !== 65)
      throw ApiError.badRequest('subscription.keys.p256dh must be a P-256 public key.');
    if (decodedLength(keys.auth) !== 16) throw ApiError.badRequest('subscription.keys.auth must be 16 bytes.');
    await ctx.store.push.save(
      {
        appId: connection.appId,
        uid: connection.uid,
        endpoint,
        kind: 'web',
        p256dh: keys.p256dh,
        auth: keys.auth,
        createdAt: now(),
      },
      deps.maxSubscriptionsPerUser,
    );
    return { result: 0 };
  });

  ctx.router.on('push.unregister', pushUnregisterFrame, async (connection, frame): Promise<PushSendResult> => {
    await ctx.store.push.remove(connection.appId, frame.endpoint, connection.uid);
    return { result: 0 };
  });

  ctx.router.on('push.send', pushSendFrame, async (connection, frame): Promise<PushSendResult> => {
    const bytes = utf8Bytes(frame.body) + utf8Bytes(frame.property ?? '');
    if (bytes > MessagingLimits.maxPushBytes) {
      throw ApiError.badRequest(`body and property together must be at most ${MessagingLimits.maxPushBytes} bytes.`);
    }
    await guard.takeSend(connection);
    const report = await push.send(connection.appId, [...new Set(frame.to)], {
      type: 'push',
      app: connection.appId,
      from: connection.uid,
      body: frame.body,
      ...(frame.property === undefined ? {} : { property: frame.property }),
    });
    // Success only when some push service took it (the spec's "mobile events" were triggered).
    const refused = notAcceptedError(report);
    if (refused) throw refused;
    return { result: 0 };
  });
}
