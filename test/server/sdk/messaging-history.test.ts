import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HistoryPage } from '../../../src/protocol/index.js';
import type { OoVooClient } from '../../../src/sdk/client.js';
import { OoVooError } from '../../../src/sdk/errors.js';
import type { DeletedMessage } from '../../../src/sdk/messaging/index.js';
import { connectNodeClient, installNodeWebSocket } from '../../helpers/node-sdk.js';
import {
  relaxedLimits,
  sessionTokenFor,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../../helpers/server.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * `Messaging.history` and `Messaging.deleteMessage` against a real server: callbacks and Promises,
 * paging by `next`, the `deleted` event, and bad input refused before anything is sent.
 */
describe('SDK: Messaging.history and deleteMessage', () => {
  let server: TestServer;
  let app: TestApp;
  const clients: OoVooClient[] = [];
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
    await server?.stop();
  });

  async function connect(id: string): Promise<OoVooClient> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), id);
    const client = await connectNodeClient(server.url, id, token);
    clients.push(client);
    return client;
  }

  it('pages a conversation newest first through next, by Promise and by callback', async () => {
    const aliceId = uid('alice');
    const bobId = uid('bob');
    const alice = await connect(aliceId);
    const bob = await connect(bobId);
    for (const body of ['one', 'two', 'three']) await alice.Messaging.send({ to: bobId, body });

    const first = await bob.Messaging.history({ with: aliceId, limit: 2 });
    const older = await new Promise<HistoryPage | { error: unknown }>((resolve) =>
      bob.Messaging.history({ with: aliceId, before: first.next, limit: 2 }, resolve),
    );

    assert.deepEqual(
      first.items.map((i) => [i.from, i.body]),
      [
        [aliceId, 'three'],
        [aliceId, 'two'],
      ],
    );
    assert.ok('items' in older, JSON.stringify(older));
    assert.deepEqual(
      older.items.map((i) => i.body),
      ['one'],
    );
    assert.equal(older.next, null);
  });

  it('deletes for everyone: the other member gets the deleted event and the history shows it deleted', async () => {
    const aliceId = uid('alice');
    const bobId = uid('bob');
    const alice = await connect(aliceId);
    const bob = await connect(bobId);
    const deleted: DeletedMessage[] = [];
    bob.Messaging.events.on('deleted', (e) => deleted.push(e));
    bob.Messaging.events.on('message', () => undefined);
    const { msg_id } = await alice.Messaging.send({ to: [bobId], body: 'oops' });

    const refused = await new Promise<unknown>((resolve) => bob.Messaging.deleteMessage(msg_id, resolve));
    assert.deepEqual(await alice.Messaging.deleteMessage(msg_id), { msg_id, deleted: true });
    await waitFor(() => deleted.length === 1, { what: 'bob to hear of the deletion' });
    const page = await bob.Messaging.history({ with: aliceId });

    assert.equal((refused as { error: { code: number } }).error.code, -35001);
    assert.equal(deleted[0]!.msg_id, msg_id);
    assert.equal(deleted[0]!.from, aliceId);
    assert.deepEqual(
      page.items.map((i) => [i.msg_id, i.body, i.deleted]),
      [[msg_id, '', true]],
    );
  });

  it('refuses bad input with -40000 and sends nothing', async () => {
    const alice = await connect(uid('alice'));
    await alice.Messaging.history({ with: 'warm-up' });
    const mark = sent.length;
    const bad: unknown[] = [
      undefined,
      {},
      { with: 'bob', group: ['carol'] },
      { with: ['bob'] },
      { group: [] },
      { group: Array.from({ length: 101 }, (_, i) => `u${i}`) },
      { conference: '' },
      { with: 'bob', limit: 0 },
      { with: 'bob', limit: 101 },
      { with: 'bob', before: 42 },
    ];
    for (const params of bad) {
      await assert.rejects(
        alice.Messaging.history(params as never),
        (e: unknown) => e instanceof OoVooError && e.code === -40000,
        JSON.stringify(params)?.slice(0, 60),
      );
    }
    for (const msgId of ['', 'x'.repeat(65), 7]) {
      await assert.rejects(
        alice.Messaging.deleteMessage(msgId as string),
        (e: unknown) => e instanceof OoVooError && e.code === -40000,
      );
    }
    assert.deepEqual(
      sent.slice(mark).filter((f) => f.t !== 'ping' && f.t !== 'pong' && f.t !== 'msg.received'),
      [],
    );
  });
});
