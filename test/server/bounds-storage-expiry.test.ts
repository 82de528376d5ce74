import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { main } from '../../src/server/cli.js';
import { storageOptionsFromCli } from '../../src/server/messaging/storage-cli.js';
import { resolveStorageOptions } from '../../src/server/messaging/storage-options.js';
import { messageEntryBytes } from '../../src/server/store/inbox-storage.js';
import { migrationProvider } from '../../src/server/store/migrations.js';
import { openSqliteStore } from '../../src/server/store/sqlite.js';
import { CapturingMailer, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer } from '../helpers/server.js';
import { BODY, ENTRY, storageHarness } from '../helpers/storage-bounds.js';
import { waitFor } from '../helpers/wait.js';

/** B5: undelivered entries expire by their app's TTL; the TTL's settings (CLI, portal API, options) and the migration. */

describe('B5 storage bounds: expiry of undelivered entries', () => {
  const h = storageHarness();

  it("deletes entries older than the app's TTL in the periodic sweep, frees their quota, and keeps an app's longer TTL", async () => {
    const server = await h.server({
      undeliveredTtlMs: 300,
      sweepIntervalMs: 100,
      sweepBatchSize: 7,
      senderQuotaBytes: 30 * ENTRY,
    });
    const shortLived = await server.createApp(['localhost']);
    const kept = await server.createApp(['localhost']);
    await server.apps.setMessageTtl(kept.appId, 1);
    // Records what each of the sweep's transactions removed, per app.
    const visits: number[] = [];
    const removedShortLived: number[] = [];
    const expire = server.store.messages.expire.bind(server.store.messages);
    server.store.messages.expire = async (appId, before, limit) => {
      const removed = await expire(appId, before, limit);
      if (appId === kept.appId) visits.push(removed);
      if (appId === shortLived.appId && removed > 0) removedShortLived.push(removed);
      return removed;
    };

    const alice = await h.peer(server, shortLived, 'alice');
    // 24 entries: more than one sweep batch (7). Some may expire while the others are sent.
    for (let i = 0; i < 12; i++)
      assert.equal((await alice.request({ t: 'msg.send', to: ['ghost', 'phantom'], body: BODY })).t, 'ack');
    const keeper = await h.peer(server, kept, 'alice');
    for (let i = 0; i < 3; i++)
      assert.equal((await keeper.request({ t: 'msg.send', to: ['ghost'], body: BODY })).t, 'ack');

    await waitFor(() => removedShortLived.reduce((a, b) => a + b, 0) === 24, {
      what: 'the sweep to remove all 24 entries',
    });
    assert.ok(
      removedShortLived.every((n) => n <= 7),
      `batches of at most 7: ${removedShortLived.join(',')}`,
    );
    assert.equal(await server.store.messages.pendingCount(shortLived.appId, 'ghost'), 0);
    assert.equal(await server.store.messages.pendingCount(shortLived.appId, 'phantom'), 0);
    assert.equal(await server.store.messages.storedBytes(shortLived.appId, 'alice'), 0);
    assert.equal(await server.store.messages.storedBytes(shortLived.appId), 0);
    // The quota is free again: a full quota's worth is accepted.
    for (let i = 0; i < 30; i++)
      assert.equal((await alice.request({ t: 'msg.send', to: ['ghost'], body: BODY })).t, 'ack', `send ${i}`);

    // Two more sweeps over the app with a one-day TTL removed nothing.
    const seen = visits.length;
    await waitFor(() => visits.length >= seen + 2, { what: 'two more sweeps' });
    assert.ok(visits.every((n) => n === 0));
    assert.equal(await server.store.messages.pendingCount(kept.appId, 'ghost'), 3);
    assert.equal(await server.store.messages.storedBytes(kept.appId, 'alice'), 3 * ENTRY);

    // A recipient who signs in after expiry gets only what is still there.
    await waitFor(async () => (await server.store.messages.pendingCount(shortLived.appId, 'ghost')) === 0, {
      what: 'the second batch to expire',
    });
    const ghost = await h.peer(server, shortLived, 'ghost');
    const fresh = await alice.request({ t: 'msg.send', to: ['ghost'], body: 'fresh' });
    await waitFor(() => ghost.messages().length >= 1, { what: 'the fresh message' });
    assert.deepEqual(
      ghost.messages().map((m) => m.msg_id),
      [fresh.result.msg_id],
    );
  });
});

