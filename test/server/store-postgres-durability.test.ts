import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/server/store/postgres.js';
import type { Store } from '../../src/server/store/types.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

/**
 * On PostgreSQL a messaging batch lets go of its inbox locks before its commit reaches the disk
 * (writer-lock.ts), so the store must itself wait for the flush before it says the batch is stored:
 * the server acknowledges a send on that word. A durable server whose WAL writer sleeps 10 s makes
 * an unflushed commit stay unflushed long enough to see.
 */
describe('PostgreSQL store: a batch is stored only once on disk', () => {
  let postgres: TestPostgres;
  let admin: pg.Client;
  let store: Store;

  before(async () => {
    postgres = await startPostgres({ durable: true, settings: ['wal_writer_delay=10000'] });
    const url = await postgres.newDatabase();
    store = await openPostgresStore(url);
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('CREATE EXTENSION pg_walinspect');
  });

  after(async () => {
    await admin?.end();
    await store?.close();
    await postgres?.stop();
  });

  async function flushedCommitOf(xid: string, from: string): Promise<boolean> {
    // pg_walinspect reads only WAL already flushed: the commit record is there once it is on disk.
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_get_wal_records_info($1::pg_lsn, pg_current_wal_flush_lsn())
       WHERE xid = $2::xid AND resource_manager = 'Transaction' AND record_type LIKE 'COMMIT%'`,
      [from, xid],
    );
    return Number(rows[0]!.n) > 0;
  }

  it("has the batch's commit record flushed when commit() resolves", async () => {
    for (let round = 0; round < 5; round++) {
      const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn() AS lsn');
      const msgId = `durable-${round}`;
      const commit = await store.messages.commit(
        [
          {
            kind: 'send',
            appId: 'app-durable',
            sender: 'alice',
            msgId,
            clientId: msgId,
            to: ['bob'],
            body: 'kept',
            createdAt: Date.now(),
          },
        ],
        { inboxQuota: 100, senderBytes: 1_000_000, appBytes: 10_000_000 },
      );
      assert.equal(commit.results[0]!.ok, true);
      const written = await admin.query<{ xid: string }>(
        'SELECT xmin::text AS xid FROM message_inbox WHERE msg_id = $1',
        [msgId],
      );
      assert.equal(written.rows.length, 1);
      assert.equal(
        await flushedCommitOf(written.rows[0]!.xid, rows[0]!.lsn),
        true,
        `round ${round}: commit not flushed`,
      );
    }
  });
});
