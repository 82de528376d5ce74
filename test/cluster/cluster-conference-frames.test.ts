import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relaxedLimits, type TestApp, type TestServer } from '../helpers/server.js';
import type { TestRedis } from '../helpers/redis.js';
import { Peer } from '../helpers/socket.js';
import { startTwoNodes, type TwoNodes } from '../helpers/two-nodes.js';
import { waitFor } from '../helpers/wait.js';

/**
 * One conference with members on two nodes (in this process; one PostgreSQL, one Redis): the room
 * lives on the node that saw its first join, the other node forwards its members' frames there and
 * hands the answers back. What members see is what they see on one node.
 */

const ORIGIN = 'http://localhost:1234';

describe('a conference across two nodes (frames)', () => {
  let nodes: TwoNodes;
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  let app: TestApp;
  let otherApp: TestApp;
  const peers: Peer[] = [];

  before(async () => {
    nodes = await startTwoNodes({ ...relaxedLimits, conference: { graceMs: 3000 } });
    ({ a, b, redis } = nodes);
    app = await a.createApp(['localhost']);
    otherApp = await a.createApp(['localhost'], { name: 'Other app' });
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await nodes?.stop();
  });

  async function open(node: TestServer, uid: string, appOf = app): Promise<Peer> {
    const peer = await Peer.connect(node.url, appOf.token('web', 'production'), uid, {
      messaging: false,
      origin: ORIGIN,
    });
    peers.push(peer);
    return peer;
  }

  const join = (c: Peer, conf: string) =>
    c.request({ t: 'conf.join', conf, uid: c.uid, userData: `ud-${c.uid}`, instance: `inst-${c.uid}-000` });

  it('joins members of both nodes to one room; SDP, video state and data pass both ways in order', async () => {
    const alice = await open(a, 'alice');
    const bob = await open(b, 'bob');
    const carol = await open(b, 'carol');
    assert.equal((await join(alice, 'room')).t, 'ack');
    const second = await join(bob, 'room');
    assert.deepEqual(
      second.result.participants.map((p: { uid: string }) => p.uid),
      ['alice'],
      'the room on node A is the one bob joined from node B',
    );
    assert.equal((await alice.next('conf.joined')).participant.uid, 'bob');
    assert.equal(a.conference.room(app.appId, 'room')?.size, 2, 'node A owns the room');
    assert.equal(b.conference.room(app.appId, 'room'), undefined, 'node B holds no copy');

    const offer = { type: 'offer', sdp: 'v=0 from bob' };
    assert.equal((await bob.request({ t: 'conf.signal', conf: 'room', to: 'alice', description: offer })).t, 'ack');
    assert.deepEqual(await alice.next('conf.signal'), {
      t: 'conf.signal',
      conf: 'room',
      from: 'bob',
      description: offer,
    });
    const answer = { type: 'answer', sdp: 'v=0 from alice' };
    await alice.request({ t: 'conf.signal', conf: 'room', to: 'bob', description: answer });
    assert.equal((await bob.next('conf.signal')).description.sdp, 'v=0 from alice');

    // Frames keep their order through the forwarding: 50 data frames from B, in order, at A.
    for (let i = 0; i < 50; i++) bob.send({ t: 'conf.data', conf: 'room', to: '', data: `d${i}` });
    await waitFor(
      () => alice.count('conf.data'),
      (n) => n >= 50,
      { what: "bob's 50 data frames at alice" },
    );
    assert.deepEqual(
      alice.frames.filter((f) => f.t === 'conf.data').map((f) => f.data),
      Array.from({ length: 50 }, (_, i) => `d${i}`),
    );
    assert.equal((await alice.request({ t: 'conf.video', conf: 'room', state: 'PAUSED' })).t, 'ack');
    assert.deepEqual(await bob.next('conf.video'), { t: 'conf.video', conf: 'room', uid: 'alice', state: 'PAUSED' });

    // A third member on B: both others are listed, and both see it join.
    const third = await join(carol, 'room');
    assert.deepEqual(third.result.participants.map((p: { uid: string }) => p.uid).sort(), ['alice', 'bob']);
    assert.equal((await bob.next('conf.joined')).participant.uid, 'carol');

    // Errors come back from the owner with the spec's code: bob may not signal someone outside the room.
    const stray = await bob.request({ t: 'conf.signal', conf: 'room', to: 'nobody', candidate: { candidate: 'x' } });
    assert.equal(stray.error.code, -40000);

    assert.equal((await bob.request({ t: 'conf.leave', conf: 'room' })).t, 'ack');
    assert.deepEqual(await alice.next('conf.left'), { t: 'conf.left', conf: 'room', uid: 'bob', reason: 'left' });
  });

  it('keeps a dropped member on another node in the room through the grace period, and takes it back', async () => {
    const alice = await open(a, 'dora');
    const bob = await open(b, 'eve');
    await join(alice, 'grace-room');
    await join(bob, 'grace-room');
    await alice.next('conf.joined');
    bob.ws.terminate();
    // Eve's socket on B is gone; she comes back on node A (another node than before) as the same instance.
    const back = await open(a, 'eve');
    const rejoined = await join(back, 'grace-room');
    assert.equal(rejoined.result.resumed, true, 'her place was kept');
    await alice.ping();
    assert.equal(alice.count('conf.left'), 0, 'dora saw no leave');
  });

  it('drops a member whose socket closed once the grace period ends, and releases the empty room', async () => {
    const alice = await open(b, 'fay');
    const bob = await open(a, 'gus');
    await join(alice, 'short-room');
    await join(bob, 'short-room');
    await bob.close();
    const left = await alice.next('conf.left', 10_000);
    assert.deepEqual(left, { t: 'conf.left', conf: 'short-room', uid: 'gus', reason: 'timeout' });
    await alice.request({ t: 'conf.leave', conf: 'short-room' });
    await waitFor(
      () => redis.client().exists(`oovoo:room:${app.appId}\u0000short-room`),
      (n) => n === 0,
      {
        what: 'the lease of the empty room released',
      },
    );
    // The room can start again, on either node.
    const again = await open(a, 'hal');
    assert.deepEqual((await join(again, 'short-room')).result.participants, []);
  });

  it('sends the members away to rejoin when the owner finds its lease taken (it was cut off too long)', async () => {
    const alice = await open(a, 'kim');
    const bob = await open(b, 'lee');
    await join(alice, 'taken-room');
    await join(bob, 'taken-room');
    // As if node A had lost Redis past the lease and another node had taken the room meanwhile.
    await redis.client().set(`oovoo:room:${app.appId}\u0000taken-room`, 'another-node', 'PX', 60_000);
    // A's next renewal (every 2 s) finds it: its own member and the one on B are closed with 1012.
    await waitFor(() => alice.closed && bob.closed, { what: 'both members closed', timeoutMs: 10_000 });
    assert.equal(alice.closed!.code, 1012);
    assert.equal(bob.closed!.code, 1012);
  });

  it('keeps apps apart: the same conference id in another app is another room', async () => {
    const alice = await open(a, 'ivy');
    const stranger = await open(b, 'jon', otherApp);
    await join(alice, 'shared-name');
    const joined = await join(stranger, 'shared-name');
    assert.deepEqual(joined.result.participants, []);
    await alice.ping();
    assert.equal(alice.count('conf.joined'), 0);
  });
});
