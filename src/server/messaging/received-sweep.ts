import type { FastifyBaseLogger } from 'fastify';
import type { MessagingStore } from '../store/messaging-types.js';
import { PeriodicSweep, type PeriodicSweepOptions } from './periodic-sweep.js';

/**
 * How long an inbox entry stays after a client took it: longer than a bell between nodes and the
 * other node's read take, even on a loaded machine (inbox-received.ts says why it stays).
 */
export const RECEIVED_KEPT_MS = 60_000;

/** Deletes inbox entries taken more than RECEIVED_KEPT_MS ago; the same age in every app. */
export class ReceivedSweep extends PeriodicSweep {
  protected readonly logs = {
    fields: (entries: number) => ({ entries }),
    expired: 'deleted inbox entries taken a while ago',
    failed: 'sweep of taken inbox entries failed',
    level: 'debug' as const,
  };

  constructor(
    private readonly store: MessagingStore,
    options: PeriodicSweepOptions,
    log: FastifyBaseLogger,
  ) {
    super(options, log);
  }

  protected ages(): Promise<Map<string, number>> {
    return Promise.resolve(new Map([['every app', RECEIVED_KEPT_MS]]));
  }

  protected expire(_everyApp: string, before: number, limit: number): Promise<number> {
    return this.store.forgetReceived(before, limit);
  }
}
