import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TypingThrottle } from '../../src/server/messaging/typing-throttle.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';

/**
 * `msg.typing` over a real server: forwarded to the recipients' messaging connections at once,
 * never stored or queued, never to another app, refused when malformed, throttled per sender and
 * recipient with a bounded state.
 */

const typingFrames = (peer: Peer) => peer.frames.filter((f) => f.t === 'msg.typing');

describe('typing over the socket', () => {
  let server: TestServer;
  let app: TestApp;
  let otherApp: TestApp;
  const peers: Peer[] = [];
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;
  const connect = async (id: string, opts: Parameters<typeof Peer.connect>[3] = {}, appOf?: TestApp) => {
    const peer = await Peer.connect(server.url, (appOf ?? app).token('web', 'production'), id, opts);
    peers.push(peer);
    return peer;
  };
  /**
   * Every frame the sender sent before is handled once its pong is back (the server answers in
   * order), and whatever that sent to the others is queued ahead of their own pongs.
   */
  const settled = async (sender: Peer, ...others: Peer[]) => {
    await sender.ping();
    await Promise.all(others.map((p) => p.ping()));
  };

  before(async () => {
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost']);
    otherApp = await server.createApp(['localhost']);
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it('goes to every messaging connection of each recipient at once, as { from, typing }, and to no one else', async () => {
    const alice = await connect(uid('alice'));
    const aliceTab = await connect(alice.uid);
    const bobId = uid('bob');
    const bob1 = await connect(bobId);
    const bob2 = await connect(bobId);
    const bobPlain = await connect(bobId, { messaging: false });
    const carol = await connect(uid('carol'));
    const dave = await connect(uid('dave'));

    // Without an id nothing answers; with one, an ack.
    alice.send({ t: 'msg.typing', to: [bobId, carol.uid, alice.uid], typing: true });
    const typed = await Promise.all([bob1, bob2, carol].map((p) => p.next('msg.typing')));
    for (const frame of typed) assert.deepEqual(frame, { t: 'msg.typing', from: alice.uid, typing: true });
    const stop = await alice.request({ t: 'msg.typing', to: [bobId, carol.uid], typing: false });
    assert.deepEqual(stop, { t: 'ack', id: stop.id });
    const stopped = await Promise.all([bob1, bob2, carol].map((p) => p.next('msg.typing')));
    for (const frame of stopped) assert.deepEqual(frame, { t: 'msg.typing', from: alice.uid, typing: false });

    await settled(alice, aliceTab, bobPlain, dave);
    // Not to the sender's own tabs (naming oneself is ignored), nor to a connection without messaging, nor to anyone unnamed.
    for (const p of [alice, aliceTab, bobPlain, dave]) assert.deepEqual(typingFrames(p), [], p.uid);
    assert.deepEqual(alice.errors, []);
    assert.equal(alice.unanswered.length, 0);
  });

  it('is never stored: a recipient who was offline, or reconnects, gets nothing', async () => {
    const alice = await connect(uid('alice'));
    const bobId = uid('bob');
    const erinId = uid('erin');
    const erin = await connect(erinId);
    const stored = await server.store.messages.countMessages(app.appId);
    alice.send({ t: 'msg.typing', to: [bobId, erinId], typing: true });
    await erin.next('msg.typing');
    await erin.close();
    await settled(alice);
    assert.equal(await server.store.messages.countMessages(app.appId), stored);
    assert.equal(await server.store.messages.pendingCount(app.appId, bobId), 0);

    // Both connect now; a message sent after the typing arrives, and no typing frame ever does.
    const bob = await connect(bobId);
    const erinAgain = await connect(erinId);
    assert.equal((await alice.request({ t: 'msg.send', to: [bobId, erinId], body: 'after' })).t, 'ack');
    await Promise.all([bob, erinAgain].map((p) => p.next((f) => f.t === 'msg.deliver')));
    await settled(alice, bob, erinAgain);
    assert.deepEqual(typingFrames(bob), []);
    assert.deepEqual(typingFrames(erinAgain), []);
  });

  it('never crosses apps: the same user id in another app gets nothing', async () => {
    const alice = await connect(uid('alice'));
    const sharedId = uid('shared');
    const here = await connect(sharedId);
    const there = await connect(sharedId, {}, otherApp);
    alice.send({ t: 'msg.typing', to: [sharedId], typing: true });
    assert.equal((await here.next('msg.typing')).from, alice.uid);
    await settled(alice, there);
    assert.deepEqual(typingFrames(there), []);
  });

  it('refuses bad input with -40000 and forwards nothing', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const cases: Array<[string, Record<string, unknown>]> = [
      ['no recipients', { t: 'msg.typing', to: [], typing: true }],
      ['recipients not a list', { t: 'msg.typing', to: bob.uid, typing: true }],
      ['too many recipients', { t: 'msg.typing', to: Array.from({ length: 101 }, (_, i) => `u${i}`), typing: true }],
      ['an empty user id', { t: 'msg.typing', to: [bob.uid, ''], typing: true }],
      ['a user id too long', { t: 'msg.typing', to: ['x'.repeat(257)], typing: true }],
      ['typing missing', { t: 'msg.typing', to: [bob.uid] }],
      ['typing not a boolean', { t: 'msg.typing', to: [bob.uid], typing: 'yes' }],
      ['unknown field', { t: 'msg.typing', to: [bob.uid], typing: true, body: 'hi' }],
      ['prototype key', JSON.parse(`{"t":"msg.typing","to":["${bob.uid}"],"typing":true,"__proto__":{"x":1}}`)],
    ];
    for (const [name, frame] of cases) {
      const answer = await alice.request(frame);
      assert.equal(answer.t, 'error', name);
      assert.equal(answer.error.code, -40000, `${name}: ${JSON.stringify(answer.error)}`);
      assert.equal(answer.error.name, 'BadRequest', name);
    }
    // Without an id the error comes all the same, without one.
    alice.send({ t: 'msg.typing', to: [], typing: true });
    const error = await alice.next((f) => f.t === 'error' && f.id === undefined);
    assert.equal(error.error.code, -40000);
    await settled(alice, bob);
    assert.deepEqual(typingFrames(bob), []);
  });

  it('forwards one "typing" per sender and recipient in 2 s, a "stopped" only after one, at most 3 in a row', async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const carol = await connect(uid('carol'));
    for (let i = 0; i < 20; i++) alice.send({ t: 'msg.typing', to: [bob.uid], typing: true });
    // A stop for someone alice never said she typed to clears nothing.
    alice.send({ t: 'msg.typing', to: [carol.uid], typing: false });
    await settled(alice, bob, carol);
    assert.deepEqual(
      typingFrames(bob).map((f) => f.typing),
      [true],
    );
    assert.deepEqual(typingFrames(carol), []);

    // Flipping on and off as fast as it can: the pair's bucket (3) had one taken; two more go.
    for (let i = 0; i < 20; i++) alice.send({ t: 'msg.typing', to: [bob.uid], typing: i % 2 === 1 });
    await settled(alice, bob);
    assert.deepEqual(
      typingFrames(bob).map((f) => f.typing),
      [true, false, true],
    );
    // Carol is another pair with its own allowance, throttled or not.
    alice.send({ t: 'msg.typing', to: [bob.uid, carol.uid], typing: true });
    await settled(alice, bob, carol);
    assert.equal(typingFrames(bob).length, 3);
    assert.deepEqual(typingFrames(carol), [{ t: 'msg.typing', from: alice.uid, typing: true }]);
    // Another sender to bob is not held back by alice's throttle.
    const dave = await connect(uid('dave'));
    dave.send({ t: 'msg.typing', to: [bob.uid], typing: true });
    assert.equal((await bob.next((f) => f.t === 'msg.typing' && f.from === dave.uid)).typing, true);
  });
});

