import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';

const ORIGIN = 'http://localhost:1234';

describe('conference signaling (frames)', () => {
  let server: TestServer;
  let appA: TestApp;
  let appB: TestApp;
  const sockets: WebSocket[] = [];

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      conference: {
        meshMax: 3,
        graceMs: 1500,
        turnUrls: ['turn:127.0.0.1:3478'],
        stunUrls: ['stun:127.0.0.1:3478'],
        turnSecret: 's3cret',
      },
    });
    appA = await server.createApp(['localhost']);
    appB = await server.createApp(['localhost']);
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  });

  async function open(app: TestApp, uid: string): Promise<Peer> {
    const peer = await Peer.connect(server.url, app.token('web', 'production'), uid, {
      messaging: false,
      origin: ORIGIN,
    });
    sockets.push(peer.ws);
    return peer;
  }

  const join = (c: Peer, conf: string, extra: Record<string, unknown> = {}) =>
    c.request({ t: 'conf.join', conf, uid: c.uid, userData: `ud-${c.uid}`, instance: `inst-${c.uid}-000`, ...extra });

  it('joins, lists participants with user data, and relays SDP only with the sender stamped by the server', async () => {
    const alice = await open(appA, 'alice');
    const bob = await open(appA, 'bob');
    const first = await join(alice, 'room');
    assert.equal(first.t, 'ack');
    assert.deepEqual(first.result.participants, []);
    assert.equal(first.result.resumed, false);
    assert.equal(first.result.graceMs, 1500);

    // ICE servers: STUN as given, TURN with REST credentials coturn's use-auth-secret accepts.
    const [stun, turn] = first.result.iceServers;
    assert.deepEqual(stun, { urls: ['stun:127.0.0.1:3478'] });
    const [expiry, user] = turn.username.split(':');
    assert.equal(user, 'alice');
    assert.ok(Number(expiry) > Date.now() / 1000 + 3600);
    assert.equal(turn.credential, createHmac('sha1', 's3cret').update(turn.username).digest('base64'));

    const second = await join(bob, 'room');
    assert.deepEqual(second.result.participants, [{ uid: 'alice', userData: 'ud-alice', video: 'PLAY' }]);
    assert.deepEqual(await alice.next('conf.joined'), {
      t: 'conf.joined',
      conf: 'room',
      participant: { uid: 'bob', userData: 'ud-bob', video: 'PLAY' },
    });

    const sent = await alice.request({
      t: 'conf.signal',
      conf: 'room',
      to: 'bob',
      description: { type: 'offer', sdp: 'v=0' },
    });
    assert.deepEqual(sent.result, { delivered: true });
    assert.deepEqual(await bob.next('conf.signal'), {
      t: 'conf.signal',
      conf: 'room',
      from: 'alice',
      description: { type: 'offer', sdp: 'v=0' },
    });

    // Speaking for someone else: a `from` is not a field a client may send.
    const forged = await alice.request({
      t: 'conf.signal',
      conf: 'room',
      to: 'bob',
      from: 'carol',
      description: { type: 'offer', sdp: 'v=0' },
    });
    assert.equal(forged.t, 'error');
    assert.equal(forged.error.code, -40000);
    // Neither to oneself, nor to a non-member, nor both payloads at once.
    for (const bad of [
      { to: 'alice', candidate: { candidate: 'x' } },
      { to: 'nobody', candidate: { candidate: 'x' } },
      { to: 'bob', candidate: { candidate: 'x' }, description: { type: 'answer', sdp: 'v=0' } },
    ]) {
      const answer = await alice.request({ t: 'conf.signal', conf: 'room', ...bad });
      assert.equal(answer.error.code, -40000, JSON.stringify(bad));
    }

    // Video state and data reach the other member; data over 16 KB is refused.
    assert.equal((await alice.request({ t: 'conf.video', conf: 'room', state: 'PAUSED' })).t, 'ack');
    assert.deepEqual(await bob.next('conf.video'), { t: 'conf.video', conf: 'room', uid: 'alice', state: 'PAUSED' });
    assert.equal((await bob.request({ t: 'conf.data', conf: 'room', to: '', data: 'hi all' })).t, 'ack');
    assert.deepEqual(await alice.next('conf.data'), { t: 'conf.data', conf: 'room', from: 'bob', data: 'hi all' });
    const big = await bob.request({ t: 'conf.data', conf: 'room', to: 'alice', data: 'é'.repeat(8 * 1024 + 1) });
    assert.equal(big.error.code, -40000);
    assert.equal((await bob.request({ t: 'conf.receive', conf: 'room', to: 'alice', video: false })).t, 'ack');
    assert.deepEqual(await alice.next('conf.receive'), { t: 'conf.receive', conf: 'room', from: 'bob', video: false });

    // Leave: the other member is told.
    assert.equal((await bob.request({ t: 'conf.leave', conf: 'room' })).t, 'ack');
    assert.deepEqual(await alice.next('conf.left'), { t: 'conf.left', conf: 'room', uid: 'bob', reason: 'left' });
    await alice.request({ t: 'conf.leave', conf: 'room' });
  });

  it('refuses a uid that is not the session user (-35001) and frames for a room one is not in', async () => {
    const mallory = await open(appA, 'mallory');
    const wrongUid = await mallory.request({ t: 'conf.join', conf: 'r2', uid: 'alice', instance: 'inst-mallory-1' });
    assert.equal(wrongUid.error.code, -35001);
    for (const frame of [
      { t: 'conf.signal', conf: 'r2', to: 'alice', candidate: { candidate: 'x' } },
      { t: 'conf.data', conf: 'r2', to: '', data: 'x' },
      { t: 'conf.video', conf: 'r2', state: 'PLAY' },
      { t: 'conf.leave', conf: 'r2' },
    ]) {
      assert.equal((await mallory.request(frame)).error.code, -35001, frame.t);
    }
  });

  it('isolates apps: app B in a room of the same name sees and reaches nobody of app A', async () => {
    const a1 = await open(appA, 'iso-a1');
    const b1 = await open(appB, 'iso-a1');
    await join(a1, 'same-name');
    const bJoin = await join(b1, 'same-name');
    assert.deepEqual(bJoin.result.participants, []);
    const reach = await b1.request({
      t: 'conf.signal',
      conf: 'same-name',
      to: 'iso-a1',
      candidate: { candidate: 'x' },
    });
    assert.equal(reach.error.code, -40000);
    await assert.rejects(a1.next('conf.joined', 300));
    await assert.rejects(a1.next('conf.signal', 300));
  });

  it('refuses a join beyond the mesh limit with a clear error', async () => {
    const clients = await Promise.all(['m1', 'm2', 'm3', 'm4'].map((uid) => open(appA, uid)));
    for (const c of clients.slice(0, 3)) assert.equal((await join(c, 'full')).t, 'ack');
    const refused = await join(clients[3]!, 'full');
    assert.equal(refused.error.code, -60300);
    assert.match(refused.error.description, /at most 3 participants/);
  });

  it('keeps a dropped participant for the grace period, resumes it silently, and drops it after', async () => {
    const stay = await open(appA, 'g-stay');
    let away = await open(appA, 'g-away');
    await join(stay, 'grace');
    await join(away, 'grace');
    await stay.next('conf.joined');

    away.ws.terminate();
    away = await open(appA, 'g-away');
    const resumed = await join(away, 'grace');
    assert.equal(resumed.result.resumed, true);
    assert.deepEqual(
      resumed.result.participants.map((p: any) => p.uid),
      ['g-stay'],
    );
    await assert.rejects(stay.next('conf.left', 2500), 'no leave within the grace period');
    // Relay works on the new connection.
    await stay.request({ t: 'conf.signal', conf: 'grace', to: 'g-away', candidate: { candidate: 'c' } });
    assert.equal((await away.next('conf.signal')).from, 'g-stay');

    away.ws.terminate();
    assert.deepEqual(await stay.next('conf.left', 5000), {
      t: 'conf.left',
      conf: 'grace',
      uid: 'g-away',
      reason: 'timeout',
    });

    // Usage was recorded for the app (written in batches: wait for the flush after the drop).
    await waitFor(
      () => server.store.conferenceUsage.list(appA.appId),
      (usage) =>
        usage.length === 1 &&
        usage[0]!.conferences >= 4 &&
        usage[0]!.peakParticipants === 3 &&
        usage[0]!.participantMinutes > 0,
      { what: "the app's conference usage", timeoutMs: 5000, intervalMs: 50 },
    );
  });

  it('a second instance of the same user replaces the first: others see it leave and join again', async () => {
    const other = await open(appA, 'r-other');
    const tab1 = await open(appA, 'r-user');
    await join(other, 'replace');
    await join(tab1, 'replace');
    await other.next('conf.joined');
    const tab2 = await open(appA, 'r-user');
    const answer = await join(tab2, 'replace', { instance: 'inst-second-tab' });
    assert.equal(answer.result.resumed, false);
    assert.deepEqual(await tab1.next('conf.left'), {
      t: 'conf.left',
      conf: 'replace',
      uid: 'r-user',
      reason: 'replaced',
    });
    assert.equal((await other.next('conf.left')).reason, 'replaced');
    assert.equal((await other.next('conf.joined')).participant.uid, 'r-user');
  });
});
