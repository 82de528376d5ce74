import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';

// The microphone state a participant tells the others (conf.audio): what remote tiles show as "muted".
describe('conference signaling: microphone state (conf.audio)', () => {
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

  it('relays mute and unmute to the others, and lists a muted participant to those who join later', async () => {
    const alice = await open('mic-alice');
    const bob = await open('mic-bob');
    const join = (c: Peer) =>
      c.request({ t: 'conf.join', conf: 'mic', uid: c.uid, userData: '', instance: `inst-${c.uid}` });
    await join(alice);
    await join(bob);

    assert.equal((await alice.request({ t: 'conf.audio', conf: 'mic', muted: true })).t, 'ack');
    assert.deepEqual(await bob.next('conf.audio'), { t: 'conf.audio', conf: 'mic', uid: 'mic-alice', muted: true });

    const carol = await open('mic-carol');
    const joined = await join(carol);
    assert.deepEqual(joined.result.participants, [
      { uid: 'mic-alice', userData: '', video: 'PLAY', muted: true },
      { uid: 'mic-bob', userData: '', video: 'PLAY' },
    ]);

    await alice.request({ t: 'conf.audio', conf: 'mic', muted: false });
    assert.deepEqual(await bob.next('conf.audio'), { t: 'conf.audio', conf: 'mic', uid: 'mic-alice', muted: false });
    assert.deepEqual(await carol.next('conf.audio'), { t: 'conf.audio', conf: 'mic', uid: 'mic-alice', muted: false });
  });

  it('refuses a malformed frame (-40000) and a room one is not in (-35001)', async () => {
    const mallory = await open('mic-mallory');
    assert.equal((await mallory.request({ t: 'conf.audio', conf: 'mic', muted: 'yes' })).error.code, -40000);
    assert.equal(
      (await mallory.request({ t: 'conf.audio', conf: 'mic', muted: true, uid: 'mic-alice' })).error.code,
      -40000,
    );
    assert.equal((await mallory.request({ t: 'conf.audio', conf: 'mic', muted: true })).error.code, -35001);
  });
});
