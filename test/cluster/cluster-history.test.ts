import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relaxedLimits, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { startTwoNodes, type TwoNodes } from '../helpers/two-nodes.js';
import { waitFor } from '../helpers/wait.js';

/**
 * History across two nodes (one PostgreSQL, one Redis): a call's chat kept on the node that holds the
 * room and read from the other one by a late joiner (and refused to someone not in the call); a
 * deletion for everyone made on one node reaching a member on the other.
 */
describe('history across two nodes', () => {
  let nodes: TwoNodes;
  let a: TestServer;
  let b: TestServer;
  let app: TestApp;
  const peers: Peer[] = [];

  before(async () => {
    nodes = await startTwoNodes(relaxedLimits);
    ({ a, b } = nodes);
    app = await a.createApp(['localhost']);
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await nodes?.stop();
  });

  async function open(node: TestServer, uid: string): Promise<Peer> {
    const peer = await Peer.connect(node.url, app.token('web', 'production'), uid);
    peers.push(peer);
    return peer;
  }
  const ack = async (peer: Peer, frame: Record<string, unknown>) => {
    const answer = await peer.request(frame);
    assert.equal(answer.t, 'ack', JSON.stringify(answer));
    return answer.result;
  };

  it("keeps a call's chat on the room's node; a late joiner on the other node reads it, an outsider is refused", async () => {
    const join = (p: Peer) => ack(p, { t: 'conf.join', conf: 'standup', uid: p.uid, instance: `inst-${p.uid}-000` });
    const alice = await open(a, 'alice');
    const bob = await open(b, 'bob');
    await join(alice);
    await join(bob);
    await ack(bob, {
      t: 'conf.data',
      conf: 'standup',
      to: '',
      data: JSON.stringify({ oovooChat: 1, id: 'c1', body: 'hi' }),
    });
    await alice.next('conf.data');

    const carol = await open(b, 'carol');
    await join(carol);
    const page = await ack(carol, { t: 'conf.history', conf: 'standup' });
    const outsider = await open(b, 'dave');
    const refused = await outsider.request({ t: 'conf.history', conf: 'standup' });

    assert.deepEqual(
      page.items.map((i: { from: string; body: string }) => [i.from, i.body]),
      [['bob', 'hi']],
    );
    assert.equal(refused.error.code, -35001);
  });

  it('a deletion made on one node reaches a member on the other, and both nodes read it deleted', async () => {
    const erin = await open(a, 'erin');
    const frank = await open(b, 'frank');
    const { msg_id } = await ack(erin, { t: 'msg.send', to: ['frank'], body: 'oops' });
    await waitFor(() => frank.messages().length === 1, { what: 'frank to get the message' });
    await ack(erin, { t: 'msg.delete', msg_id });
    await waitFor(() => frank.entries.some((e) => e.kind === 'deleted'), { what: 'frank to learn of the deletion' });
    const fromB = await ack(frank, { t: 'msg.history', with: 'erin' });
    const fromA = await ack(erin, { t: 'msg.history', with: 'frank' });

    assert.deepEqual(fromB, fromA);
    assert.deepEqual(
      fromB.items.map((i: { msg_id: string; deleted?: boolean }) => [i.msg_id, i.deleted]),
      [[msg_id, true]],
    );
  });
});
