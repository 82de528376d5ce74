import { type Kysely, Migrator } from 'kysely';
import { FileLimits, type ClientLoginPolicy, type Environment, type TokenType } from '../../protocol/index.js';
import { KyselyAccessChanges, recordAccessChange } from './access-changes.js';
import { KyselyConferenceUsage } from './conference-usage.js';
import { KyselyConversationStore } from './conversation-store.js';
import { StoreFileBytes } from './file-blobs.js';
import { KyselyFileStore } from './file-store.js';
import { HISTORY_DAYS, KyselyHistoryStore } from './history-store.js';
import { migrationProvider } from './migrations.js';
import { KyselyMessagingStore } from './messaging-store.js';
import { KyselyPushStore } from './push-store.js';
import { KyselyPushCredentialStore } from './push-credential-store.js';
import { KyselyPortalStore } from './portal-store.js';
import type { Database } from './schema.js';
import type { AppPatch, AppRecord, AppTokenRecord, Store } from './types.js';

export interface KyselyStoreOptions {
  /**
   * `one` (SQLite): this process is the only writer and caches inbox sequence numbers and totals.
   * `many` (PostgreSQL): other nodes write too; commits lock the inboxes and senders they write and read the tables.
   */
  readonly writers?: 'one' | 'many';
}

type AppRow = Database['apps'];
type TokenRow = Database['app_tokens'];

function toApp(row: AppRow): AppRecord {
  return {
    id: row.id,
    name: row.name,
    domains: JSON.parse(row.domains) as string[],
    blocked: Number(row.blocked) === 1,
    clientLogin: row.client_login as ClientLoginPolicy,
    createdAt: Number(row.created_at),
    ...(row.message_ttl_days === null || row.message_ttl_days === undefined
      ? {}
      : { messageTtlDays: Number(row.message_ttl_days) }),
    // Like the TTL: only when the app differs from the default.
    ...(Number(row.history_days) === HISTORY_DAYS.default ? {} : { historyDays: Number(row.history_days) }),
    ...(Number(row.file_max_bytes) === FileLimits.defaultMaxBytes ? {} : { fileMaxBytes: Number(row.file_max_bytes) }),
    ...(Number(row.file_quota_bytes) === FileLimits.defaultUserQuotaBytes
      ? {}
      : { fileQuotaBytes: Number(row.file_quota_bytes) }),
  };
}

