import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { PushSubscriptionRecord } from '../../store/messaging-types.js';
import type { PushOutcome, PushProvider } from './push-provider.js';
import type { VapidKeys } from './vapid.js';

/** Web Push (RFC 8030, payload encrypted per RFC 8291 as aes128gcm, VAPID per RFC 8292) through the web-push library. */
export class WebPushProvider implements PushProvider {
  readonly kind = 'web';

  constructor(
    private readonly vapid: VapidKeys,
    private readonly opts: { subject: string; agent: Agent | undefined; timeoutMs: number },
  ) {}

  async send(subscription: PushSubscriptionRecord, payload: string, opts: { ttlSeconds: number }): Promise<PushOutcome> {
    try {
      await webpush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, payload, {
        TTL: opts.ttlSeconds,
        contentEncoding: 'aes128gcm',
        vapidDetails: { subject: this.opts.subject, publicKey: this.vapid.publicKey, privateKey: this.vapid.privateKey },
        timeout: this.opts.timeoutMs,
        ...(this.opts.agent ? { agent: this.opts.agent } : {}),
      });
      return 'sent';
    } catch (e) {
      // 404 and 410: the subscription expired or was withdrawn; it will never work again.
      if (e instanceof webpush.WebPushError && (e.statusCode === 404 || e.statusCode === 410)) return 'gone';
      return 'failed';
    }
  }
}
