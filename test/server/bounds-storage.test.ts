import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { main } from '../../src/server/cli.js';
import { resolveStorageOptions } from '../../src/server/messaging/storage-options.js';
import { messageEntryBytes } from '../../src/server/store/inbox-storage.js';
import { migrationProvider } from '../../src/server/store/migrations.js';
import { openSqliteStore } from '../../src/server/store/sqlite.js';
import type { MessagingOptions } from '../../src/server/messaging/options.js';
import type { StorageOptions } from '../../src/server/messaging/storage-options.js';
import { Peer, waitUntil } from '../helpers/messaging-peer.js';
import { CapturingMailer, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

/** B5: what one sender and one app can leave in the store, for how long, and that it is counted right. */

const BODY = 'x'.repeat(1000);
const ENTRY = messageEntryBytes(BODY);

async function waitUntilAsync(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A server per test, with its peers, all closed after it. */
function harness() {
  const servers: TestServer[] = [];
  const peers: Peer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    for (const s of servers.splice(0)) await s.stop();
  });
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async server(storage: StorageOptions, dataDir?: string, messaging: MessagingOptions = {}): Promise<TestServer> {
      const server = await startTestServer({
        ...relaxedLimits,
        ...(dataDir ? { dataDir } : {}),
        messaging: { sendRate: { burst: 2000, perSecond: 2000 }, ...messaging, storage },
      });
      servers.push(server);
      return server;
    },
    /** Stops a server early (its data folder stays when the test owns it). */
    async stop(server: TestServer): Promise<void> {
      await Promise.all(peers.splice(0).map((p) => p.close()));
      servers.splice(servers.indexOf(server), 1);
      await server.stop();
    },
    async peer(server: TestServer, app: TestApp, uid: string, opts: { autoReceive?: boolean } = {}): Promise<Peer> {
      const p = await Peer.connect(server.url, app.token('web', 'production'), uid, opts);
      peers.push(p);
      return p;
    },
    dir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'oovoo-bounds-storage-'));
      dirs.push(dir);
      return dir;
    },
  };
}

describe('B5 storage bounds: new recipients per sender and hour', () => {
  const h = harness();

  it('stops a sender fanning out to made-up recipients (defaults), stores nothing beyond, and leaves known contacts and other senders alone', async () => {
    const server = await h.server({});
    const app = await server.createApp(['localhost']);
    const spammer = await h.peer(server, app, 'spammer');
    const body = 'y'.repeat(4096);
    const answers = [];
    let n = 0;
    // 100 made-up ids a send, as in the attack: the default 1,000 a hour admits ten of them.
    for (let send = 0; send < 12; send++) {
      const to = Array.from({ length: 100 }, () => `made-up-${n++}`);
      answers.push(await spammer.request({ t: 'msg.send', cid: `fan-${send}`, to, body }));
    }
    assert.deepEqual(
      answers.map((a) => a.t),
      [...Array(10).fill('ack'), 'error', 'error'],
    );
    const refused = answers[10];
    assert.equal(refused.error.code, -40000);
    assert.match(refused.error.description, /new recipients: at most 1000 distinct people not messaged in the last hour; retry in \d+ s/);
    assert.ok(refused.error.retryAfterMs > 0 && refused.error.retryAfterMs <= 3600_000, JSON.stringify(refused.error));

    // Nothing beyond the limit reached the store.
    assert.equal(await server.store.messages.countMessages(app.appId), 10);
    assert.equal(await server.store.messages.storedBytes(app.appId, 'spammer'), 1000 * messageEntryBytes(body));
    assert.equal(await server.store.messages.pendingCount(app.appId, 'made-up-1000'), 0);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'made-up-999'), 1);

    // People already messaged this hour cost nothing: the same 100 again pass.
    const again = await spammer.request({ t: 'msg.send', to: Array.from({ length: 100 }, (_, i) => `made-up-${i}`), body: 'again' });
    assert.equal(again.t, 'ack', JSON.stringify(again));
    // One new name is still too many.
    const oneMore = await spammer.request({ t: 'msg.send', to: ['made-up-0', 'someone-new'], body: 'hi' });
    assert.equal(oneMore.t, 'error');
    assert.ok(oneMore.error.retryAfterMs > 0);
    // Another sender has a window of its own.
    const other = await h.peer(server, app, 'other');
    const fine = await other.request({ t: 'msg.send', to: ['made-up-5000', 'made-up-5001'], body: 'fine' });
    assert.equal(fine.t, 'ack', JSON.stringify(fine));
  });

  it('admits the refused send once retryAfterMs has passed', async () => {
    const server = await h.server({ newRecipientsPerWindow: 3, newRecipientWindowMs: 1200 });
    const app = await server.createApp(['localhost']);
    const alice = await h.peer(server, app, 'alice');
    assert.equal((await alice.request({ t: 'msg.send', to: ['r1', 'r2'], body: 'a' })).t, 'ack');
    assert.equal((await alice.request({ t: 'msg.send', to: ['r3'], body: 'b' })).t, 'ack');
    const refusedAt = Date.now();
    const refused = await alice.request({ t: 'msg.send', to: ['r4', 'r5'], body: 'c' });
    assert.equal(refused.t, 'error');
    assert.ok(refused.error.retryAfterMs > 0 && refused.error.retryAfterMs <= 1200, JSON.stringify(refused.error));
    // Talking to r1..r3 meanwhile is fine and moves nothing.
    assert.equal((await alice.request({ t: 'msg.send', to: ['r1', 'r2', 'r3'], body: 'd' })).t, 'ack');

    let admitted: any;
    await waitUntilAsync(async () => {
      admitted = await alice.request({ t: 'msg.send', to: ['r4', 'r5'], body: 'c' });
      return admitted.t === 'ack';
    }, 'the window to pass');
    // Not before the delay it named (a little slack for the clock's granularity).
    assert.ok(Date.now() - refusedAt >= refused.error.retryAfterMs - 50, `${Date.now() - refusedAt} < ${refused.error.retryAfterMs}`);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'r4'), 1);
  });
});

