import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OoVooClient } from '../../src/sdk/client.js';
import { waitFor } from '../helpers/wait.js';
import { connectNodeClient, installNodeWebSocket } from '../helpers/node-sdk.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

describe('messaging through a connection that is cut mid-send', () => {
  let server: TestServer;
  let app: TestApp;
  let proxy: TcpProxy;
  const clients: OoVooClient[] = [];

  before(async () => {
    installNodeWebSocket('http://localhost');
    server = await startTestServer({ ...relaxedLimits, messaging: { sendRate: { burst: 10_000, perSecond: 10_000 } } });
    app = await server.createApp(['localhost', '127.0.0.1']);
    proxy = await TcpProxy.start(server.port);
  });

  after(async () => {
    for (const client of clients) client.disconnect();
    await proxy?.close();
    await server?.stop();
  });

  it('the SDK resends unanswered sends after the reconnect: no duplicate, no loss, in order', async () => {
    const token = app.token('web', 'production');
    const sender = await connectNodeClient(
      proxy.url,
      'cut-sender',
      await sessionTokenFor(server.url, token, 'cut-sender'),
    );
    const receiver = await connectNodeClient(
      proxy.url,
      'cut-receiver',
      await sessionTokenFor(server.url, token, 'cut-receiver'),
    );
    clients.push(sender, receiver);
    const inbox: string[] = [];
    receiver.Messaging.onReceiveMessage = (evt) => inbox.push(evt.body);
    let reconnects = 0;
    sender.events.on('reconnected', () => reconnects++);

    const total = 300;
    const msgIds = new Map<string, string>();
    const failures: unknown[] = [];
    const cutsWithSendsInFlight: number[] = [];
    const sends: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const body = `m${n}`;
      sends.push(
        sender.Messaging.send({ to: ['cut-receiver'], body }).then(
          (r) => void msgIds.set(body, r.msg_id),
          (e: unknown) => void failures.push(e),
        ),
      );
      // Cut both sockets three times while sends are still unanswered.
      if (n === 75 || n === 150 || n === 225) {
        cutsWithSendsInFlight.push(sender.Messaging.unacknowledgedSends);
        proxy.cut();
      }
      if (n % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(sends);

    assert.deepEqual(failures, []);
    assert.ok(reconnects >= 1, 'the sender reconnected');
    assert.ok(
      cutsWithSendsInFlight.every((inFlight) => inFlight > 0),
      `sends in flight at each cut: ${cutsWithSendsInFlight.join(', ')}`,
    );
    assert.equal(new Set(msgIds.values()).size, total, 'one msg_id per send');
    assert.equal(await server.store.messages.countMessages(app.appId), total, 'each message stored once');

    await waitFor(() => inbox.length >= total, { what: 'all messages at the receiver', timeoutMs: 30_000 });
    // A last message arrives after any second delivery of an earlier one would have: the inbox is read in order.
    await sender.Messaging.send({ to: ['cut-receiver'], body: 'last' });
    await waitFor(() => inbox.includes('last'), { what: 'the last message at the receiver' });
    assert.deepEqual(inbox, [...Array.from({ length: total }, (_, n) => `m${n}`), 'last']);
  });
});
