import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

describe('messaging over the socket', () => {
  let server: TestServer;
  let app: TestApp;
  let otherApp: TestApp;
  let token: string;
  const peers: Peer[] = [];
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;
  const connect = async (id: string, opts: Parameters<typeof Peer.connect>[3] = {}) => {
    const peer = await Peer.connect(server.url, token, id, opts);
    peers.push(peer);
    return peer;
  };

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      messaging: { sendRate: { burst: 1000, perSecond: 1000 }, inboxQuota: 300 },
    });
    app = await server.createApp(['localhost', '127.0.0.1']);
    otherApp = await server.createApp(['localhost', '127.0.0.1']);
    token = app.token('web', 'production');
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it('delivers a message to every messaging connection of the recipient and answers delivered/offline', async () => {
    const alice = await connect(uid('alice'));
    const bobId = uid('bob');
    const bobTab1 = await connect(bobId);
    const bobTab2 = await connect(bobId);
    const bobNoMessaging = await connect(bobId, { messaging: false });
    const carolId = uid('carol');

    const answer = await alice.request({ t: 'msg.send', cid: 'c1', to: [bobId, carolId], body: 'hello' });
    assert.equal(answer.t, 'ack', JSON.stringify(answer));
    assert.deepEqual(answer.result.delivered, [bobId]);
    assert.deepEqual(answer.result.offline, [carolId]);
    await waitFor(() => bobTab1.messages().length === 1 && bobTab2.messages().length === 1, {
      what: 'both tabs to receive',
    });
    const [entry] = bobTab1.messages();
    assert.equal(entry.msg_id, answer.result.msg_id);
    assert.equal(entry.from, alice.welcome.uid);
    assert.equal(entry.body, 'hello');
    // A connection that did not enable messaging gets none. Deliveries go out to all of a user's
    // connections at once, before the tabs got theirs: one would be ahead of this pong.
    await bobNoMessaging.ping();
    assert.equal(bobNoMessaging.frames.filter((f) => f.t === 'msg.deliver').length, 0);
  });

  it('a retry with the same client id returns the same msg_id and stores and delivers once', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const frame = { t: 'msg.send', cid: 'retry-1', to: [bob.welcome.uid], body: 'once' };
    const storedBefore = await countAll();
    const [first, second] = await Promise.all([alice.request(frame), alice.request(frame)]);
    const third = await alice.request(frame);
    assert.equal(first.result.msg_id, second.result.msg_id);
    assert.equal(first.result.msg_id, third.result.msg_id);
    // Three sends of one client id stored one message.
    assert.equal(await countAll(), storedBefore + 1);
    // A later message arrives after any second delivery of the first would have: bob's inbox is read in order.
    await alice.request({ t: 'msg.send', cid: 'retry-2', to: [bob.welcome.uid], body: 'later' });
    await waitFor(() => bob.messages().some((m) => m.body === 'later'), { what: 'the later message' });
    assert.deepEqual(
      bob.messages().map((m) => m.body),
      ['once', 'later'],
    );
  });

  async function countAll(): Promise<number> {
    return server.store.messages.countMessages(app.appId);
  }

  it('stores messages for an offline user and delivers them on connect, in order, in pages of at most 100', async () => {
    const alice = await connect(uid('alice'));
    const daveId = uid('dave');
    const sent: string[] = [];
    for (let i = 0; i < 250; i++) {
      const answer = await alice.request({ t: 'msg.send', cid: `off-${i}`, to: [daveId], body: `m${i}` });
      assert.deepEqual(answer.result.offline, [daveId]);
      sent.push(answer.result.msg_id);
    }
    assert.equal(await server.store.messages.pendingCount(app.appId, daveId), 250);
    const dave = await connect(daveId);
    await waitFor(() => dave.messages().length === 250, { what: 'the offline backlog' });
    assert.deepEqual(
      dave.messages().map((e) => e.msg_id),
      sent,
    );
    const pages = dave.frames.filter((f) => f.t === 'msg.deliver');
    assert.ok(pages.every((f) => f.entries.length <= 100));
    assert.ok(pages.length >= 3);
    // Acknowledged entries leave the pending set.
    await waitFor(async () => (await server.store.messages.pendingCount(app.appId, daveId)) === 0, {
      what: 'pending to empty',
    });
  });

  it('keeps entries pending until the recipient acknowledges them, and sends them again on the next connect', async () => {
    const alice = await connect(uid('alice'));
    const erinId = uid('erin');
    const erin = await connect(erinId, { autoReceive: false });
    const answer = await alice.request({ t: 'msg.send', cid: 'p1', to: [erinId], body: 'keep me' });
    await waitFor(() => erin.messages().length === 1, { what: 'first delivery' });
    await erin.close();
    assert.equal(await server.store.messages.pendingCount(app.appId, erinId), 1);
    const again = await connect(erinId);
    await waitFor(() => again.messages().length === 1, { what: 'redelivery' });
    assert.equal(again.messages()[0].msg_id, answer.result.msg_id);
    await waitFor(async () => (await server.store.messages.pendingCount(app.appId, erinId)) === 0, {
      what: 'removal after ack',
    });
  });

  it('forwards Delivered and Read receipts to the sender, and Read only moves forward', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const sent = await alice.request({ t: 'msg.send', cid: 'r1', to: [bob.welcome.uid], body: 'read me' });
    const msgId = sent.result.msg_id;
    await waitFor(() => bob.messages().length === 1, { what: 'delivery' });
    const receipt = (state: string) => bob.request({ t: 'msg.receipt', to: [alice.welcome.uid], msg_id: msgId, state });
    assert.equal((await receipt('Delivered')).t, 'ack');
    assert.equal((await receipt('Read')).t, 'ack');
    assert.equal((await receipt('Delivered')).t, 'ack');
    assert.equal((await receipt('Read')).t, 'ack');
    await waitFor(() => alice.receipts().length === 2, { what: 'two receipts' });
    // A later message arrives after any further receipt would have: alice's inbox is read in order.
    await bob.request({ t: 'msg.send', to: [alice.welcome.uid], body: 'later' });
    await waitFor(() => alice.messages().some((m) => m.body === 'later'), { what: 'the later message' });
    assert.deepEqual(
      alice.receipts().map((e) => [e.msg_id, e.from, e.state]),
      [
        [msgId, bob.welcome.uid, 'Delivered'],
        [msgId, bob.welcome.uid, 'Read'],
      ],
    );
    // Only a recipient may acknowledge, and only to the message's participants.
    const mallory = await connect(uid('mallory'));
    const notRecipient = await mallory.request({
      t: 'msg.receipt',
      to: [alice.welcome.uid],
      msg_id: msgId,
      state: 'Read',
    });
    assert.equal(notRecipient.error.code, -35001);
    const stranger = await bob.request({ t: 'msg.receipt', to: [mallory.welcome.uid], msg_id: msgId, state: 'Read' });
    assert.equal(stranger.error.code, -35001);
    const unknown = await bob.request({ t: 'msg.receipt', to: [alice.welcome.uid], msg_id: 'no-such', state: 'Read' });
    assert.equal(unknown.error.code, -50001);
  });

  it('refuses bad input with its code and stores nothing', async () => {
    const alice = await connect(uid('alice'));
    const bobId = uid('bob');
    const before = await countAll();
    const cases: Array<[string, Record<string, unknown>, number]> = [
      ['oversized body', { t: 'msg.send', to: [bobId], body: 'x'.repeat(4097) }, -40000],
      ['oversized multibyte body', { t: 'msg.send', to: [bobId], body: 'é'.repeat(2049) }, -40000],
      [
        'too many recipients',
        { t: 'msg.send', to: Array.from({ length: 101 }, (_, i) => `u${i}`), body: 'hi' },
        -40000,
      ],
      ['no recipients', { t: 'msg.send', to: [], body: 'hi' }, -40000],
      ['empty body', { t: 'msg.send', to: [bobId], body: '' }, -40000],
      ['unknown field', { t: 'msg.send', to: [bobId], body: 'hi', priority: 1 }, -40000],
      ['prototype key', JSON.parse(`{"t":"msg.send","to":["${bobId}"],"body":"hi","__proto__":{"x":1}}`), -40000],
      ['forged from', { t: 'msg.send', to: [bobId], body: 'hi', from: 'someone-else' }, -35001],
      ["another app's user", { t: 'msg.send', to: [bobId], body: 'hi', app: otherApp.appId }, -35001],
      ['bad receipt state', { t: 'msg.receipt', to: [bobId], msg_id: 'x', state: 'Seen' }, -40000],
      [
        'push body over 1 KB with property',
        { t: 'push.send', to: [bobId], body: 'x'.repeat(600), property: 'y'.repeat(600) },
        -40000,
      ],
    ];
    for (const [name, frame, code] of cases) {
      const answer = await alice.request(frame);
      assert.equal(answer.t, 'error', name);
      assert.equal(answer.error.code, code, `${name}: ${JSON.stringify(answer.error)}`);
    }
    assert.equal(await countAll(), before);
    assert.equal(await server.store.messages.pendingCount(app.appId, bobId), 0);
    // Sending as yourself explicitly is fine.
    const own = await alice.request({ t: 'msg.send', to: [bobId], body: 'hi', from: alice.welcome.uid });
    assert.equal(own.t, 'ack');
  });

  it('never crosses apps: the same user id in another app receives nothing', async () => {
    const alice = await connect(uid('alice'));
    const sharedId = uid('shared');
    const inOther = await connect(sharedId);
    const otherToken = otherApp.token('web', 'production');
    const otherUser = await Peer.connect(server.url, otherToken, sharedId);
    peers.push(otherUser);
    await alice.request({ t: 'msg.send', to: [sharedId], body: 'app one only' });
    await waitFor(() => inOther.messages().length === 1, { what: 'delivery in the same app' });
    assert.equal(await server.store.messages.pendingCount(otherApp.appId, sharedId), 0);
    // Deliveries go out at once when a message is stored, before its ack: one to the other app
    // would be ahead of this pong.
    await otherUser.ping();
    assert.equal(otherUser.count('msg.deliver'), 0);
  });

  it('refuses a send beyond the recipient inbox quota', async () => {
    const alice = await connect(uid('alice'));
    const fullId = uid('full');
    for (let i = 0; i < 300; i++) {
      const a = await alice.request({ t: 'msg.send', to: [fullId], body: `q${i}` });
      assert.equal(a.t, 'ack');
    }
    const refused = await alice.request({ t: 'msg.send', to: [fullId], body: 'one too many' });
    assert.equal(refused.error.code, -40000);
    assert.match(refused.error.description, /inbox .* is full/);
    assert.equal(await server.store.messages.pendingCount(app.appId, fullId), 300);
  });

  it('records messages sent and delivered per app and day', async () => {
    const days = await server.store.messages.usage(app.appId);
    assert.equal(days.length, 1);
    assert.equal(days[0]!.day, new Date().toISOString().slice(0, 10));
    assert.ok(days[0]!.sent >= 250);
    assert.ok(days[0]!.delivered >= 250);
    assert.deepEqual(await server.store.messages.usage(otherApp.appId), []);
  });
});

describe('messaging rate limits', () => {
  let server: TestServer;
  let token: string;
  const peers: Peer[] = [];

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, messaging: { sendRate: { burst: 5, perSecond: 1 } } });
    const app = await server.createApp(['localhost']);
    token = app.token('web', 'production');
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it('answers a flood with an error that carries the retry delay; other users are unaffected', async () => {
    const flooder = await Peer.connect(server.url, token, 'flooder');
    const calm = await Peer.connect(server.url, token, 'calm');
    peers.push(flooder, calm);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await flooder.request({ t: 'msg.send', to: ['calm'], body: `f${i}` }));
    assert.equal(answers.filter((a) => a.t === 'ack').length, 5);
    const refused = answers.find((a) => a.t === 'error');
    assert.equal(refused.error.code, -40000);
    assert.ok(refused.error.retryAfterMs >= 1000, JSON.stringify(refused.error));
    assert.match(refused.error.description, /retry in/);
    const other = await calm.request({ t: 'msg.send', to: ['flooder'], body: 'still fine' });
    assert.equal(other.t, 'ack');
  });
});