describe('B5 storage bounds: byte quotas per sender and per app', () => {
  const h = harness();

  it('refuses a sender beyond its quota before anything is stored, keeps retries of stored messages, and frees the quota on delivery', async () => {
    const server = await h.server({ senderQuotaBytes: 10 * ENTRY, appQuotaBytes: 15 * ENTRY });
    const app = await server.createApp(['localhost']);
    const alice = await h.peer(server, app, 'alice');
    const first = await alice.request({ t: 'msg.send', cid: 'q-0', to: ['bob'], body: BODY });
    assert.equal(first.t, 'ack');
    for (let i = 1; i < 10; i++) assert.equal((await alice.request({ t: 'msg.send', cid: `q-${i}`, to: ['bob'], body: BODY })).t, 'ack');
    assert.equal(await server.store.messages.storedBytes(app.appId, 'alice'), 10 * ENTRY);

    const refused = await alice.request({ t: 'msg.send', cid: 'q-10', to: ['bob'], body: BODY });
    assert.equal(refused.t, 'error');
    assert.equal(refused.error.code, -40000);
    assert.match(refused.error.description, /^Storage quota reached: your undelivered messages take 12\.3 KB of 12\.3 KB/);
    assert.equal(refused.error.retryAfterMs, undefined, 'waiting alone does not free a sender quota');
    // A two-recipient send that would cross the quota is refused whole.
    assert.equal((await alice.request({ t: 'msg.send', to: ['carol', 'dave'], body: 'x' })).t, 'error');
    assert.equal(await server.store.messages.countMessages(app.appId), 10);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'bob'), 10);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'carol'), 0);
    // The retry of an acknowledged message is answered with its msg_id, full quota or not.
    const retry = await alice.request({ t: 'msg.send', cid: 'q-0', to: ['bob'], body: BODY });
    assert.equal(retry.t, 'ack');
    assert.equal(retry.result.msg_id, first.result.msg_id);
    // Another sender of the same app has its own quota.
    const erin = await h.peer(server, app, 'erin');
    assert.equal((await erin.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'ack');

    // Bob signs in and acknowledges: alice's quota is free again.
    const bob = await h.peer(server, app, 'bob');
    await waitUntil(() => bob.messages().length === 11, 'the backlog');
    await waitUntilAsync(async () => (await server.store.messages.storedBytes(app.appId, 'alice')) === 0, "alice's quota to be freed");
    assert.equal(await server.store.messages.storedBytes(app.appId), 0);
    const after = await alice.request({ t: 'msg.send', cid: 'q-10', to: ['carol'], body: BODY });
    assert.equal(after.t, 'ack', JSON.stringify(after));
  });

  it("refuses every sender of an app beyond the app's quota; other apps are unaffected; delivery frees it", async () => {
    const server = await h.server({ senderQuotaBytes: 10 * ENTRY, appQuotaBytes: 15 * ENTRY });
    const app = await server.createApp(['localhost']);
    const otherApp = await server.createApp(['localhost']);
    const [s1, s2, s3] = [await h.peer(server, app, 's1'), await h.peer(server, app, 's2'), await h.peer(server, app, 's3')];
    for (let i = 0; i < 10; i++) assert.equal((await s1.request({ t: 'msg.send', to: ['away'], body: BODY })).t, 'ack');
    for (let i = 0; i < 5; i++) assert.equal((await s2.request({ t: 'msg.send', to: ['away'], body: BODY })).t, 'ack');
    assert.equal(await server.store.messages.storedBytes(app.appId), 15 * ENTRY);

    const refused = await s3.request({ t: 'msg.send', to: ['away'], body: BODY });
    assert.equal(refused.t, 'error');
    assert.equal(refused.error.code, -40000);
    assert.match(refused.error.description, /^Storage quota of this app reached/);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'away'), 15);
    assert.equal(await server.store.messages.storedBytes(app.appId, 's3'), 0);

    const elsewhere = await h.peer(server, otherApp, 's3');
    assert.equal((await elsewhere.request({ t: 'msg.send', to: ['away'], body: BODY })).t, 'ack');

    const away = await h.peer(server, app, 'away');
    await waitUntil(() => away.messages().length === 15, 'the backlog');
    await waitUntilAsync(async () => (await server.store.messages.storedBytes(app.appId)) === 0, "the app's quota to be freed");
    assert.equal((await s3.request({ t: 'msg.send', to: ['someone'], body: BODY })).t, 'ack');
  });

  it('keeps the byte totals and the pending counts right across a restart', async () => {
    const dir = h.dir();
    let server = await h.server({ senderQuotaBytes: 10 * ENTRY }, dir);
    const app = await server.createApp(['localhost']);
    const appId = app.appId;
    let alice = await h.peer(server, app, 'alice');
    for (let i = 0; i < 6; i++) assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'ack');
    for (let i = 0; i < 4; i++) assert.equal((await alice.request({ t: 'msg.send', to: ['carol'], body: BODY })).t, 'ack');
    await h.stop(server);

    server = await h.server({ senderQuotaBytes: 10 * ENTRY }, dir);
    assert.equal(await server.store.messages.storedBytes(appId, 'alice'), 10 * ENTRY);
    assert.equal(await server.store.messages.storedBytes(appId), 10 * ENTRY);
    alice = await h.peer(server, app, 'alice');
    const refused = await alice.request({ t: 'msg.send', to: ['bob'], body: BODY });
    assert.match(refused.error?.description ?? '', /^Storage quota reached/, JSON.stringify(refused));

    // Bob's six are delivered and acknowledged on this run: six entries free, carol's four stay.
    const bob = await h.peer(server, app, 'bob');
    await waitUntil(() => bob.messages().length === 6, "bob's backlog");
    await waitUntilAsync(async () => (await server.store.messages.storedBytes(appId, 'alice')) === 4 * ENTRY, 'six entries freed');
    await bob.close();
    for (let i = 0; i < 6; i++) assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'ack', `send ${i}`);
    assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'error');
    assert.equal(await server.store.messages.pendingCount(appId, 'bob'), 6);
  });

  it("keeps the recipient inbox quota right when a recipient acknowledges after a restart (the in-memory pending counts)", async () => {
    const dir = h.dir();
    let server = await h.server({}, dir, { inboxQuota: 5 });
    const app = await server.createApp(['localhost']);
    const alice = await h.peer(server, app, 'alice');
    for (let i = 0; i < 5; i++) assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: `m${i}` })).t, 'ack');
    await h.stop(server);

    server = await h.server({}, dir, { inboxQuota: 5 });
    // Bob's acknowledgements are the first thing this run learns about his inbox.
    const bob = await h.peer(server, app, 'bob');
    await waitUntil(() => bob.messages().length === 5, "bob's backlog");
    await waitUntilAsync(async () => (await server.store.messages.pendingCount(app.appId, 'bob')) === 0, 'the acknowledgements');
    await bob.close();
    const sender = await h.peer(server, app, 'alice');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await sender.request({ t: 'msg.send', to: ['bob'], body: `n${i}` })).t);
    assert.deepEqual(answers, ['ack', 'ack', 'ack', 'ack', 'ack', 'error']);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'bob'), 5);
  });
});

