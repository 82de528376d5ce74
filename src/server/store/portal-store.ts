import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type AccountRole = 'developer' | 'operator';

/** Table shapes of the developer portal, merged into Database in schema.ts. */
export interface PortalTables {
  portal_accounts: {
    id: string;
    /** Lower case. */
    email: string;
    /** scrypt$N$r$p$salt$hash (see src/server/portal/passwords.ts). */
    password_hash: string;
    role: string;
    verified_at: number | null;
    created_at: number;
  };
  portal_sessions: {
    /** SHA-256 of the cookie value, hex: a copy of the table logs no one in. */
    id_hash: string;
    account_id: string;
    csrf: string;
    created_at: number;
    expires_at: number;
  };
  portal_verifications: {
    token_hash: string;
    account_id: string;
    expires_at: number;
  };
  portal_password_resets: {
    /** SHA-256 of the token in the mail, hex: the table alone resets nothing. */
    token_hash: string;
    account_id: string;
    created_at: number;
    expires_at: number;
  };
  app_owners: {
    app_id: string;
    account_id: string;
  };
}

export interface AccountRecord {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly role: AccountRole;
  readonly verifiedAt: number | null;
  readonly createdAt: number;
}

export interface PortalSessionRecord {
  readonly idHash: string;
  readonly accountId: string;
  readonly csrf: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Developer accounts, their sessions and email verifications, and who owns which app. */
export interface PortalStore {
  readonly accounts: {
    /** Returns false when the email is taken. */
    create(account: AccountRecord): Promise<boolean>;
    get(id: string): Promise<AccountRecord | undefined>;
    getByEmail(email: string): Promise<AccountRecord | undefined>;
    markVerified(id: string, at: number): Promise<void>;
    /**
     * Puts `account` in the place of the unverified account `staleId` of the same email, in one
     * transaction, if that account is still unverified, has no live verification link (at `now`)
     * and owns no app. Returns false (and changes nothing) otherwise.
     */
    replaceUnverified(staleId: string, account: AccountRecord, now: number): Promise<boolean>;
    /** Emails of these accounts, by id. */
    emails(ids: readonly string[]): Promise<Map<string, string>>;
  };
  readonly sessions: {
    create(session: PortalSessionRecord): Promise<void>;
    /** A live session (expired ones are not returned). */
    get(idHash: string, now: number): Promise<PortalSessionRecord | undefined>;
    delete(idHash: string): Promise<void>;
    deleteExpired(now: number): Promise<number>;
  };
  readonly verifications: {
    create(tokenHash: string, accountId: string, expiresAt: number): Promise<void>;
    /** Uses up a live verification; returns its account id. */
    consume(tokenHash: string, now: number): Promise<string | undefined>;
  };
  readonly passwordResets: {
    create(tokenHash: string, accountId: string, createdAt: number, expiresAt: number): Promise<void>;
    /**
     * Uses up a live reset token, in one transaction: sets the account's password hash, marks its
     * email verified (the mail reached its owner), ends every session and drops its other reset
     * tokens. Returns the account id, or undefined when the token is unknown, used or expired.
     */
    use(tokenHash: string, passwordHash: string, now: number): Promise<string | undefined>;
    deleteExpired(now: number): Promise<number>;
  };
  readonly owners: {
    set(appId: string, accountId: string): Promise<void>;
    ownerOf(appId: string): Promise<string | undefined>;
    /** Owners of every owned app, by app id. */
    all(): Promise<Map<string, string>>;
    appsOf(accountId: string): Promise<string[]>;
  };
}

type AccountRow = PortalTables['portal_accounts'];
type SessionRow = PortalTables['portal_sessions'];

function toAccount(row: AccountRow): AccountRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role === 'operator' ? 'operator' : 'developer',
    verifiedAt: row.verified_at === null ? null : Number(row.verified_at),
    createdAt: Number(row.created_at),
  };
}

