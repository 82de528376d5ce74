import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NewRecipientLimit } from '../../src/server/messaging/new-recipient-limit.js';
import { messageEntryBytes } from '../../src/server/store/inbox-storage.js';
import { BODY, ENTRY, storageHarness } from '../helpers/storage-bounds.js';
import { waitFor } from '../helpers/wait.js';

/** B5: how many new people one sender reaches, and how many undelivered bytes a sender and an app hold, across restarts. */

describe('B5 storage bounds: new recipients per sender and hour', () => {
  const h = storageHarness();

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
    assert.match(
      refused.error.description,
      /new recipients: at most 1000 distinct people not messaged in the last hour; retry in \d+ s/,
    );
    assert.ok(refused.error.retryAfterMs > 0 && refused.error.retryAfterMs <= 3600_000, JSON.stringify(refused.error));

    // Nothing beyond the limit reached the store.
    assert.equal(await server.store.messages.countMessages(app.appId), 10);
    assert.equal(await server.store.messages.storedBytes(app.appId, 'spammer'), 1000 * messageEntryBytes(body));
    assert.equal(await server.store.messages.pendingCount(app.appId, 'made-up-1000'), 0);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'made-up-999'), 1);

    // People already messaged this hour cost nothing: the same 100 again pass.
    const again = await spammer.request({
      t: 'msg.send',
      to: Array.from({ length: 100 }, (_, i) => `made-up-${i}`),
      body: 'again',
    });
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
    await waitFor(
      async () => {
        admitted = await alice.request({ t: 'msg.send', to: ['r4', 'r5'], body: 'c' });
        return admitted.t === 'ack';
      },
      { what: 'the window to pass' },
    );
    // Not before the delay it named (a little slack for the clock's granularity).
    assert.ok(
      Date.now() - refusedAt >= refused.error.retryAfterMs - 50,
      `${Date.now() - refusedAt} < ${refused.error.retryAfterMs}`,
    );
    assert.equal(await server.store.messages.pendingCount(app.appId, 'r4'), 1);
  });

  it('keeps its memory bounded under many senders: expired contacts go first, then the oldest windows', () => {
    let now = 0;
    const limit = new NewRecipientLimit(3, 1000, 10, () => now);
    const tracked = () => (limit as unknown as { tracked: number }).tracked;
    for (let s = 0; s < 5; s++) assert.equal(limit.admit('A', `s${s}`, ['a', 'b']), undefined);
    assert.equal(tracked(), 10);
    // A new sender at the bound: the oldest windows make room (a tenth more than needed).
    assert.equal(limit.admit('A', 'late', ['a', 'b']), undefined);
    assert.ok(tracked() <= 10, String(tracked()));
    // The newest sender's window is intact: one more new name passes, two do not.
    assert.equal(limit.admit('A', 'late', ['c']), undefined);
    assert.equal(limit.admit('A', 'late', ['d'])?.retryAfterMs, 1000);
    // After the window every contact has expired and is dropped before any window is.
    now = 2000;
    assert.equal(limit.admit('A', 'fresh', ['x', 'y', 'z']), undefined);
    assert.equal(limit.admit('A', 'late', ['d', 'e', 'f']), undefined);
    assert.ok(tracked() <= 10, String(tracked()));
    // One send naming more new people than the limit can never pass: no retryAfterMs.
    const never = limit.admit('A', 'other', ['1', '2', '3', '4']);
    assert.match(never?.description ?? '', /this message names 4/);
    assert.equal(never?.retryAfterMs, undefined);
  });
});

