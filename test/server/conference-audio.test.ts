import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { connectSocket } from '../helpers/socket.js';

// The microphone state a participant tells the others (conf.audio): what remote tiles show as "muted".
describe('conference signaling: microphone state (conf.audio)', () => {
  let server: TestServer;
  let app: TestApp;
  const sockets: WebSocket[] = [];
  let seq = 0;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits });
    app = await server.createApp(['localhost']);
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  });

  async function open(uid: string) {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const attempt = await connectSocket(server.url, {
      query: { uid },
      protocols: ['oovoo.v1', `oovoo.token.${token}`],
      origin: 'http://localhost:1234',
    });
    if (attempt.kind !== 'open') throw new Error(`refused: ${attempt.status}`);
    sockets.push(attempt.ws);
    const backlog: any[] = [];
    const take = async (match: (f: any) => boolean) => {
      const i = backlog.findIndex(match);
      if (i !== -1) return backlog.splice(i, 1)[0];
      const deadline = Date.now() + 5000;
      for (;;) {
        const frame = await attempt.frames.next(Math.max(1, deadline - Date.now()));
        if (match(frame)) return frame;
        backlog.push(frame);
      }
    };
    return {
      uid,
      request(frame: Record<string, unknown>): Promise<any> {
        const id = `a${++seq}`;
        attempt.ws.send(JSON.stringify({ ...frame, id }));
        return take((f) => f.id === id);
      },
      next: (type: string): Promise<any> => take((f) => f.t === type),
    };
  }

  it('relays mute and unmute to the others, and lists a muted participant to those who join later', async () => {
    const alice = await open('mic-alice');
    const bob = await open('mic-bob');
    const join = (c: { uid: string; request: (f: Record<string, unknown>) => Promise<any> }) =>
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
