import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { downloadFile, samplePdf, sha256, uploadFile } from '../helpers/files.js';
import { relaxedLimits, sessionTokenFor, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { startTwoNodes, type TwoNodes } from '../helpers/two-nodes.js';

/**
 * Files of a call's chat across two nodes (one PostgreSQL, one Redis): the node holding the call
 * knows its members, those on the other node included, and shares and serves its files; the other
 * node cannot tell (the bus has no question for the owner) and says so.
 */
describe("a call's files across two nodes", () => {
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
  const bearer = (uid: string) => sessionTokenFor(a.url, app.token('web', 'production'), uid);

  it('shares and serves them on the node holding the call, to members on either node; the other node says why not', async () => {
    const conf = 'files-call';
    const join = (p: Peer) => ack(p, { t: 'conf.join', conf, uid: p.uid, instance: `inst-${p.uid}-000` });
    const alice = await open(a, 'alice');
    const bob = await open(b, 'bob');
    // Alice's join comes first: node a holds the call, bob's frames reach it through b.
    await join(alice);
    await join(bob);
    const pdf = samplePdf();
    const fromAlice = await uploadFile(a.url, await bearer('alice'), `conference=${conf}&name=a.pdf`, pdf);
    const fromBobOnA = await uploadFile(a.url, await bearer('bob'), `conference=${conf}&name=b.pdf`, pdf);
    const fromBobOnB = await uploadFile(b.url, await bearer('bob'), `conference=${conf}&name=b.pdf`, pdf);
    const outsider = await uploadFile(a.url, await bearer('dave'), `conference=${conf}&name=d.pdf`, pdf);
    assert.equal(fromAlice.status, 201, JSON.stringify(fromAlice.body));
    assert.equal(fromBobOnA.status, 201, 'the node holding the call knows bob, whose socket is on the other node');
    assert.equal(fromBobOnB.status, 403);
    assert.match(fromBobOnB.body.error.description, /not held by this server node/);
    assert.equal(outsider.status, 403);
    assert.match(outsider.body.error.description, /Only a participant/);

    const onA = await downloadFile(a.url, await bearer('bob'), fromAlice.body.id);
    const onB = await downloadFile(b.url, await bearer('bob'), fromAlice.body.id);
    assert.equal(onA.status, 200);
    assert.equal(sha256(onA.bytes!), sha256(pdf));
    assert.equal(onB.status, 403);
    assert.equal(onB.body.error.code, -35001);
    assert.match(onB.body.error.description, /only by the node holding the call/);

    // Bob's chat message, said through b, is kept on a with its file.
    const data = JSON.stringify({ oovooChat: 1, id: 'c-1', body: 'mine', files: [fromBobOnA.body] });
    await ack(bob, { t: 'conf.data', conf, to: '', data });
    const page = await ack(bob, { t: 'conf.history', conf });
    assert.deepEqual(page.items[0].files, [fromBobOnA.body]);
  });
});
