import type { PushSubscriptionRecord } from '../../store/messaging-types.js';

/** What became of one push: delivered to the push service, gone for good (404/410), or failed this time. */
export type PushOutcome = 'sent' | 'gone' | 'failed';

/**
 * Delivers a payload to one subscription of its `kind`. Web Push is one provider; native ones
 * (APNs, FCM) implement the same interface and are picked by the subscription's kind.
 */
export interface PushProvider {
  readonly kind: string;
  send(subscription: PushSubscriptionRecord, payload: string, opts: { ttlSeconds: number }): Promise<PushOutcome>;
}
