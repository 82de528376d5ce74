import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationPage, ConversationSummary } from '../../src/protocol/index.js';
import type { CommitLimits, SendOp } from '../../src/server/store/messaging-types.js';
import type { Store } from '../../src/server/store/types.js';
import { Peer } from '../helpers/socket.js';
import { STORE_ENGINES } from '../helpers/store-engines.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

/** `msg.conversations`: a user's conversations, newest activity first, with the last message and unread counts. */
describe('conversation list over the socket', () => {
  let server: TestServer;
  let app: TestApp;
  let token: string;
  const peers: Peer[] = [];
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;
  const connect = async (id: string, appToken = token) => {
    const peer = await Peer.connect(server.url, appToken, id);
    peers.push(peer);
    return peer;
  };
  const ack = async (peer: Peer, frame: Record<string, unknown>) => {
    const answer = await peer.request(frame);
    assert.equal(answer.t, 'ack', JSON.stringify(answer));
    return answer.result;
  };
  const send = async (from: Peer, to: string[], body: string): Promise<string> =>
    (await ack(from, { t: 'msg.send', to, body })).msg_id;
  const list = (peer: Peer, extra: Record<string, unknown> = {}): Promise<ConversationPage> =>
    ack(peer, { t: 'msg.conversations', ...extra });
  /** A conversation as a short line: whom, the last body, unread. */
  const line = (c: ConversationSummary) =>
    `${c.with ?? `[${[...c.group!].sort().join(',')}]`}:${c.last.deleted ? '(deleted)' : c.last.body}:${c.unread}`;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, messaging: { sendRate: { burst: 1000, perSecond: 1000 } } });
    app = await server.createApp(['localhost', '127.0.0.1']);
    token = app.token('web', 'production');
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it('orders by newest activity, 1:1 apart from groups, with unread counts that move with Read receipts only', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const carol = await connect(uid('carol'));
    const b1 = await send(bob, [alice.uid], 'b1');
    await send(carol, [alice.uid], 'c1');
    await send(alice, [bob.uid, carol.uid], 'g1');
    await send(bob, [alice.uid, carol.uid], 'g2');
    const b2 = await send(bob, [alice.uid], 'b2');

    const first = await list(alice);
    assert.deepEqual(first.items.map(line), [
      `${bob.uid}:b2:2`,
      `[${[bob.uid, carol.uid].sort().join(',')}]:g2:1`,
      `${carol.uid}:c1:1`,
    ]);
    assert.equal(first.next, null);
    assert.deepEqual(first.items[0]!.last, { msg_id: b2, from: bob.uid, body: 'b2', ts: first.items[0]!.last.ts });
    // Each member sees the group named by its other people; the sender's own messages are never unread.
    assert.deepEqual((await list(carol)).items.map(line), [
      `[${[alice.uid, bob.uid].sort().join(',')}]:g2:2`,
      `${alice.uid}:c1:0`,
    ]);

    // Read moves the mark to that message: b1 read leaves b2; b2 read, then b1 again, never goes back.
    await ack(alice, { t: 'msg.receipt', to: [bob.uid], msg_id: b1, state: 'Read' });
    assert.equal((await list(alice)).items[0]!.unread, 1);
    await ack(alice, { t: 'msg.receipt', to: [bob.uid], msg_id: b2, state: 'Delivered' });
    assert.equal((await list(alice)).items[0]!.unread, 1, 'Delivered is not Read');
    await ack(alice, { t: 'msg.receipt', to: [bob.uid], msg_id: b2, state: 'Read' });
    assert.equal((await list(alice)).items[0]!.unread, 0);
    const b3 = await send(bob, [alice.uid], 'b3');
    await ack(alice, { t: 'msg.receipt', to: [bob.uid], msg_id: b1, state: 'Read' });
    assert.equal((await list(alice)).items[0]!.unread, 1, 'a Read of an older message does not move the mark back');

    // New activity moves a conversation up; a deleted last message shows deleted and is not unread.
    await send(carol, [alice.uid], 'c2');
    await ack(bob, { t: 'msg.delete', msg_id: b3 });
    assert.deepEqual((await list(alice)).items.map(line), [
      `${carol.uid}:c2:2`,
      `${bob.uid}:(deleted):0`,
      `[${[bob.uid, carol.uid].sort().join(',')}]:g2:1`,
    ]);
    const deleted = (await list(alice)).items[1]!.last;
    assert.deepEqual(deleted, { msg_id: b3, from: bob.uid, body: '', ts: deleted.ts, deleted: true });
  });

  it("shows nobody another's conversations, nor another app's", async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const eve = await connect(uid('eve'));
    await send(alice, [bob.uid], 'private');
    const other = await server.createApp(['localhost']);
    // The same user id in another app is another user.
    const aliceElsewhere = await connect(alice.uid, other.token('web', 'production'));

    assert.deepEqual((await list(eve)).items, []);
    assert.deepEqual((await list(aliceElsewhere)).items, []);
    assert.deepEqual((await list(bob)).items.map(line), [`${alice.uid}:private:1`]);
  });

  it('pages by cursor without repeats or gaps', async () => {
    const alice = await connect(uid('alice'));
    const friends = [uid('f'), uid('f'), uid('f'), uid('f'), uid('f')];
    for (const [i, f] of friends.entries()) await send(alice, [f], `to ${i}`);
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page: ConversationPage = await list(alice, { limit: 2, ...(before ? { before } : {}) });
      seen.push(...page.items.map((c) => c.with!));
      before = page.next;
      pages++;
    } while (before);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...friends].reverse());
    assert.equal((await list(alice)).items.length, 5, 'the default page holds them all');
  });

  it('refuses bad input with a clear error from the table', async () => {
    const alice = await connect(uid('alice'));
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['limit 0', { limit: 0 }, /limit/],
      ['limit past 100', { limit: 101 }, /limit/],
      ['fractional limit', { limit: 2.5 }, /limit/],
      ['limit as text', { limit: '5' }, /limit/],
      ['made-up cursor', { before: 'yesterday' }, /before/],
      ['empty cursor', { before: '' }, /before/],
      ['unknown field', { with: 'bob' }, /with/],
    ];
    for (const [name, extra, words] of cases) {
      const answer = await alice.request({ t: 'msg.conversations', ...extra });
      assert.equal(answer.t, 'error', name);
      assert.equal(answer.error.code, -40000, `${name}: ${JSON.stringify(answer.error)}`);
      assert.match(answer.error.description, words, name);
    }
  });
});