describe('B5 storage bounds: expiry of undelivered entries', () => {
  const h = harness();

  it("deletes entries older than the app's TTL in the periodic sweep, frees their quota, and keeps an app's longer TTL", async () => {
    const server = await h.server({ undeliveredTtlMs: 300, sweepIntervalMs: 100, sweepBatchSize: 7, senderQuotaBytes: 30 * ENTRY });
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
    for (let i = 0; i < 12; i++) assert.equal((await alice.request({ t: 'msg.send', to: ['ghost', 'phantom'], body: BODY })).t, 'ack');
    const keeper = await h.peer(server, kept, 'alice');
    for (let i = 0; i < 3; i++) assert.equal((await keeper.request({ t: 'msg.send', to: ['ghost'], body: BODY })).t, 'ack');

    await waitUntil(() => removedShortLived.reduce((a, b) => a + b, 0) === 24, 'the sweep to remove all 24 entries');
    assert.ok(removedShortLived.every((n) => n <= 7), `batches of at most 7: ${removedShortLived.join(',')}`);
    assert.equal(await server.store.messages.pendingCount(shortLived.appId, 'ghost'), 0);
    assert.equal(await server.store.messages.pendingCount(shortLived.appId, 'phantom'), 0);
    assert.equal(await server.store.messages.storedBytes(shortLived.appId, 'alice'), 0);
    assert.equal(await server.store.messages.storedBytes(shortLived.appId), 0);
    // The quota is free again: a full quota's worth is accepted.
    for (let i = 0; i < 30; i++) assert.equal((await alice.request({ t: 'msg.send', to: ['ghost'], body: BODY })).t, 'ack', `send ${i}`);

    // Two more sweeps over the app with a one-day TTL removed nothing.
    const seen = visits.length;
    await waitUntil(() => visits.length >= seen + 2, 'two more sweeps');
    assert.ok(visits.every((n) => n === 0));
    assert.equal(await server.store.messages.pendingCount(kept.appId, 'ghost'), 3);
    assert.equal(await server.store.messages.storedBytes(kept.appId, 'alice'), 3 * ENTRY);

    // A recipient who signs in after expiry gets only what is still there.
    await waitUntilAsync(async () => (await server.store.messages.pendingCount(shortLived.appId, 'ghost')) === 0, 'the second batch to expire');
    const ghost = await h.peer(server, shortLived, 'ghost');
    const fresh = await alice.request({ t: 'msg.send', to: ['ghost'], body: 'fresh' });
    await waitUntil(() => ghost.messages().length >= 1, 'the fresh message');
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
    const cli = (...argv: string[]) => main([...argv, '--data', data], (t) => out.push(t), (t) => err.push(t));
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
    assert.throws(() => resolveStorageOptions({ senderQuotaBytes: -1 }), /messaging\.storage\.senderQuotaBytes must be a positive integer or Infinity/);
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

  it('counts what a store already held when the quota tables are added (the migration)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oovoo-bounds-migration-'));
    dirs.push(dir);
    // The schema as it was before this migration, with mail in it.
    const all = await migrationProvider.getMigrations();
    const older = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0110_inbox_storage'));
    const database = new SQLite(join(dir, 'oovoo.sqlite'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
    const migrated = await new Migrator({ db, provider: { getMigrations: async () => older }, allowUnorderedMigrations: true }).migrateToLatest();
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
      .values([row(1, 'bob', 'alice', 'message', 'héllo'), row(2, 'carol', 'alice', 'message', 'hi'), row(3, 'alice', 'bob', 'receipt', null), row(4, 'alice', 'dan', 'message', 'yo')])
      .execute();
    await db.destroy();

    const store = await openSqliteStore(dir);
    try {
      assert.equal(await store.messages.storedBytes('APP', 'alice'), messageEntryBytes('héllo') + messageEntryBytes('hi'));
      assert.equal(await store.messages.storedBytes('APP', 'dan'), messageEntryBytes('yo'));
      assert.equal(await store.messages.storedBytes('APP', 'bob'), 0);
      assert.equal(await store.messages.storedBytes('APP'), messageEntryBytes('héllo') + messageEntryBytes('hi') + messageEntryBytes('yo'));
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
