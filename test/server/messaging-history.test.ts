import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HistoryExpiry } from '../../src/server/messaging/history-expiry.js';
import { conferenceKey, peopleKey } from '../../src/server/store/history-store.js';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

/** History over the socket: `msg.history` paging, `msg.delete` for everyone, retention, and a call's chat (`conf.history`). */
describe('conversation history over the socket', () => {
  let server: TestServer;
  let app: TestApp;
  let token: string;
  const peers: Peer[] = [];
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;
  const connect = async (id: string, opts: Parameters<typeof Peer.connect>[3] = {}) => {
    const peer = await Peer.connect(server.url, token, id, opts);
    peers.push(peer);
    return peer;
  };
  const ack = async (peer: Peer, frame: Record<string, unknown>) => {
    const answer = await peer.request(frame);
    assert.equal(answer.t, 'ack', JSON.stringify(answer));
    return answer.result;
  };

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, messaging: { sendRate: { burst: 1000, perSecond: 1000 } } });
    app = await server.createApp(['localhost', '127.0.0.1']);
    token = app.token('web', 'production');
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it('pages a 1:1 and a group newest first by cursor, the same for each member, with receipts as they stand', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const carolId = uid('carol');
    const sent: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const from = i % 2 === 1 ? alice : bob;
      const to = from === alice ? bob.uid : alice.uid;
      sent.push((await ack(from, { t: 'msg.send', to: [to], body: `m${i}` })).msg_id);
    }
    await ack(alice, { t: 'msg.send', to: [bob.uid, carolId], body: 'to the group' });
    await ack(bob, { t: 'msg.receipt', to: [alice.uid], msg_id: sent[4], state: 'Read' });

    const bodies: string[] = [];
    let before: string | null | undefined;
    let pages = 0;
    do {
      const page = await ack(alice, { t: 'msg.history', with: bob.uid, limit: 2, ...(before ? { before } : {}) });
      bodies.push(...page.items.map((i: { body: string }) => i.body));
      before = page.next;
      pages++;
    } while (before);
    const newest = await ack(alice, { t: 'msg.history', with: bob.uid, limit: 1 });
    const asBob = await ack(bob, { t: 'msg.history', with: alice.uid });
    const group = await ack(bob, { t: 'msg.history', group: [carolId, alice.uid] });
    const groupWithSelf = await ack(bob, { t: 'msg.history', group: [alice.uid, bob.uid, carolId] });

    assert.deepEqual(bodies, ['m5', 'm4', 'm3', 'm2', 'm1']);
    assert.equal(pages, 3);
    assert.deepEqual(newest.items[0], {
      msg_id: sent[4],
      from: alice.uid,
      body: 'm5',
      ts: newest.items[0].ts,
      receipts: { [bob.uid]: 'Read' },
    });
    assert.equal(typeof newest.next, 'string');
    assert.deepEqual(
      asBob.items.map((i: { msg_id: string }) => i.msg_id),
      [...sent].reverse(),
    );
    assert.equal(asBob.next, null);
    assert.deepEqual(
      group.items.map((i: { body: string }) => i.body),
      ['to the group'],
    );
    assert.deepEqual(groupWithSelf, group);
  });

  it('refuses bad input with a clear error from the table, and stores or deletes nothing', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const { msg_id } = await ack(alice, { t: 'msg.send', to: [bob.uid], body: 'stays' });
    const cases: Array<[string, Peer, Record<string, unknown>, number, RegExp]> = [
      ['both with and group', alice, { t: 'msg.history', with: bob.uid, group: [bob.uid] }, -40000, /exactly one/],
      ['neither with nor group', alice, { t: 'msg.history' }, -40000, /exactly one/],
      ['limit 0', alice, { t: 'msg.history', with: bob.uid, limit: 0 }, -40000, /limit/],
      ['limit past 100', alice, { t: 'msg.history', with: bob.uid, limit: 101 }, -40000, /limit/],
      ['fractional limit', alice, { t: 'msg.history', with: bob.uid, limit: 1.5 }, -40000, /limit/],
      ['made-up cursor', alice, { t: 'msg.history', with: bob.uid, before: 'yesterday' }, -40000, /before/],
      ['empty group', alice, { t: 'msg.history', group: [] }, -40000, /group/],
      ['unknown field', alice, { t: 'msg.history', with: bob.uid, order: 'asc' }, -40000, /order/],
      ['no msg_id', alice, { t: 'msg.delete' }, -40000, /msg_id/],
      ['long msg_id', alice, { t: 'msg.delete', msg_id: 'x'.repeat(65) }, -40000, /msg_id/],
      ['unknown message', alice, { t: 'msg.delete', msg_id: 'no-such-message' }, -50001, /no message/],
      ["another's message", bob, { t: 'msg.delete', msg_id }, -35001, /Only the sender/],
    ];
    for (const [name, peer, frame, code, words] of cases) {
      const answer = await peer.request(frame);
      assert.equal(answer.t, 'error', name);
      assert.equal(answer.error.code, code, `${name}: ${JSON.stringify(answer.error)}`);
      assert.match(answer.error.description, words, name);
    }
    const page = await ack(bob, { t: 'msg.history', with: alice.uid });
    assert.deepEqual(
      page.items.map((i: { body: string; deleted?: boolean }) => [i.body, i.deleted]),
      [['stays', undefined]],
    );
    assert.equal(bob.entries.filter((e) => e.kind === 'deleted').length, 0);
  });

  it('deletes for everyone: the history shows it deleted, an online member is told, an offline one only learns of the deletion', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const carolId = uid('carol');
    const { msg_id } = await ack(alice, { t: 'msg.send', to: [bob.uid, carolId], body: 'regret' });
    await waitFor(() => bob.messages().length === 1, { what: 'bob to get the message' });

    assert.deepEqual(await ack(alice, { t: 'msg.delete', msg_id }), { msg_id, deleted: true });
    await waitFor(() => bob.entries.some((e) => e.kind === 'deleted'), { what: 'bob to learn of the deletion' });
    // A retry (the SDK's durable request after a drop) changes nothing and tells nobody again.
    assert.deepEqual(await ack(alice, { t: 'msg.delete', msg_id }), { msg_id, deleted: true });
    const carol = await connect(carolId);
    await waitFor(() => carol.entries.length > 0, { what: 'carol to get her inbox' });
    await bob.ping();
    const page = await ack(carol, { t: 'msg.history', group: [alice.uid, bob.uid] });

    assert.deepEqual(
      bob.entries.filter((e) => e.kind === 'deleted').map((e) => [e.msg_id, e.from]),
      [[msg_id, alice.uid]],
    );
    assert.deepEqual(
      carol.entries.map((e) => [e.kind, e.msg_id]),
      [['deleted', msg_id]],
    );
    assert.deepEqual(page.items, [{ msg_id, from: alice.uid, body: '', ts: page.items[0].ts, deleted: true }]);
    assert.equal(await server.store.messages.pendingCount(app.appId, carolId), 0);
  });

  it('keeps no history for an app set to 0 days, and the sweep drops what is past an app\u2019s days', async () => {
    const quiet = await server.createApp(['localhost']);
    await server.apps.setHistoryDays(quiet.appId, 0);
    const alice = await Peer.connect(server.url, quiet.token('web', 'production'), uid('alice'));
    const bob = await Peer.connect(server.url, quiet.token('web', 'production'), uid('bob'));
    peers.push(alice, bob);
    const { msg_id } = await ack(alice, { t: 'msg.send', to: [bob.uid], body: 'not kept' });
    await waitFor(() => bob.messages().length === 1, { what: 'the message, delivered all the same' });
    const none = await ack(bob, { t: 'msg.history', with: alice.uid });
    // Not in any history, yet still deletable for everyone while the server knows it was sent.
    await ack(alice, { t: 'msg.delete', msg_id });
    await waitFor(() => bob.entries.some((e) => e.kind === 'deleted' && e.msg_id === msg_id), {
      what: 'bob to learn of the deletion',
    });

    const kept = await server.createApp(['localhost']);
    await server.apps.setHistoryDays(kept.appId, 2);
    const carol = await Peer.connect(server.url, kept.token('web', 'production'), uid('carol'));
    peers.push(carol);
    await ack(carol, { t: 'msg.send', to: ['dan'], body: 'three days old soon' });
    const expiry = new HistoryExpiry(server.store, { intervalMs: 3600_000, batchSize: 1 }, server.app.log);
    const tomorrow = await expiry.sweep(Date.now() + 24 * 3600_000);
    const inThreeDays = await expiry.sweep(Date.now() + 3 * 24 * 3600_000);

    assert.deepEqual(none, { items: [], next: null });
    assert.equal(tomorrow, 0);
    assert.ok(inThreeDays >= 1);
    assert.deepEqual((await server.store.history.page(kept.appId, peopleKey(carol.uid, ['dan']), 'dan', 5)).items, []);
    await assert.rejects(server.apps.setHistoryDays(kept.appId, -1), /from 0 \(keep none\)/);
  });

  it("keeps a call's chat for a late joiner; only participants of the call may read it", async () => {
    const conf = `room-${++n}`;
    const join = (p: Peer) => ack(p, { t: 'conf.join', conf, uid: p.uid, instance: `inst-${p.uid}-0000` });
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    await join(alice);
    await join(bob);
    const chat = (id: string, body: string) => JSON.stringify({ oovooChat: 1, id, body });
    await ack(alice, { t: 'conf.data', conf, to: '', data: chat('c-1', 'hello call') });
    await ack(bob, { t: 'conf.data', conf, to: '', data: chat('c-2', 'hi alice') });
    // Not kept: data to one member, another app's plain string, and the chat's own receipts.
    await ack(bob, { t: 'conf.data', conf, to: alice.uid, data: chat('c-3', 'just you') });
    await ack(alice, { t: 'conf.data', conf, to: '', data: 'plain data' });
    await ack(alice, {
      t: 'conf.data',
      conf,
      to: '',
      data: JSON.stringify({ oovooChat: 1, id: 'c-2', state: 'Read' }),
    });
    await waitFor(() => bob.frames.filter((f) => f.t === 'conf.data').length === 3, { what: 'bob to get the data' });

    const late = await connect(uid('late'));
    const before = await late.request({ t: 'conf.history', conf });
    await join(late);
    const page = await ack(late, { t: 'conf.history', conf, limit: 1 });
    const older = await ack(late, { t: 'conf.history', conf, before: page.next });
    const outsider = await connect(uid('outsider'));
    const refused = await outsider.request({ t: 'conf.history', conf });

    assert.equal(before.error.code, -35001);
    assert.match(before.error.description, /not a participant/);
    assert.equal(refused.error.code, -35001);
    assert.deepEqual(
      [...page.items, ...older.items].map((i: { from: string; body: string; msg_id: string }) => [
        i.from,
        i.msg_id,
        i.body,
      ]),
      [
        [bob.uid, 'c-2', 'hi alice'],
        [alice.uid, 'c-1', 'hello call'],
      ],
    );
    assert.equal(older.next, null);
    assert.equal((await server.store.history.page(app.appId, conferenceKey(conf), 'x', 10)).items.length, 2);
  });
});
