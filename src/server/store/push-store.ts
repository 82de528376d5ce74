import type { Kysely } from 'kysely';
import type { PushStore, PushSubscriptionRecord } from './messaging-types.js';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Web Push subscriptions per app and user, over Kysely. */
export class KyselyPushStore implements PushStore {
  constructor(private readonly db: Db) {}

  async save(sub: PushSubscriptionRecord, maxPerUser: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('push_subscriptions')
        .values({
          app_id: sub.appId,
          endpoint: sub.endpoint,
          uid: sub.uid,
          kind: sub.kind,
          p256dh: sub.p256dh,
          auth: sub.auth,
          created_at: sub.createdAt,
        })
        .onConflict((oc) =>
          oc.columns(['app_id', 'endpoint']).doUpdateSet({
            uid: sub.uid,
            kind: sub.kind,
            p256dh: sub.p256dh,
            auth: sub.auth,
            created_at: sub.createdAt,
          }),
        )
        .execute();
      const rows = await trx
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .where('app_id', '=', sub.appId)
        .where('uid', '=', sub.uid)
        .orderBy('created_at', 'desc')
        .execute();
      const excess = rows.slice(maxPerUser).map((r) => r.endpoint);
      if (excess.length > 0) {
        await trx
          .deleteFrom('push_subscriptions')
          .where('app_id', '=', sub.appId)
          .where('endpoint', 'in', excess)
          .execute();
      }
    });
  }

  async forUsers(appId: string, uids: readonly string[]): Promise<PushSubscriptionRecord[]> {
    if (uids.length === 0) return [];
    const rows = await this.db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('app_id', '=', appId)
      .where('uid', 'in', [...uids])
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      appId: r.app_id,
      uid: r.uid,
      endpoint: r.endpoint,
      kind: r.kind,
      p256dh: r.p256dh,
      auth: r.auth,
      createdAt: Number(r.created_at),
    }));
  }

  async remove(appId: string, endpoint: string, uid?: string): Promise<boolean> {
    let query = this.db.deleteFrom('push_subscriptions').where('app_id', '=', appId).where('endpoint', '=', endpoint);
    if (uid !== undefined) query = query.where('uid', '=', uid);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
