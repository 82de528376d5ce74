import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { InboxEntryWire } from '../../../src/protocol/index.js';
import { Messaging } from '../../../src/sdk/messaging/messaging.js';
import { RecentIds } from '../../../src/sdk/messaging/ids.js';
import { waitFor } from '../../helpers/wait.js';
import { fakeClient } from './fake-socket.js';

const entry = (id: string, body = `body of ${id}`): InboxEntryWire => ({
  kind: 'message',
  id,
  msg_id: `m-${id}`,
  from: 'bob',
  body,
  ts: 1,
});

describe('the duplicate filter (RecentIds)', () => {
  it('remembers the most recent ids up to its capacity, forgetting the oldest first', () => {
    const ids = new RecentIds(3);
    for (const id of ['a', 'b', 'c']) ids.add(id);
    ids.add('a');
    ids.add('d');

    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((id) => ids.has(id)),
      [false, true, true, true],
    );
  });
});

describe('Messaging over a fake socket', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function connected() {
    const made = fakeClient();
    closers.push(() => made.client.close());
    const messaging = new Messaging();
    messaging.attach(made.client);
    const socket = await made.connect();
    return { ...made, messaging, socket };
  }

  it('hands each inbox entry to the app once, however often it arrives, and acknowledges every arrival', async () => {
    const { messaging, socket } = await connected();
    const got: string[] = [];
    messaging.onReciveMessage = (evt) => got.push(evt.body);

    socket.receive({ t: 'msg.deliver', entries: [entry('e1'), entry('e2'), entry('e1')] });
    socket.receive({ t: 'msg.deliver', entries: [entry('e2'), entry('e3')] });
    await waitFor(() => socket.requests('msg.received').flatMap((f) => f.ids as string[]).length === 5, {
      what: 'every arrival acknowledged',
      intervalMs: 0,
    });

    assert.deepEqual(got, ['body of e1', 'body of e2', 'body of e3']);
    assert.deepEqual(
      socket
        .requests('msg.received')
        .flatMap((f) => f.ids as string[])
        .sort(),
      ['e1', 'e1', 'e2', 'e2', 'e3'],
    );
  });

  it('holds entries that come before any handler, in order, and acknowledges them only once handed over', async () => {
    const { messaging, socket } = await connected();
    socket.receive({ t: 'msg.deliver', entries: [entry('h1'), entry('h2')] });
    assert.deepEqual(socket.requests('msg.received'), []);

    const got: string[] = [];
    messaging.events.on('message', (evt) => got.push(evt.msg_id));
    messaging.onReciveMessage = () => undefined;
    await waitFor(() => socket.requests('msg.received').length > 0, {
      what: 'the held entries acknowledged',
      intervalMs: 0,
    });

    assert.deepEqual(got, ['m-h1', 'm-h2']);
  });

  it('hands held entries to a listener added with events.on alone, without waiting for another entry', async () => {
    const { messaging, socket } = await connected();
    socket.receive({ t: 'msg.deliver', entries: [entry('l1'), entry('l2')] });
    // The inbox's code loads with the first delivery; the entries wait in it for a handler.
    await waitFor(() => (messaging as unknown as { inbox?: unknown }).inbox !== undefined, {
      what: 'the inbox loaded',
      intervalMs: 0,
    });

    const got: string[] = [];
    messaging.events.on('message', (evt) => got.push(evt.msg_id));
    await waitFor(() => got.length === 2, { what: 'the held entries handed over', intervalMs: 0 });

    assert.deepEqual(got, ['m-l1', 'm-l2']);
    await waitFor(() => socket.requests('msg.received').length > 0, { what: 'their acknowledgement', intervalMs: 0 });
  });

  it('a send cut by a drop is answered after the reconnect, sent again with the same client id, once', async () => {
    const { messaging, socket, reconnect } = await connected();
    const sent = messaging.send({ to: [' bob ', 7], body: 'hi' });
    assert.equal(messaging.unacknowledgedSends, 1, 'counted while its code loads too');
    await waitFor(() => socket.requests('msg.send').length === 1, { what: 'the send', intervalMs: 0 });
    const first = socket.requests('msg.send')[0]!;
    assert.equal(messaging.unacknowledgedSends, 1);

    const next = await reconnect();
    await waitFor(() => next.requests('msg.send').length === 1, { what: 'the send again', intervalMs: 0 });
    const again = next.requests('msg.send')[0]!;
    next.receive({ t: 'ack', id: again.id, result: { msg_id: 'm1', delivered: ['bob'], offline: ['7'] } });

    assert.deepEqual(await sent, { msg_id: 'm1', delivered: ['bob'], offline: ['7'] });
    assert.deepEqual([again.cid, again.to], [first.cid, ['bob', '7']]);
    assert.equal(messaging.unacknowledgedSends, 0);
  });
});
