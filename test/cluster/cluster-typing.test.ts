import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relaxedLimits, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { startTwoNodes, type TwoNodes } from '../helpers/two-nodes.js';

/**
 * Typing between two server nodes (PostgreSQL + Redis): a signal from a user on node A travels on
 * the recipient's user topic to whichever node holds the recipient's tabs, beside the inbox bells
 * on the same topic, and never to a user of the same name in another app.
 */
describe('typing across two nodes (PostgreSQL + Redis)', () => {
  let nodes: TwoNodes;
  let a: TestServer;
  let b: TestServer;
  let app: TestApp;
  let otherApp: TestApp;
  const peers: Peer[] = [];

  const connect = async (node: TestServer, uid: string, appOf = app) => {
    const peer = await Peer.connect(node.url, appOf.token('web', 'sandbox'), uid);
    peers.push(peer);
    return peer;
  };
  const typing = (peer: Peer) => peer.frames.filter((f) => f.t === 'msg.typing');

  before(async () => {
    nodes = await startTwoNodes({
      loginRate: { burst: 40, perSecond: 0.01 },
      failedLoginRate: relaxedLimits.failedLoginRate,
    });
    ({ a, b } = nodes);
    app = await a.createApp(['localhost']);
    otherApp = await b.createApp(['localhost'], { name: 'Other app' });
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await nodes?.stop();
  });

  it("reaches the recipient's tabs on both nodes, its stop too, and the inbox on the same topic goes on as before", async () => {
    const alice = await connect(a, 'alice');
    const bobOnA = await connect(a, 'bob');
    const bobOnB = await connect(b, 'bob');
    alice.send({ t: 'msg.typing', to: ['bob'], typing: true });
    for (const tab of [bobOnA, bobOnB])
      assert.deepEqual(await tab.next('msg.typing'), { t: 'msg.typing', from: 'alice', typing: true });
    alice.send({ t: 'msg.typing', to: ['bob'], typing: false });
    for (const tab of [bobOnA, bobOnB]) assert.equal((await tab.next('msg.typing')).typing, false);

    const ack = await alice.request({ t: 'msg.send', to: ['bob'], body: 'after typing' });
    assert.deepEqual(ack.result.delivered, ['bob']);
    for (const tab of [bobOnA, bobOnB]) {
      const page = await tab.next('msg.deliver');
      assert.deepEqual(
        page.entries.map((e: { body: string }) => e.body),
        ['after typing'],
      );
    }
    assert.equal(typing(bobOnB).length, 2);
  });

  it('never reaches a user of the same name in another app on the other node', async () => {
    const stranger = await connect(b, 'erin', otherApp);
    const erin = await connect(b, 'erin');
    const alice = await connect(a, 'alice-2');
    const frank = await connect(a, 'frank', otherApp);
    alice.send({ t: 'msg.typing', to: ['erin'], typing: true });
    // Published after alice's by the same node over the same connection: the stranger gets it after
    // anything of alice's that reached it.
    await alice.ping();
    frank.send({ t: 'msg.typing', to: ['erin'], typing: true });
    assert.equal((await erin.next('msg.typing')).from, 'alice-2');
    await stranger.next('msg.typing');
    assert.deepEqual(typing(stranger), [{ t: 'msg.typing', from: 'frank', typing: true }]);
    assert.equal(typing(erin).length, 1);
  });
});