function toSession(row: SessionRow): PortalSessionRecord {
  return {
    idHash: row.id_hash,
    accountId: row.account_id,
    csrf: row.csrf,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

/** The Kysely implementation, over the same database as the rest of the store. */
export class KyselyPortalStore implements PortalStore {
  constructor(private readonly db: Kysely<Database>) {}

  readonly accounts: PortalStore['accounts'] = {
    create: async (a) => {
      const result = await this.db
        .insertInto('portal_accounts')
        .values({
          id: a.id,
          email: a.email,
          password_hash: a.passwordHash,
          role: a.role,
          verified_at: a.verifiedAt,
          created_at: a.createdAt,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    get: async (id) => {
      const row = await this.db.selectFrom('portal_accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAccount(row);
    },
    getByEmail: async (email) => {
      const row = await this.db.selectFrom('portal_accounts').selectAll().where('email', '=', email).executeTakeFirst();
      return row && toAccount(row);
    },
    markVerified: async (id, at) => {
      await this.db
        .updateTable('portal_accounts')
        .set({ verified_at: at })
        .where('id', '=', id)
        .where('verified_at', 'is', null)
        .execute();
    },
    replaceUnverified: async (staleId, a, now) =>
      this.db.transaction().execute(async (trx) => {
        const live = await trx
          .selectFrom('portal_verifications')
          .select('token_hash')
          .where('account_id', '=', staleId)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        const owns = await trx
          .selectFrom('app_owners')
          .select('app_id')
          .where('account_id', '=', staleId)
          .executeTakeFirst();
        if (live || owns) return false;
        // Sessions, links and reset tokens of the stale account go with it (ON DELETE CASCADE).
        const gone = await trx
          .deleteFrom('portal_accounts')
          .where('id', '=', staleId)
          .where('email', '=', a.email)
          .where('verified_at', 'is', null)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1) return false;
        await trx
          .insertInto('portal_accounts')
          .values({
            id: a.id,
            email: a.email,
            password_hash: a.passwordHash,
            role: a.role,
            verified_at: a.verifiedAt,
            created_at: a.createdAt,
          })
          .execute();
        return true;
      }),
    emails: async (ids) => {
      if (ids.length === 0) return new Map();
      const rows = await this.db
        .selectFrom('portal_accounts')
        .select(['id', 'email'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((r) => [r.id, r.email]));
    },
  };

  readonly sessions: PortalStore['sessions'] = {
    create: async (s) => {
      await this.db
        .insertInto('portal_sessions')
        .values({
          id_hash: s.idHash,
          account_id: s.accountId,
          csrf: s.csrf,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },
    get: async (idHash, now) => {
      const row = await this.db
        .selectFrom('portal_sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row && toSession(row);
    },
    delete: async (idHash) => {
      await this.db.deleteFrom('portal_sessions').where('id_hash', '=', idHash).execute();
    },
    deleteExpired: async (now) => {
      const result = await this.db.deleteFrom('portal_sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  readonly verifications: PortalStore['verifications'] = {
    create: async (tokenHash, accountId, expiresAt) => {
      await this.db
        .insertInto('portal_verifications')
        .values({ token_hash: tokenHash, account_id: accountId, expires_at: expiresAt })
        .execute();
    },
    consume: async (tokenHash, now) => {
      const row = await this.db
        .deleteFrom('portal_verifications')
        .where('token_hash', '=', tokenHash)
        .returning(['account_id', 'expires_at'])
        .executeTakeFirst();
      return row && Number(row.expires_at) > now ? row.account_id : undefined;
    },
  };

  readonly passwordResets: PortalStore['passwordResets'] = {
    create: async (tokenHash, accountId, createdAt, expiresAt) => {
      await this.db
        .insertInto('portal_password_resets')
        .values({ token_hash: tokenHash, account_id: accountId, created_at: createdAt, expires_at: expiresAt })
        .execute();
    },
    use: async (tokenHash, passwordHash, now) =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx
          .deleteFrom('portal_password_resets')
          .where('token_hash', '=', tokenHash)
          .returning(['account_id', 'expires_at'])
          .executeTakeFirst();
        if (!row || Number(row.expires_at) <= now) return undefined;
        const id = row.account_id;
        await trx.updateTable('portal_accounts').set({ password_hash: passwordHash }).where('id', '=', id).execute();
        await trx
          .updateTable('portal_accounts')
          .set({ verified_at: now })
          .where('id', '=', id)
          .where('verified_at', 'is', null)
          .execute();
        await trx.deleteFrom('portal_sessions').where('account_id', '=', id).execute();
        await trx.deleteFrom('portal_password_resets').where('account_id', '=', id).execute();
        return id;
      }),
    deleteExpired: async (now) => {
      const result = await this.db
        .deleteFrom('portal_password_resets')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };

  readonly owners: PortalStore['owners'] = {
    set: async (appId, accountId) => {
      await this.db
        .insertInto('app_owners')
        .values({ app_id: appId, account_id: accountId })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ account_id: accountId }))
        .execute();
    },
    ownerOf: async (appId) => {
      const row = await this.db
        .selectFrom('app_owners')
        .select('account_id')
        .where('app_id', '=', appId)
        .executeTakeFirst();
      return row?.account_id;
    },
    all: async () => {
      const rows = await this.db.selectFrom('app_owners').selectAll().execute();
      return new Map(rows.map((r) => [r.app_id, r.account_id]));
    },
    appsOf: async (accountId) => {
      const rows = await this.db
        .selectFrom('app_owners')
        .select('app_id')
        .where('account_id', '=', accountId)
        .execute();
      return rows.map((r) => r.app_id);
    },
  };
}