describe('the typing throttle', () => {
  const INTERVAL = 2000;

  it('lets a "typing" through again once the interval passed, and a "stopped" right after one', () => {
    const throttle = new TypingThrottle({ intervalMs: INTERVAL, burst: 3 });
    let now = 1_000_000;
    assert.deepEqual(throttle.admit('a', ['b'], true, now), ['b']);
    assert.deepEqual(throttle.admit('a', ['b'], true, (now += INTERVAL - 1)), []);
    assert.deepEqual(throttle.admit('a', ['b'], true, (now += 1)), ['b']);
    assert.deepEqual(throttle.admit('a', ['b'], false, (now += 10)), ['b']);
    assert.deepEqual(throttle.admit('a', ['b'], false, (now += 10)), [], 'a second stop says nothing new');
    // The user sends, then types the next message at once: the start goes through (the bucket allows it).
    assert.deepEqual(throttle.admit('a', ['b'], true, (now += 10)), ['b']);
    // The bucket is empty now: nothing until it refills by one.
    assert.deepEqual(throttle.admit('a', ['b'], false, (now += 10)), []);
    assert.deepEqual(throttle.admit('a', ['b'], false, (now += INTERVAL)), ['b']);
  });

  it('holds at most maxPairsPerSender pairs per sender, forgets idle ones, and nothing of a sender it forgot', () => {
    const throttle = new TypingThrottle({ intervalMs: INTERVAL, burst: 3, maxPairsPerSender: 100 });
    let now = 1_000_000;
    const many = (from: number) => Array.from({ length: 100 }, (_, i) => `u${from + i}`);
    assert.equal(throttle.admit('a', many(0), true, now).length, 100);
    // Full: new recipients get nothing (the older pairs are still live), old ones go on as before.
    assert.deepEqual(throttle.admit('a', many(100), true, (now += 10)), []);
    assert.equal(throttle.size, 100);
    // Stops never take room.
    assert.deepEqual(throttle.admit('a', many(200), false, now), []);
    assert.equal(throttle.size, 100);
    // After burst × interval idle, the old pairs lapse and make room.
    assert.equal(throttle.admit('a', many(100), true, (now += 3 * INTERVAL)).length, 100);
    assert.equal(throttle.size, 100);
    throttle.admit('b', ['x'], true, now);
    throttle.forget('a');
    assert.equal(throttle.size, 1);
    // A sender whose frames all stopped nothing holds nothing.
    assert.deepEqual(throttle.admit('c', ['x'], false, now), []);
    assert.equal(throttle.size, 1);
  });
});