function toToken(row: TokenRow): AppTokenRecord {
  return {
    id: row.id,
    appId: row.app_id,
    type: row.type as TokenType,
    environment: row.environment as Environment,
    hash: row.hash,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

/** The store over any Kysely dialect: SQLite (embedded default) or PostgreSQL. */
export class KyselyStore implements Store {
  private constructor(
    private readonly db: Kysely<Database>,
    private readonly writers: 'one' | 'many',
  ) {}

  /** Opens the store and brings its schema up to date. */
  static async open(db: Kysely<Database>, options: KyselyStoreOptions = {}): Promise<KyselyStore> {
    // Feature modules add migrations independently; a later-numbered one may already have run.
    const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      await db.destroy();
      throw new Error(`store migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
    }
    return new KyselyStore(db, options.writers ?? 'one');
  }

  readonly apps: Store['apps'] = {
    create: async (app) => {
      await this.db
        .insertInto('apps')
        .values({
          id: app.id,
          name: app.name,
          domains: JSON.stringify(app.domains),
          blocked: app.blocked ? 1 : 0,
          client_login: app.clientLogin,
          created_at: app.createdAt,
          history_days: app.historyDays ?? HISTORY_DAYS.default,
          file_max_bytes: app.fileMaxBytes ?? FileLimits.defaultMaxBytes,
          file_quota_bytes: app.fileQuotaBytes ?? FileLimits.defaultUserQuotaBytes,
        })
        .execute();
    },
    get: async (id) => {
      const row = await this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toApp(row);
    },
    list: async () => {
      const rows = await this.db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toApp);
    },
    count: async () => {
      const row = await this.db
        .selectFrom('apps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    update: async (id, patch: AppPatch) => {
      const values: Partial<AppRow> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.domains !== undefined) values.domains = JSON.stringify(patch.domains);
      if (patch.blocked !== undefined) values.blocked = patch.blocked ? 1 : 0;
      if (patch.clientLogin !== undefined) values.client_login = patch.clientLogin;
      if (patch.messageTtlDays !== undefined) values.message_ttl_days = patch.messageTtlDays;
      if (patch.historyDays !== undefined) values.history_days = patch.historyDays;
      if (patch.fileMaxBytes !== undefined) values.file_max_bytes = patch.fileMaxBytes;
      if (patch.fileQuotaBytes !== undefined) values.file_quota_bytes = patch.fileQuotaBytes;
      if (Object.keys(values).length > 0) {
        await this.db.transaction().execute(async (trx) => {
          const result = await trx.updateTable('apps').set(values).where('id', '=', id).executeTakeFirst();
          // Blocking tells running servers (access-changes.ts); so does unblocking, harmlessly.
          if (patch.blocked !== undefined && Number(result.numUpdatedRows) > 0) await recordAccessChange(trx, id);
        });
      }
      return this.apps.get(id);
    },
    delete: async (id) => {
      // Tokens first: the foreign key cascade depends on a pragma some dialects lack.
      return this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('app_tokens').where('app_id', '=', id).execute();
        await trx.deleteFrom('app_owners').where('app_id', '=', id).execute();
        const result = await trx.deleteFrom('apps').where('id', '=', id).executeTakeFirst();
        const deleted = Number(result.numDeletedRows) > 0;
        if (deleted) await recordAccessChange(trx, id);
        return deleted;
      });
    },
  };

  readonly tokens: Store['tokens'] = {
    create: async (token) => {
      await this.db
        .insertInto('app_tokens')
        .values({
          id: token.id,
          app_id: token.appId,
          type: token.type,
          environment: token.environment,
          hash: token.hash,
          created_at: token.createdAt,
          revoked_at: token.revokedAt,
        })
        .execute();
    },
    get: async (id) => {
      const row = await this.db.selectFrom('app_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toToken(row);
    },
    listForApp: async (appId) => {
      const rows = await this.db
        .selectFrom('app_tokens')
        .selectAll()
        .where('app_id', '=', appId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },
    revoke: async (id, at) => {
      return this.db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('app_tokens')
          .set({ revoked_at: at })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        const token = await trx
          .selectFrom('app_tokens')
          .select('app_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        await recordAccessChange(trx, token.app_id);
        return true;
      });
    },
  };

  get conferenceUsage(): Store['conferenceUsage'] {
    return new KyselyConferenceUsage(this.db);
  }

  readonly accessChanges: Store['accessChanges'] = new KyselyAccessChanges(this.db);
  readonly messages: Store['messages'] = new KyselyMessagingStore(this.db, this.writers);
  readonly history: Store['history'] = new KyselyHistoryStore(this.db);
  readonly files: Store['files'] = new KyselyFileStore(this.db);
  readonly fileBlobs: Store['fileBlobs'] = new StoreFileBytes(this.db);
  readonly conversations: Store['conversations'] = new KyselyConversationStore(this.db);
  readonly push: Store['push'] = new KyselyPushStore(this.db);
  readonly pushCredentials: Store['pushCredentials'] = new KyselyPushCredentialStore(this.db);
  readonly portal: Store['portal'] = new KyselyPortalStore(this.db);

  readonly settings: Store['settings'] = {
    get: async (key) => {
      const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    putIfAbsent: async (key, value) => {
      await this.db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const stored = await this.settings.get(key);
      if (stored === undefined) throw new Error(`setting ${key} could not be stored`);
      return stored;
    },
  };

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
