import type { Kysely, Transaction } from 'kysely';
import { compositeKey, splitCompositeKey } from '../composite-key.js';
import { utcDay } from '../utc-day.js';
import type { MessagingUsageDay } from './messaging-types.js';
import type { Database } from './schema.js';
import type { WriteGroup } from './write-group.js';

type Db = Kysely<Database>;

export interface MessagingUsageDelta {
  sent: number;
  delivered: number;
  pushes: number;
}

/** Adds to one shard of one app's day of `usage_messaging_daily` (a day is the sum of its shards). */
export async function addMessagingUsage(
  db: Db | Transaction<Database>,
  appId: string,
  day: string,
  delta: MessagingUsageDelta,
  shard = 0,
): Promise<void> {
  await usageUpsert(db, appId, day, delta, shard).execute();
}

function usageUpsert(
  db: Db | Transaction<Database>,
  appId: string,
  day: string,
  delta: MessagingUsageDelta,
  shard: number,
) {
  return db
    .insertInto('usage_messaging_daily')
    .values({ app_id: appId, day, shard, ...delta })
    .onConflict((oc) =>
      oc.columns(['app_id', 'day', 'shard']).doUpdateSet((eb) => ({
        sent: eb('usage_messaging_daily.sent', '+', eb.ref('excluded.sent')),
        delivered: eb('usage_messaging_daily.delivered', '+', eb.ref('excluded.delivered')),
        pushes: eb('usage_messaging_daily.pushes', '+', eb.ref('excluded.pushes')),
      })),
    );
}

/** One app's days, oldest first. */
export async function listMessagingUsage(db: Db, appId: string): Promise<MessagingUsageDay[]> {
  const rows = await db
    .selectFrom('usage_messaging_daily')
    .select((eb) => [
      'app_id',
      'day',
      eb.fn.sum<number>('sent').as('sent'),
      eb.fn.sum<number>('delivered').as('delivered'),
      eb.fn.sum<number>('pushes').as('pushes'),
    ])
    .where('app_id', '=', appId)
    .groupBy(['app_id', 'day'])
    .orderBy('day')
    .execute();
  return rows.map((r) => ({
    appId: r.app_id,
    day: r.day,
    sent: Number(r.sent),
    delivered: Number(r.delivered),
    pushes: Number(r.pushes),
  }));
}

/** What one commit adds to usage, per app and day, written with the commit in one statement per day. */
export class MessagingUsageTally {
  private readonly days = new Map<string, MessagingUsageDelta>();

  of(appId: string, at: number): MessagingUsageDelta {
    const k = compositeKey(appId, utcDay(at));
    let u = this.days.get(k);
    if (!u) this.days.set(k, (u = { sent: 0, delivered: 0, pushes: 0 }));
    return u;
  }

  /** In key order, so two writers on one shard lock their rows in the same order. */
  async write(trx: Transaction<Database>, shard: number, writes: WriteGroup): Promise<void> {
    for (const [k, delta] of [...this.days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [appId, day] = splitCompositeKey(k) as [string, string];
      await writes.add(usageUpsert(trx, appId, day, delta, shard));
    }
  }
}
