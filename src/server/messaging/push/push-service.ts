import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode, type PushPayload } from '../../../protocol/index.js';
import { ApiError } from '../../api-error.js';
import type { Store } from '../../store/types.js';
import type { PushProvider } from './push-provider.js';
import type { PushThrottle } from './push-throttle.js';

export interface PushReport {
  /** Subscriptions (browsers and devices) of the recipients admitted. */
  readonly devices: number;
  readonly sent: number;
  readonly removed: number;
  readonly failed: number;
  /** Recipients over their pushes-per-minute limit: not pushed. */
  readonly limited: number;
  /** Pushes dropped because the server's queue was full. */
  readonly dropped: number;
}

/**
 * Sends one payload to every subscription of some users, through the provider of each
 * subscription's kind, within the throttle's per-recipient and in-flight limits.
 */
export class PushService {
  private readonly providers: ReadonlyMap<string, PushProvider>;

  constructor(
    private readonly store: Store,
    providers: readonly PushProvider[],
    private readonly throttle: PushThrottle,
    private readonly ttlSeconds: number,
    private readonly log: FastifyBaseLogger,
  ) {
    this.providers = new Map(providers.map((p) => [p.kind, p]));
  }

  /** Settles when every push admitted has been answered (or timed out), never with an error. */
  async send(appId: string, uids: readonly string[], payload: PushPayload): Promise<PushReport> {
    const { admitted, limited } = this.throttle.admit(appId, uids);
    const subscriptions = await this.store.push.forUsers(appId, admitted);
    const json = JSON.stringify(payload);
    let sent = 0;
    let removed = 0;
    let failed = 0;
    let dropped = 0;
    await Promise.all(
      subscriptions.map(async (subscription) => {
        const provider = this.providers.get(subscription.kind);
        if (!provider) return;
        const pushed = this.throttle.run(() =>
          provider.send(subscription, json, { ttlSeconds: this.ttlSeconds }).catch(() => 'failed' as const),
        );
        if (!pushed) {
          dropped++;
          return;
        }
        const outcome = await pushed;
        if (outcome === 'sent') sent++;
        else if (outcome === 'failed') failed++;
        else if (await this.store.push.remove(appId, subscription.endpoint)) removed++;
      }),
    );
    if (failed > 0) this.log.warn({ app: appId, failed }, 'some pushes failed');
    if (sent > 0) await this.store.messages.addPushes(appId, sent, Date.now());
    return { devices: subscriptions.length, sent, removed, failed, limited, dropped };
  }
}

/**
 * `Push.send`'s answer when no push service accepted the push: -50001 when no recipient has a
 * browser or device registered, else -20000 saying what became of the pushes. Undefined (success) otherwise.
 */
export function notAcceptedError(report: PushReport): ApiError | undefined {
  if (report.sent > 0) return undefined;
  if (report.devices === 0 && report.limited === 0)
    return new ApiError(404, ErrorCode.InvalidResource, 'No recipient has a browser or device registered for pushes.');
  return new ApiError(
    502,
    ErrorCode.UnspecifiedError,
    `No push service accepted the push (${report.failed} failed, ${report.removed} devices gone, ` +
      `${report.limited} recipients over their push limit, ${report.dropped} dropped with the queue full).`,
  );
}
