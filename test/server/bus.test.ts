import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  InProcessBus,
  nodeTopic,
  userTopic,
  type BusMessages,
  type InboxCommitted,
} from '../../src/server/bus/index.js';
import { startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';

const bell = (seq: number): InboxCommitted => ({
  t: 'inbox',
  entries: [{ kind: 'message', seq, id: `m${seq}`, msgId: `m${seq}`, from: 'a', body: 'x', createdAt: 0 }],
});
const seqOf = (m: BusMessages['user']) => (m.t === 'inbox' ? m.entries?.[0]?.seq : undefined);

describe('in-process bus', () => {
  it('hands each message to every subscriber of its topic, in order, and to no other topic', () => {
    const bus = new InProcessBus(() => assert.fail('no subscriber throws'));
    const seen: string[] = [];
    bus.subscribe(userTopic('app', 'c'), (m) => seen.push(`1:${seqOf(m)}`));
    bus.subscribe(userTopic('app', 'c'), (m) => seen.push(`2:${seqOf(m)}`));
    bus.subscribe(userTopic('app', 'other'), () => seen.push('other user'));
    bus.subscribe(userTopic('other-app', 'c'), () => seen.push('other app'));
    // A user and a node with the same name are different topics.
    bus.subscribe(nodeTopic('c'), () => seen.push('node'));
    bus.publish(userTopic('app', 'c'), bell(1));
    bus.publish(userTopic('app', 'c'), bell(2));
    assert.deepEqual(seen, ['1:1', '2:1', '1:2', '2:2']);
  });

  it('keeps ids apart that a plain join would confuse', () => {
    const bus = new InProcessBus(() => {});
    let reached = 0;
    bus.subscribe(userTopic('a:b', 'c'), () => reached++);
    bus.publish(userTopic('a', 'b:c'), bell(1));
    assert.equal(reached, 0);
  });

  it('logs a subscriber that throws and still reaches the others', () => {
    const errors: string[] = [];
    const bus = new InProcessBus((_e, message) => errors.push(message));
    let reached = 0;
    bus.subscribe(nodeTopic('n1'), () => {
      throw new Error('boom');
    });
    bus.subscribe(nodeTopic('n1'), () => reached++);
    bus.publish(nodeTopic('n1'), { t: 'peer.frame', peer: 'p', frame: { t: 'ping', ts: 1 } });
    assert.equal(reached, 1);
    assert.deepEqual(errors, ['bus subscriber of node failed']);
  });

  it('unsubscribes once, even when called twice, and drops empty topics', () => {
    const bus = new InProcessBus(() => {});
    const handler = () => calls++;
    let calls = 0;
    const first = bus.subscribe(userTopic('app', 'u'), handler);
    const second = bus.subscribe(userTopic('app', 'u'), handler);
    first();
    first();
    bus.publish(userTopic('app', 'u'), { t: 'inbox', entries: [] });
    assert.equal(calls, 1, 'the second subscription of the same function still holds');
    second();
    assert.equal(bus.topicCount, 0);
  });
});

describe('the server on its bus', () => {
  let server: TestServer;
  let app: TestApp;
  let bus: InProcessBus;
  const published: string[] = [];

  before(async () => {
    bus = new InProcessBus(() => {});
    // Records what the server publishes, then lets the bus deliver it as usual.
    const publish = bus.publish.bind(bus);
    bus.publish = (topic, message) => {
      published.push(`${topic.kind}:${message.t}`);
      publish(topic, message);
    };
    server = await startTestServer({ bus });
    app = await server.createApp(['localhost']);
  });
  after(() => server.stop());

  async function open(uid: string): Promise<Peer> {
    return Peer.connect(server.url, app.token('web', 'production'), uid);
  }

  async function ack(peer: Peer, frame: Record<string, unknown>): Promise<void> {
    const answer = await peer.request(frame);
    assert.equal(answer.t, 'ack', JSON.stringify(answer));
  }

  it('relays inbox entries through the bus (room frames go to the members the room holds), and leaves no subscription behind', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    await ack(alice, { t: 'conf.join', conf: 'room1', uid: 'alice', instance: 'instance-a' });
    await ack(bob, { t: 'conf.join', conf: 'room1', uid: 'bob', instance: 'instance-b' });
    assert.equal((await alice.next('conf.joined')).participant.uid, 'bob');
    await ack(bob, { t: 'conf.data', conf: 'room1', to: '', data: 'hello' });
    assert.equal((await alice.next('conf.data')).data, 'hello');
    await ack(alice, { t: 'msg.send', to: ['bob'], body: 'hi' });
    const delivered = await bob.next('msg.deliver');
    assert.equal(delivered.entries[0].body, 'hi');
    assert.ok(published.includes('user:inbox'), published.join());

    await ack(alice, { t: 'conf.leave', conf: 'room1' });
    await ack(bob, { t: 'conf.leave', conf: 'room1' });
    await Promise.all([alice.close(), bob.close()]);
    // The server runs its close hooks when it sees the close; health reports the count it keeps.
    await waitFor(
      async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { connections: number }).connections,
      (n) => n === 0,
      { what: 'the server saw both sockets close', timeoutMs: 10_000 },
    );
    assert.equal(bus.topicCount, 0);
  });
});