const LIMITS: CommitLimits = { inboxQuota: 1000 };
const DAY = 24 * 3600_000;
let ids = 0;

for (const engine of STORE_ENGINES) {
  describe(`conversation list store (${engine.name})`, () => {
    const APP = 'app-c';
    const sendOp = (sender: string, to: string[], body: string, createdAt = Date.now()): SendOp => ({
      kind: 'send',
      appId: APP,
      sender,
      msgId: `c${++ids}`,
      to,
      body,
      createdAt,
    });
    const convs = async (store: Store, uid: string) =>
      (await store.conversations.list(APP, uid, 10, 999)).items.map((c) => `${c.people.join('+')}:${c.unread}`);

    it('writes members once, drops a conversation with its last kept message, and brings it back with a new one', async () => {
      const place = await engine.place();
      const store = await place.open();
      try {
        await store.apps.create({
          id: APP,
          name: APP,
          domains: ['localhost'],
          blocked: false,
          clientLogin: 'all',
          createdAt: Date.now(),
        });
        const old = Date.now() - 40 * DAY;
        await store.messages.commit([sendOp('ann', ['ben'], 'old', old), sendOp('ann', ['cat'], 'old', old)], LIMITS);
        await store.messages.commit([sendOp('cat', ['ann'], 'new')], LIMITS);
        for (let i = 0; i < 3; i++)
          await store.messages.commit([sendOp('ann', ['ben'], `again ${i}`, old + i)], LIMITS);
        const members = await place.query('select uid, conv from conversation_members');
        assert.equal(members.length, 4, 'one row per member of each conversation, however often it is sent to');
        assert.deepEqual(await convs(store, 'ann'), ['ann+cat:1', 'ann+ben:0']);
        assert.deepEqual(await convs(store, 'ben'), ['ann+ben:4']);

        // The retention sweep: ann and ben's conversation empties and leaves both lists; ann and cat's stays.
        let swept = 0;
        while ((await store.history.expire(APP, Date.now() - 30 * DAY, 2)) > 0) swept++;
        assert.ok(swept >= 2, 'several bounded batches');
        assert.deepEqual(await convs(store, 'ann'), ['ann+cat:1']);
        assert.deepEqual(await convs(store, 'ben'), []);

        await store.messages.commit([sendOp('ben', ['ann'], 'back')], LIMITS);
        assert.deepEqual(await convs(store, 'ann'), ['ann+ben:1', 'ann+cat:1']);
      } finally {
        await store.close();
      }
    });

    it('keeps read marks moving forward only, with two stores on one PostgreSQL', async () => {
      const place = await engine.place();
      const one = await place.open();
      // SQLite has one writer: one store stands for both.
      const two = engine.name === 'postgres' ? await place.open() : one;
      try {
        const sends = [1, 2, 3].map((i) => sendOp('dan', ['eva'], `m${i}`, Date.now() + i));
        await one.messages.commit(sends, LIMITS);
        const read = (store: Store, i: number) =>
          store.messages.commit(
            [
              {
                kind: 'receipt',
                appId: APP,
                from: 'eva',
                to: ['dan'],
                msgId: sends[i]!.msgId,
                state: 'Read',
                createdAt: Date.now(),
              },
            ],
            LIMITS,
          );
        await Promise.all([read(two, 1), read(one, 0)]);
        assert.deepEqual(await convs(one, 'eva'), ['dan+eva:1']);
        await read(one, 2);
        await read(two, 0);
        assert.deepEqual(await convs(two, 'eva'), ['dan+eva:0']);
        assert.deepEqual(await convs(two, 'dan'), ['dan+eva:0']);
      } finally {
        await one.close();
        if (two !== one) await two.close();
      }
    });
  });
}
