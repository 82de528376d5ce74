import type { Kysely, Migration } from 'kysely';
import type { Database } from './schema.js';

/** The native push providers an app may configure. */
export type NativePushProvider = 'fcm' | 'apns';

export interface PushCredentialsTable {
  app_id: string;
  provider: string;
  /** The provider's credentials as JSON (secrets included: never printed, logged or served back). */
  config: string;
  updated_at: number;
}

export interface PushCredentialRecord {
  readonly appId: string;
  readonly provider: NativePushProvider;
  readonly config: string;
  readonly updatedAt: number;
}

/** Per-app credentials of the native push providers, in the store so every node reads the same. */
export interface PushCredentialStore {
  get(appId: string, provider: NativePushProvider): Promise<PushCredentialRecord | undefined>;
  list(appId: string): Promise<PushCredentialRecord[]>;
  put(record: PushCredentialRecord): Promise<void>;
  /** Returns false when the app had none for that provider. */
  clear(appId: string, provider: NativePushProvider): Promise<boolean>;
}

/** Spread into the record of migrations.ts; never edit one that shipped. */
export const pushCredentialMigrations: Record<string, Migration> = {
  '0810_push_credentials': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('push_credentials')
        .addColumn('app_id', 'varchar(64)', (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('provider', 'varchar(16)', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('push_credentials_pk', ['app_id', 'provider'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('push_credentials').execute();
    },
  },
};

function toRecord(row: PushCredentialsTable): PushCredentialRecord {
  return {
    appId: row.app_id,
    provider: row.provider as NativePushProvider,
    config: row.config,
    updatedAt: Number(row.updated_at),
  };
}

export class KyselyPushCredentialStore implements PushCredentialStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(appId: string, provider: NativePushProvider): Promise<PushCredentialRecord | undefined> {
    const row = await this.db
      .selectFrom('push_credentials')
      .selectAll()
      .where('app_id', '=', appId)
      .where('provider', '=', provider)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(appId: string): Promise<PushCredentialRecord[]> {
    const rows = await this.db
      .selectFrom('push_credentials')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('provider')
      .execute();
    return rows.map(toRecord);
  }

  async put(record: PushCredentialRecord): Promise<void> {
    await this.db
      .insertInto('push_credentials')
      .values({ app_id: record.appId, provider: record.provider, config: record.config, updated_at: record.updatedAt })
      .onConflict((oc) =>
        oc.columns(['app_id', 'provider']).doUpdateSet({ config: record.config, updated_at: record.updatedAt }),
      )
      .execute();
  }

  async clear(appId: string, provider: NativePushProvider): Promise<boolean> {
    const result = await this.db
      .deleteFrom('push_credentials')
      .where('app_id', '=', appId)
      .where('provider', '=', provider)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
