import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OoVooClient } from '../../../src/sdk/client.js';
import { OoVooError } from '../../../src/sdk/errors.js';
import { connectNodeClient, installNodeWebSocket } from '../../helpers/node-sdk.js';
import {
  relaxedLimits,
  sessionTokenFor,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../../helpers/server.js';
import { waitFor } from '../../helpers/wait.js';

/** User ids are trimmed the same way everywhere in the SDK: connect, Messaging and Push. */
describe('SDK: user ids trimmed the same way everywhere', () => {
  let server: TestServer;
  let app: TestApp;
  const clients: OoVooClient[] = [];

  before(async () => {
    installNodeWebSocket('http://localhost');
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost', '127.0.0.1']);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  async function connect(uid: string | number, tokenUid: string): Promise<OoVooClient> {
    const client = await connectNodeClient(
      server.url,
      uid as string,
      await sessionTokenFor(server.url, app.token('web', 'production'), tokenUid),
    );
    clients.push(client);
    return client;
  }

  it('connect, Messaging.send and Push.send take padded and numeric ids as the trimmed string', async () => {
    const alice = await connect('  trim-alice ', 'trim-alice');
    const bob = await connect(77, '77');
    const got: string[] = [];
    bob.Messaging.onReciveMessage = (evt) => got.push(`${evt.from}: ${evt.body}`);

    const sent = await alice.Messaging.send({ to: [' 77 '], body: 'hello' });
    const pushed = await alice.Push.send({ to: [' 77', 'trim-alice '], body: 'ping' }).then(
      () => 'sent',
      (e: unknown) => (e instanceof OoVooError ? e.code : String(e)),
    );
    const blank = await alice.Push.send({ to: ['   '], body: 'ping' }).then(
      () => 'sent',
      (e: unknown) => (e instanceof OoVooError ? e.code : String(e)),
    );
    await waitFor(() => got.length === 1, { what: 'the message at bob', timeoutMs: 10_000, intervalMs: 0 });

    assert.equal(alice.userId, 'trim-alice');
    assert.deepEqual(sent.delivered, ['77']);
    // Taken as ids (not -40000); neither has a browser or device registered, so no push service took it.
    assert.equal(pushed, -50001);
    assert.equal(blank, -40000);
    assert.deepEqual(got, ['trim-alice: hello']);
  });
});