describe('B5 storage bounds: byte quotas per sender and per app', () => {
  const h = storageHarness();

  it('refuses a sender beyond its quota before anything is stored, keeps retries of stored messages, and frees the quota on delivery', async () => {
    const server = await h.server({ senderQuotaBytes: 10 * ENTRY, appQuotaBytes: 15 * ENTRY });
    const app = await server.createApp(['localhost']);
    const alice = await h.peer(server, app, 'alice');
    const first = await alice.request({ t: 'msg.send', cid: 'q-0', to: ['bob'], body: BODY });
    assert.equal(first.t, 'ack');
    for (let i = 1; i < 10; i++)
      assert.equal((await alice.request({ t: 'msg.send', cid: `q-${i}`, to: ['bob'], body: BODY })).t, 'ack');
    assert.equal(await server.store.messages.storedBytes(app.appId, 'alice'), 10 * ENTRY);

    const refused = await alice.request({ t: 'msg.send', cid: 'q-10', to: ['bob'], body: BODY });
    assert.equal(refused.t, 'error');
    assert.equal(refused.error.code, -40000);
    assert.match(
      refused.error.description,
      /^Storage quota reached: your undelivered messages take 12\.3 KB of 12\.3 KB/,
    );
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
    await waitFor(() => bob.messages().length === 11, { what: 'the backlog' });
    await waitFor(async () => (await server.store.messages.storedBytes(app.appId, 'alice')) === 0, {
      what: "alice's quota to be freed",
    });
    assert.equal(await server.store.messages.storedBytes(app.appId), 0);
    const after = await alice.request({ t: 'msg.send', cid: 'q-10', to: ['carol'], body: BODY });
    assert.equal(after.t, 'ack', JSON.stringify(after));
  });

  it("refuses every sender of an app beyond the app's quota; other apps are unaffected; delivery frees it", async () => {
    const server = await h.server({ senderQuotaBytes: 10 * ENTRY, appQuotaBytes: 15 * ENTRY });
    const app = await server.createApp(['localhost']);
    const otherApp = await server.createApp(['localhost']);
    const [s1, s2, s3] = [
      await h.peer(server, app, 's1'),
      await h.peer(server, app, 's2'),
      await h.peer(server, app, 's3'),
    ];
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
    await waitFor(() => away.messages().length === 15, { what: 'the backlog' });
    await waitFor(async () => (await server.store.messages.storedBytes(app.appId)) === 0, {
      what: "the app's quota to be freed",
    });
    assert.equal((await s3.request({ t: 'msg.send', to: ['someone'], body: BODY })).t, 'ack');
  });

  it('keeps the byte totals and the pending counts right across a restart', async () => {
    const dir = h.dir();
    let server = await h.server({ senderQuotaBytes: 10 * ENTRY }, dir);
    const app = await server.createApp(['localhost']);
    const appId = app.appId;
    let alice = await h.peer(server, app, 'alice');
    for (let i = 0; i < 6; i++)
      assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'ack');
    for (let i = 0; i < 4; i++)
      assert.equal((await alice.request({ t: 'msg.send', to: ['carol'], body: BODY })).t, 'ack');
    await h.stop(server);

    server = await h.server({ senderQuotaBytes: 10 * ENTRY }, dir);
    assert.equal(await server.store.messages.storedBytes(appId, 'alice'), 10 * ENTRY);
    assert.equal(await server.store.messages.storedBytes(appId), 10 * ENTRY);
    alice = await h.peer(server, app, 'alice');
    const refused = await alice.request({ t: 'msg.send', to: ['bob'], body: BODY });
    assert.match(refused.error?.description ?? '', /^Storage quota reached/, JSON.stringify(refused));

    // Bob's six are delivered and acknowledged on this run: six entries free, carol's four stay.
    const bob = await h.peer(server, app, 'bob');
    await waitFor(() => bob.messages().length === 6, { what: "bob's backlog" });
    await waitFor(async () => (await server.store.messages.storedBytes(appId, 'alice')) === 4 * ENTRY, {
      what: 'six entries freed',
    });
    await bob.close();
    for (let i = 0; i < 6; i++)
      assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'ack', `send ${i}`);
    assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: BODY })).t, 'error');
    assert.equal(await server.store.messages.pendingCount(appId, 'bob'), 6);
  });

  it('keeps the recipient inbox quota right when a recipient acknowledges after a restart (the in-memory pending counts)', async () => {
    const dir = h.dir();
    let server = await h.server({}, dir, { inboxQuota: 5 });
    const app = await server.createApp(['localhost']);
    const alice = await h.peer(server, app, 'alice');
    for (let i = 0; i < 5; i++)
      assert.equal((await alice.request({ t: 'msg.send', to: ['bob'], body: `m${i}` })).t, 'ack');
    await h.stop(server);

    server = await h.server({}, dir, { inboxQuota: 5 });
    // Bob's acknowledgements are the first thing this run learns about his inbox.
    const bob = await h.peer(server, app, 'bob');
    await waitFor(() => bob.messages().length === 5, { what: "bob's backlog" });
    await waitFor(async () => (await server.store.messages.pendingCount(app.appId, 'bob')) === 0, {
      what: 'the acknowledgements',
    });
    await bob.close();
    const sender = await h.peer(server, app, 'alice');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await sender.request({ t: 'msg.send', to: ['bob'], body: `n${i}` })).t);
    assert.deepEqual(answers, ['ack', 'ack', 'ack', 'ack', 'ack', 'error']);
    assert.equal(await server.store.messages.pendingCount(app.appId, 'bob'), 5);
  });
});
