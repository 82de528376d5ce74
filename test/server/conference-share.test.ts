import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { SCREEN_SHARE_TAKEN_CODE } from '../../src/protocol/index.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';

// Screen sharing on the wire (conf.share): room state relayed to the others, one sharer per room,
// listed to later joiners, ended (and told) when the sharer leaves or drops for good.
describe('conference signaling: screen share', () => {
  let server: TestServer;
  let app: TestApp;
  const sockets: WebSocket[] = [];
  /** Short, so that a drop for good happens within the test. */
  const GRACE_MS = 400;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, conference: { graceMs: GRACE_MS } });
    app = await server.createApp(['localhost']);
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  });

  async function open(uid: string): Promise<Peer> {
    const peer = await Peer.connect(server.url, app.token('web', 'production'), uid, {
      messaging: false,
      origin: 'http://localhost:1234',
    });
    sockets.push(peer.ws);
    return peer;
  }
  const join = (c: Peer, conf: string) =>
    c.request({ t: 'conf.join', conf, uid: c.uid, userData: '', instance: `inst-${c.uid}` });
  const share = (c: Peer, conf: string, active: boolean) => c.request({ t: 'conf.share', conf, active });

  it('relays a share to the room only, refuses a second sharer without a change, and lists the share to later joiners', async () => {
    const alice = await open('share-alice');
    const bob = await open('share-bob');
    const other = await open('share-other');
    await join(alice, 'screens');
    await join(bob, 'screens');
    await join(other, 'screens-elsewhere');

    assert.equal((await share(alice, 'screens', true)).t, 'ack');
    assert.deepEqual(await bob.next('conf.share'), {
      t: 'conf.share',
      conf: 'screens',
      uid: 'share-alice',
      active: true,
    });
    // Starting again is no change: nobody is told twice.
    assert.equal((await share(alice, 'screens', true)).t, 'ack');

    // One share per room: bob is refused, and nothing changes (nobody hears of bob's share).
    const refused = await share(bob, 'screens', true);
    assert.equal(refused.t, 'error');
    assert.equal(refused.error.code, SCREEN_SHARE_TAKEN_CODE);
    assert.match(refused.error.description, /share-alice.*one share at a time/);
    // A sharer's "stop" from someone who does not share is no change either.
    assert.equal((await share(bob, 'screens', false)).t, 'ack');

    const carol = await open('share-carol');
    const joined = await join(carol, 'screens');
    assert.deepEqual(joined.result.participants, [
      { uid: 'share-alice', userData: '', video: 'PLAY', share: true },
      { uid: 'share-bob', userData: '', video: 'PLAY' },
    ]);

    // Stopped: the room is told, and now bob may share.
    assert.equal((await share(alice, 'screens', false)).t, 'ack');
    for (const p of [bob, carol])
      assert.deepEqual(await p.next((f) => f.t === 'conf.share' && f.active === false), {
        t: 'conf.share',
        conf: 'screens',
        uid: 'share-alice',
        active: false,
      });
    assert.equal((await share(bob, 'screens', true)).t, 'ack');
    assert.deepEqual(await carol.next((f) => f.t === 'conf.share' && f.uid === 'share-bob'), {
      t: 'conf.share',
      conf: 'screens',
      uid: 'share-bob',
      active: true,
    });

    await Promise.all([alice.ping(), bob.ping(), other.ping()]);
    assert.equal(bob.count('conf.share'), 2, 'bob saw alice start and stop, and not the repeat');
    assert.equal(alice.count('conf.share'), 1, "alice saw bob's share only, never her own");
    assert.equal(other.count('conf.share'), 0, 'another room saw nothing');
  });

  it('ends the share when the sharer leaves, and when it drops for good (after the grace period), telling the room', async () => {
    const ann = await open('share-ann');
    const ben = await open('share-ben');
    await join(ann, 'screens-leave');
    await join(ben, 'screens-leave');
    await share(ann, 'screens-leave', true);
    await ben.next('conf.share');

    // Leaving: the room hears the share end, then the sharer leave.
    await ann.request({ t: 'conf.leave', conf: 'screens-leave' });
    const stopped = await ben.next((f) => f.t === 'conf.share' && f.active === false);
    assert.deepEqual(stopped, { t: 'conf.share', conf: 'screens-leave', uid: 'share-ann', active: false });
    assert.equal(ben.frames.indexOf(stopped) + 1, ben.frames.indexOf(await ben.next('conf.left')));
    assert.equal((await share(ben, 'screens-leave', true)).t, 'ack', 'the room is free to share again');

    // A drop keeps the share through the grace period (a resume finds it), and ends it after.
    const cat = await open('share-cat');
    await join(cat, 'screens-leave');
    await share(ben, 'screens-leave', false);
    ben.ws.terminate();
    const back = await open('share-ben');
    const resumed = await join(back, 'screens-leave');
    assert.equal(resumed.result.resumed, true);
    await share(back, 'screens-leave', true);
    assert.equal((await cat.next((f) => f.t === 'conf.share' && f.active)).uid, 'share-ben');
    back.ws.terminate();
    const ended = await cat.next((f) => f.t === 'conf.share' && !f.active && f.uid === 'share-ben', GRACE_MS + 5_000);
    assert.deepEqual(ended, { t: 'conf.share', conf: 'screens-leave', uid: 'share-ben', active: false });
    assert.deepEqual(await cat.next('conf.left'), {
      t: 'conf.left',
      conf: 'screens-leave',
      uid: 'share-ben',
      reason: 'timeout',
    });
    assert.equal((await share(cat, 'screens-leave', true)).t, 'ack', 'the share ended with its sharer');
  });

  it('refuses malformed share frames (-40000) and a room one is not in (-35001), changing nothing', async () => {
    const mallory = await open('share-mallory');
    const watcher = await open('share-watcher');
    await join(mallory, 'mine-share');
    await join(watcher, 'mine-share');
    const code = async (frame: Record<string, unknown>) => (await mallory.request(frame)).error?.code;
    assert.equal(await code({ t: 'conf.share', conf: 'mine-share', active: 'yes' }), -40000);
    assert.equal(await code({ t: 'conf.share', conf: 'mine-share' }), -40000);
    assert.equal(await code({ t: 'conf.share', conf: 'mine-share', active: true, uid: 'share-watcher' }), -40000);
    assert.equal(await code({ t: 'conf.share', conf: '', active: true }), -40000);
    assert.equal(await code({ t: 'conf.share', conf: 'not-mine', active: true }), -35001);
    await watcher.ping();
    assert.equal(watcher.count('conf.share'), 0, 'nothing was relayed');
    const later = await open('share-later');
    const joined = await join(later, 'mine-share');
    assert.ok(
      joined.result.participants.every((p: { share?: boolean }) => p.share === undefined),
      'nobody shares',
    );
  });
});
