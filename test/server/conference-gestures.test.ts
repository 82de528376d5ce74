import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { ConferenceLimits, REACTIONS } from '../../src/protocol/index.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';

// Raised hands and reactions (conf.hand, conf.reaction): frames of their own, relayed to the room only.
describe('conference signaling: hands and reactions', () => {
  let server: TestServer;
  let app: TestApp;
  const sockets: WebSocket[] = [];

  before(async () => {
    server = await startTestServer({ ...relaxedLimits });
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

  it('relays a raised hand to the room, lists it to later joiners, and a lowered one clears it', async () => {
    const alice = await open('hand-alice');
    const bob = await open('hand-bob');
    const other = await open('hand-other');
    await join(alice, 'hands');
    await join(bob, 'hands');
    await join(other, 'elsewhere');

    assert.equal((await alice.request({ t: 'conf.hand', conf: 'hands', raised: true })).t, 'ack');
    assert.deepEqual(await bob.next('conf.hand'), { t: 'conf.hand', conf: 'hands', uid: 'hand-alice', raised: true });

    const carol = await open('hand-carol');
    const joined = await join(carol, 'hands');
    assert.deepEqual(joined.result.participants, [
      { uid: 'hand-alice', userData: '', video: 'PLAY', hand: true },
      { uid: 'hand-bob', userData: '', video: 'PLAY' },
    ]);
    // Raising a raised hand again tells nobody; lowering it tells everyone.
    await alice.request({ t: 'conf.hand', conf: 'hands', raised: true });
    await alice.request({ t: 'conf.hand', conf: 'hands', raised: false });
    assert.deepEqual(await carol.next('conf.hand'), {
      t: 'conf.hand',
      conf: 'hands',
      uid: 'hand-alice',
      raised: false,
    });
    assert.equal(bob.count('conf.hand'), 2, 'bob saw the raise and the lower, not the repeat');
    await other.ping();
    assert.equal(other.count('conf.hand'), 0, 'another room saw nothing');
    assert.equal(alice.count('conf.hand'), 0, 'the sender is not told its own hand');
  });

  it('relays each reaction of the fixed set to the room only, and bounds how many one participant sends', async () => {
    const ann = await open('react-ann');
    const ben = await open('react-ben');
    const other = await open('react-other');
    await join(ann, 'reactions');
    await join(ben, 'reactions');
    await join(other, 'reactions-elsewhere');

    for (const reaction of REACTIONS) {
      assert.equal((await ann.request({ t: 'conf.reaction', conf: 'reactions', reaction })).t, 'ack');
      assert.deepEqual(await ben.next('conf.reaction'), {
        t: 'conf.reaction',
        conf: 'reactions',
        uid: 'react-ann',
        reaction,
      });
    }
    // The burst allows reactionBurst in a row (six spent above); past it: -40000 with retryAfterMs.
    let refused: any;
    for (let i = 0; i < ConferenceLimits.reactionBurst && !refused; i++) {
      const answer = await ann.request({ t: 'conf.reaction', conf: 'reactions', reaction: 'clap' });
      if (answer.t === 'error') refused = answer;
    }
    assert.ok(refused, 'a reaction past the burst is refused');
    assert.equal(refused.error.code, -40000);
    assert.ok(refused.error.retryAfterMs > 0);
    await other.ping();
    assert.equal(other.count('conf.reaction'), 0, 'another room saw nothing');
    // Ben's own bucket is untouched.
    assert.equal((await ben.request({ t: 'conf.reaction', conf: 'reactions', reaction: 'heart' })).t, 'ack');
  });

  it('refuses a reaction outside the set, a malformed hand (-40000) and a room one is not in (-35001)', async () => {
    const mallory = await open('gesture-mallory');
    await join(mallory, 'mine');
    const code = async (frame: Record<string, unknown>) => (await mallory.request(frame)).error?.code;
    assert.equal(await code({ t: 'conf.reaction', conf: 'mine', reaction: '<script>' }), -40000);
    assert.equal(await code({ t: 'conf.reaction', conf: 'mine', reaction: 'clap', uid: 'someone' }), -40000);
    assert.equal(await code({ t: 'conf.hand', conf: 'mine', raised: 'yes' }), -40000);
    assert.equal(await code({ t: 'conf.hand', conf: 'not-mine', raised: true }), -35001);
    assert.equal(await code({ t: 'conf.reaction', conf: 'not-mine', reaction: 'clap' }), -35001);
  });
});