describe('B5 storage bounds: settings', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('oovoo-server app message-ttl sets, shows and clears an app TTL; bad values are usage errors', async () => {
    const data = mkdtempSync(join(tmpdir(), 'oovoo-bounds-cli-'));
    dirs.push(data);
    const out: string[] = [];
    const err: string[] = [];
    const cli = (...argv: string[]) =>
      main(
        [...argv, '--data', data],
        (t) => out.push(t),
        (t) => err.push(t),
      );
    assert.equal(await cli('app', 'create', '--name', 'Mail', '--domain', 'localhost', '--json'), 0);
    const appId = JSON.parse(out.pop()!).appId as string;

    assert.equal(await cli('app', 'message-ttl', '--app', appId, '--days', '7', '--json'), 0);
    assert.equal(JSON.parse(out.pop()!).messageTtlDays, 7);
    assert.equal(await cli('app', 'list', '--json'), 0);
    assert.equal(JSON.parse(out.pop()!)[0].messageTtlDays, 7);
    assert.equal(await cli('app', 'message-ttl', '--app', appId, '--days', 'default', '--json'), 0);
    assert.equal(JSON.parse(out.pop()!).messageTtlDays, undefined);

    for (const days of ['0', '3651', '1.5', 'soon']) {
      assert.equal(await cli('app', 'message-ttl', '--app', appId, '--days', days), 2, days);
      assert.match(err.pop()!, /--days must be an integer from 1 to 3650/);
    }
    assert.equal(await cli('app', 'message-ttl', '--app', appId), 2);
    assert.equal(await cli('app', 'message-ttl', '--app', 'NOSUCHAPP', '--days', '3'), 1);
    assert.match(err.pop()!, /-50001/);
  });

  it("the portal API shows and sets an app's message TTL", async () => {
    const mailer = new CapturingMailer();
    const server = await startTestServer({ ...relaxedLimits, portal: { mailer } });
    try {
      const dev = await verifiedDeveloper(server.url, mailer, 'ttl@example.com');
      const created = await dev.request('POST', '/apps', { name: 'Mail' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const appId = created.body.app.id as string;
      assert.equal(created.body.app.messageTtlDays, null);

      const set = await dev.request('PATCH', `/apps/${appId}`, { messageTtlDays: 5 });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.app.messageTtlDays, 5);
      assert.equal((await server.store.apps.get(appId))?.messageTtlDays, 5);
      for (const bad of [0, 3651, 2.5, '5']) {
        const refused = await dev.request('PATCH', `/apps/${appId}`, { messageTtlDays: bad });
        assert.equal(refused.status, 400, String(bad));
        assert.equal(refused.body.error.code, -40000);
      }
      const cleared = await dev.request('PATCH', `/apps/${appId}`, { messageTtlDays: null });
      assert.equal(cleared.body.app.messageTtlDays, null);
      assert.equal((await server.store.apps.get(appId))?.messageTtlDays, undefined);
    } finally {
      await server.stop();
    }
  });

  it('refuses storage options that are not positive numbers, naming the option', () => {
    assert.throws(
      () => resolveStorageOptions({ senderQuotaBytes: -1 }),
      /messaging\.storage\.senderQuotaBytes must be a positive integer or Infinity/,
    );
    assert.throws(() => resolveStorageOptions({ sweepBatchSize: 0 }), /sweepBatchSize/);
    assert.throws(() => resolveStorageOptions({ undeliveredTtlMs: Number.NaN }), /undeliveredTtlMs/);
    assert.equal(resolveStorageOptions({ appQuotaBytes: Infinity }).appQuotaBytes, Infinity);
    assert.deepEqual(
      { ...resolveStorageOptions() },
      {
        senderQuotaBytes: 64 * 1024 * 1024,
        appQuotaBytes: 1024 * 1024 * 1024,
        newRecipientsPerWindow: 1000,
        newRecipientWindowMs: 3600_000,
        undeliveredTtlMs: 30 * 24 * 3600_000,
        sweepIntervalMs: 300_000,
        sweepBatchSize: 500,
      },
    );
  });

  it('oovoo-server start takes the storage bounds from flags or the environment (0: no cap)', () => {
    const usage = (m: string) => new Error(`usage: ${m}`);
    assert.deepEqual(
      storageOptionsFromCli(
        { 'sender-storage-mb': '8', 'app-storage-mb': '0', 'new-recipients-per-hour': '50', 'message-ttl-days': '7' },
        usage,
        {},
      ),
      {
        senderQuotaBytes: 8 * 1024 * 1024,
        appQuotaBytes: Infinity,
        newRecipientsPerWindow: 50,
        undeliveredTtlMs: 7 * 24 * 3600_000,
      },
    );
    assert.deepEqual(
      storageOptionsFromCli({}, usage, { OOVOO_NEW_RECIPIENTS_PER_HOUR: '0', OOVOO_MESSAGE_TTL_DAYS: '2' }),
      {
        newRecipientsPerWindow: Infinity,
        undeliveredTtlMs: 2 * 24 * 3600_000,
      },
    );
    assert.deepEqual(storageOptionsFromCli({}, usage, {}), {});
    assert.throws(
      () => storageOptionsFromCli({ 'sender-storage-mb': '-1' }, usage, {}),
      /usage: --sender-storage-mb must be an integer from 0/,
    );
    assert.throws(
      () => storageOptionsFromCli({ 'message-ttl-days': '0' }, usage, {}),
      /usage: --message-ttl-days must be an integer from 1 to 3650/,
    );
    assert.throws(() => storageOptionsFromCli({}, usage, { OOVOO_APP_STORAGE_MB: 'lots' }), /--app-storage-mb/);
  });

  it('counts what a store already held when the quota tables are added (the migration)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oovoo-bounds-migration-'));
    dirs.push(dir);
    // The schema as it was before this migration, with mail in it.
    const all = await migrationProvider.getMigrations();
    const older = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0110_inbox_storage'));
    const database = new SQLite(join(dir, 'oovoo.sqlite'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
    const migrated = await new Migrator({
      db,
      provider: { getMigrations: async () => older },
      allowUnorderedMigrations: true,
    }).migrateToLatest();
    assert.equal(migrated.error, undefined);
    const row = (seq: number, uid: string, from: string, kind: string, body: string | null) => ({
      seq,
      app_id: 'APP',
      uid,
      entry_id: `e${seq}`,
      kind,
      msg_id: `m${seq}`,
      from_uid: from,
      body,
      state: kind === 'receipt' ? 'Read' : null,
      created_at: Date.now(),
    });
    await db
      .insertInto('message_inbox')
      .values([
        row(1, 'bob', 'alice', 'message', 'héllo'),
        row(2, 'carol', 'alice', 'message', 'hi'),
        row(3, 'alice', 'bob', 'receipt', null),
        row(4, 'alice', 'dan', 'message', 'yo'),
      ])
      .execute();
    await db.destroy();

    const store = await openSqliteStore(dir);
    try {
      assert.equal(
        await store.messages.storedBytes('APP', 'alice'),
        messageEntryBytes('héllo') + messageEntryBytes('hi'),
      );
      assert.equal(await store.messages.storedBytes('APP', 'dan'), messageEntryBytes('yo'));
      assert.equal(await store.messages.storedBytes('APP', 'bob'), 0);
      assert.equal(
        await store.messages.storedBytes('APP'),
        messageEntryBytes('héllo') + messageEntryBytes('hi') + messageEntryBytes('yo'),
      );
      assert.deepEqual(await store.messages.appsWithStoredMessages(), ['APP']);
      // Expiry frees what the migration counted.
      assert.equal(await store.messages.expire('APP', Date.now() + 1, 10), 4);
      assert.equal(await store.messages.storedBytes('APP'), 0);
      assert.deepEqual(await store.messages.appsWithStoredMessages(), []);
    } finally {
      await store.close();
    }
  });
});
