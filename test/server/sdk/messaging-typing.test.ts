import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OoVooClient } from '../../../src/sdk/client.js';
import { OoVooError } from '../../../src/sdk/errors.js';
import { TypingTimes } from '../../../src/protocol/index.js';
import { connectNodeClient, installNodeWebSocket } from '../../helpers/node-sdk.js';
import {
  relaxedLimits,
  sessionTokenFor,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../../helpers/server.js';
import { Peer } from '../../helpers/socket.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * `Messaging.typing` and the `typing` event against a real server: the SDK sends "typing" once
 * however often it is called, "stopped" only after it and on a send, and reports a peer typing
 * until it stops, its message arrives, or it lapses.
 */
describe('SDK: Messaging.typing and the typing event', () => {
  let server: TestServer;
  let app: TestApp;
  const clients: OoVooClient[] = [];
  const peers: Peer[] = [];
  /** Every frame the SDK clients sent, in order. */
  const sent: Array<Record<string, unknown>> = [];
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;

  before(async () => {
    installNodeWebSocket('http://localhost');
    const PageWebSocket = globalThis.WebSocket;
    globalThis.WebSocket = class extends PageWebSocket {
      override send(data: string): void {
        sent.push(JSON.parse(data) as Record<string, unknown>);
        super.send(data);
      }
    };
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost']);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(peers.map((p) => p.close()));
    await server?.stop();
  });

  async function connect(id: string): Promise<OoVooClient> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), id);
    const client = await connectNodeClient(server.url, id, token);
    clients.push(client);
    return client;
  }

  /** What a client hears, in order: typing events (from both APIs) and messages. */
  function listen(client: OoVooClient): string[] {
    const heard: string[] = [];
    client.Messaging.events.on('typing', (e) => heard.push(`${e.from} ${e.typing ? 'typing' : 'stopped'}`));
    client.Messaging.onTyping = (e) => heard.push(`handler: ${e.from} ${e.typing}`);
    client.Messaging.events.on('message', (m) => heard.push(`message from ${m.from}: ${m.body}`));
    return heard;
  }

  const typingSent = (from: number) => sent.slice(from).filter((f) => f.t === 'msg.typing');

  it('sends "typing" once however often it is called, "stopped" once after it; the peer hears each once', async () => {
    const aliceId = uid('alice');
    const bobId = uid('bob');
    const alice = await connect(aliceId);
    const bob = await connect(bobId);
    const heard = listen(bob);
    const mark = sent.length;
    for (let i = 0; i < 20; i++) await alice.Messaging.typing(bobId);
    await waitFor(
      () => heard.length,
      (k) => k >= 2,
      { what: 'bob to hear alice typing' },
    );
    await alice.Messaging.typing([bobId], false);
    await alice.Messaging.typing([bobId], false);
    await waitFor(
      () => heard.length,
      (k) => k >= 4,
      { what: 'bob to hear alice stop' },
    );
    assert.deepEqual(typingSent(mark), [
      { t: 'msg.typing', to: [bobId], typing: true },
      { t: 'msg.typing', to: [bobId], typing: false },
    ]);
    assert.deepEqual(heard, [
      `${aliceId} typing`,
      `handler: ${aliceId} true`,
      `${aliceId} stopped`,
      `handler: ${aliceId} false`,
    ]);
  });

  it('a send stops the typing it follows; the recipient hears the stop before the message', async () => {
    const aliceId = uid('alice');
    const bobId = uid('bob');
    const alice = await connect(aliceId);
    const bob = await connect(bobId);
    const heard = listen(bob);
    const mark = sent.length;
    await alice.Messaging.typing([bobId]);
    await alice.Messaging.send({ to: [bobId], body: 'hi' });
    await waitFor(() => heard.some((h) => h.startsWith('message')), { what: 'the message' });
    assert.deepEqual(
      sent.slice(mark).map((f) => `${f.t} ${f.typing ?? ''}`.trim()),
      ['msg.typing true', 'msg.typing false', 'msg.send'],
    );
    assert.deepEqual(
      heard.filter((h) => !h.startsWith('handler')),
      [`${aliceId} typing`, `${aliceId} stopped`, `message from ${aliceId}: hi`],
    );
  });

  it("ends a peer's typing when its message arrives without a stop", async () => {
    const bobId = uid('bob');
    const bob = await connect(bobId);
    const heard = listen(bob);
    const carol = await Peer.connect(server.url, app.token('web', 'production'), uid('carol'));
    peers.push(carol);
    carol.send({ t: 'msg.typing', to: [bobId], typing: true });
    await waitFor(
      () => heard.length,
      (k) => k >= 1,
      { what: 'carol typing' },
    );
    await carol.request({ t: 'msg.send', to: [bobId], body: 'done' });
    await waitFor(() => heard.some((h) => h.startsWith('message')), { what: "carol's message" });
    assert.deepEqual(
      heard.filter((h) => !h.startsWith('handler')),
      [`${carol.uid} typing`, `${carol.uid} stopped`, `message from ${carol.uid}: done`],
    );
  });

  it('lets a peer lapse about 5 s after its last "typing", when no stop comes', async () => {
    const bobId = uid('bob');
    const bob = await connect(bobId);
    const heard = listen(bob);
    const dave = await Peer.connect(server.url, app.token('web', 'production'), uid('dave'));
    peers.push(dave);
    dave.send({ t: 'msg.typing', to: [bobId], typing: true });
    await waitFor(
      () => heard.length,
      (k) => k >= 1,
      { what: 'dave typing' },
    );
    const started = Date.now();
    await waitFor(() => heard.includes(`${dave.uid} stopped`), { what: 'dave to lapse', timeoutMs: 15_000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= TypingTimes.expiryMs - 200, `lapsed after ${elapsed} ms`);
  });

  it('refuses a bad `to` with -40000 and sends nothing', async () => {
    const alice = await connect(uid('alice'));
    const mark = sent.length;
    for (const to of [[], Array.from({ length: 101 }, (_, i) => `u${i}`), [''], [{}]]) {
      await assert.rejects(
        alice.Messaging.typing(to as string[]),
        (e: unknown) => e instanceof OoVooError && e.code === -40000,
        JSON.stringify(to).slice(0, 40),
      );
    }
    assert.deepEqual(typingSent(mark), []);
  });
});
