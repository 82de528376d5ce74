import type { FastifyBaseLogger } from 'fastify';
import type { PushPayload } from '../../../protocol/index.js';
import type { Store } from '../../store/types.js';
import type { PushProvider } from './push-provider.js';

export interface PushReport {
  readonly sent: number;
  readonly removed: number;
  readonly failed: number;
}

/** Sends one payload to every subscription of some users, through the provider of each subscription's kind. */
export class PushService {
  private readonly providers: ReadonlyMap<string, PushProvider>;

  constructor(
    private readonly store: Store,
    providers: readonly PushProvider[],
    private readonly ttlSeconds: number,
    private readonly log: FastifyBaseLogger,
  ) {
    this.providers = new Map(providers.map((p) => [p.kind, p]));
  }

  async send(appId: string, uids: readonly string[], payload: PushPayload): Promise<PushReport> {
    const subscriptions = await this.store.push.forUsers(appId, uids);
    const json = JSON.stringify(payload);
    let sent = 0;
    let removed = 0;
    let failed = 0;
    await Promise.all(
      subscriptions.map(async (subscription) => {
        const provider = this.providers.get(subscription.kind);
        if (!provider) return;
        const outcome = await provider.send(subscription, json, { ttlSeconds: this.ttlSeconds });
        if (outcome === 'sent') sent++;
        else if (outcome === 'failed') failed++;
        else if (await this.store.push.remove(appId, subscription.endpoint)) removed++;
      }),
    );
    if (failed > 0) this.log.warn({ app: appId, failed }, 'some pushes failed');
    await this.store.messages.addPushes(appId, sent, Date.now());
    return { sent, removed, failed };
  }
}
