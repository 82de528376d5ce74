import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { relaxedLimits, s2sLogin, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { startTwoNodes, type TwoNodes } from '../helpers/two-nodes.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Messaging between two server nodes in this process: one PostgreSQL store, one Redis between
 * them. A message from a user on node A reaches a user on node B, receipts come back, an offline
 * user gets everything on returning to either node, and the limits hold for both nodes together.
 */

const SEND_BURST = 6;

describe('messaging across two nodes (PostgreSQL + Redis)', () => {
  let nodes: TwoNodes;
  let a: TestServer;
  let b: TestServer;
  let app: TestApp;
  let otherApp: TestApp;
  const peers: Peer[] = [];

  const connect = async (node: TestServer, uid: string, appOf = app, opts = {}) => {
    const peer = await Peer.connect(node.url, appOf.token('web', 'sandbox'), uid, opts);
    peers.push(peer);
    return peer;
  };

  before(async () => {
    nodes = await startTwoNodes({
      loginRate: { burst: 40, perSecond: 0.01 },
      failedLoginRate: relaxedLimits.failedLoginRate,
      messaging: { sendRate: { burst: SEND_BURST, perSecond: 0.01 } },
    });
    ({ a, b } = nodes);
    app = await a.createApp(['localhost']);
    otherApp = await b.createApp(['localhost'], { name: 'Other app' });
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await nodes?.stop();
  });

  it('delivers a message from node A to node B; Delivered and Read come back to the sender', async () => {
    const alice = await connect(a, 'alice');
    const bob = await connect(b, 'bob');
    const ack = await alice.request({ t: 'msg.send', to: ['bob'], body: 'across' });
    assert.deepEqual(ack.result.delivered, ['bob'], 'bob has a messaging connection on node B');
    const entry = await waitFor(() => bob.messages().find((m) => m.body === 'across'), {
      what: 'the message on node B',
    });
    assert.equal(entry.from, 'alice');
    const receipt = (state: string) =>
      bob.request({ t: 'msg.receipt', to: ['alice'], msg_id: ack.result.msg_id, state });
    assert.equal((await receipt('Delivered')).t, 'ack');
    assert.equal((await receipt('Read')).t, 'ack');
    await waitFor(
      () => alice.receipts().length,
      (n) => n >= 2,
      { what: 'Delivered and Read back on node A' },
    );
    assert.deepEqual(
      alice.receipts().map((r) => [r.msg_id, r.from, r.state]),
      [
        [ack.result.msg_id, 'bob', 'Delivered'],
        [ack.result.msg_id, 'bob', 'Read'],
      ],
    );
  });

  it('keeps what an offline user was sent, and hands it over on whichever node they return to', async () => {
    const alice = await connect(a, 'alice-2');
    const bodies = ['one', 'two', 'three'];
    for (const body of bodies) {
      const ack = await alice.request({ t: 'msg.send', to: ['carol'], body });
      assert.deepEqual(ack.result.offline, ['carol'], 'nobody named carol is connected on any node');
    }
    const carol = await connect(b, 'carol');
    await waitFor(
      () => carol.messages().length,
      (n) => n >= 3,
      { what: "carol's three messages on node B" },
    );
    assert.deepEqual(
      carol.messages().map((m) => m.body),
      bodies,
    );
  });

  it('reaches every tab of a user, on both nodes, once each and in order', async () => {
    const alice = await connect(b, 'alice-3');
    const tabOnA = await connect(a, 'dave');
    const tabOnB = await connect(b, 'dave');
    const bodies = Array.from({ length: 5 }, (_, i) => `tab ${i}`);
    for (const body of bodies) await alice.request({ t: 'msg.send', to: ['dave'], body });
    for (const tab of [tabOnA, tabOnB]) {
      await waitFor(
        () => tab.messages().length,
        (n) => n >= bodies.length,
        { what: "dave's messages" },
      );
      assert.deepEqual(
        tab.messages().map((m) => m.body),
        bodies,
      );
    }
  });

  it("never hands one app's message to a user of the same name in another app on the other node", async () => {
    const stranger = await connect(b, 'erin', otherApp);
    const erin = await connect(b, 'erin');
    const alice = await connect(a, 'alice-4');
    await alice.request({ t: 'msg.send', to: ['erin'], body: 'for erin of this app' });
    await waitFor(
      () => erin.messages().length,
      (n) => n >= 1,
      { what: "erin's message" },
    );
    // A ping answered after the delivery: the stranger's socket had every chance to receive it.
    await stranger.ping();
    assert.equal(stranger.messages().length, 0);
  });

  it('holds the per-user send limit for both nodes together', async () => {
    const onA = await connect(a, 'frank');
    const onB = await connect(b, 'frank');
    const answers = [];
    for (let i = 0; i < SEND_BURST + 2; i++) {
      const tab = i % 2 === 0 ? onA : onB;
      answers.push(await tab.request({ t: 'msg.send', to: ['grace'], body: `n${i}` }));
    }
    const accepted = answers.filter((r) => r.t === 'ack').length;
    const refused = answers.filter((r) => r.t === 'error');
    assert.equal(accepted, SEND_BURST, 'the burst is shared by the tabs on both nodes');
    assert.equal(refused.length, 2);
    assert.ok(refused.every((r) => typeof r.error.retryAfterMs === 'number'));
  });

  it('holds the login limit per address for both nodes together', async () => {
    // 40 logins an address, shared: the tests above used some; the rest alternate between nodes.
    let status = 200;
    let logins = 0;
    while (status === 200 && logins < 100) {
      const node = logins % 2 === 0 ? a : b;
      const body = JSON.stringify({ payload: { user_id: `login-${logins}` } });
      status = (await s2sLogin(node.url, app.token('web', 'sandbox'), body, { origin: 'localhost' })).status;
      logins++;
    }
    assert.equal(status, 429);
    assert.ok(logins <= 41, `${logins} logins went through before the limit of 40`);
  });
});
