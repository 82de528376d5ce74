import type { FastifyBaseLogger } from 'fastify';
import webpush from 'web-push';
import type { PushSubscriptionRecord } from '../../store/messaging-types.js';
import { PushTargetRefusedError } from './address-check.js';
import type { PushAgent } from './push-agent.js';
import type { PushOutcome, PushProvider } from './push-provider.js';
import type { VapidKeys } from './vapid.js';

/**
 * Web Push (RFC 8030, payload encrypted per RFC 8291 as aes128gcm, VAPID per RFC 8292) through the
 * web-push library. Every request goes through the PushAgent, which refuses hosts off the
 * allowlist and non-public addresses right before connecting.
 */
export class WebPushProvider implements PushProvider {
  readonly kind = 'web';

  constructor(
    private readonly vapid: VapidKeys,
    private readonly opts: { subject: string; agent: PushAgent; timeoutMs: number; log: FastifyBaseLogger },
  ) {}

  async send(
    subscription: PushSubscriptionRecord,
    payload: string,
    opts: { ttlSeconds: number },
  ): Promise<PushOutcome> {
    let endpoint: URL;
    try {
      endpoint = new URL(subscription.endpoint);
    } catch {
      return 'failed';
    }
    if (endpoint.protocol !== 'https:') return 'failed';
    try {
      // The serialized URL, so web-push's (legacy) parser reads the host the allowlist checked.
      await webpush.sendNotification(
        { endpoint: endpoint.href, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          TTL: opts.ttlSeconds,
          contentEncoding: 'aes128gcm',
          vapidDetails: {
            subject: this.opts.subject,
            publicKey: this.vapid.publicKey,
            privateKey: this.vapid.privateKey,
          },
          timeout: this.opts.timeoutMs,
          agent: this.opts.agent,
        },
      );
      return 'sent';
    } catch (e) {
      // 404 and 410: the subscription expired or was withdrawn; it will never work again.
      if (e instanceof webpush.WebPushError && (e.statusCode === 404 || e.statusCode === 410)) return 'gone';
      // The host only: the endpoint's path is the capability to push to this user.
      if (e instanceof PushTargetRefusedError)
        this.opts.log.warn({ host: endpoint.host, reason: e.message }, 'push target refused');
      return 'failed';
    }
  }
}
