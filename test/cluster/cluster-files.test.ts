import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { nodeTopic, topicKey } from '../../src/server/bus/index.js';
import { REDIS_PREFIX } from '../../src/server/cluster/redis-bus.js';
import { compositeKey } from '../../src/server/composite-key.js';
import { downloadFile, samplePdf, sha256, uploadFile } from '../helpers/files.js';
import { relaxedLimits, sessionTokenFor, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { startTwoNodes, type TwoNodes } from '../helpers/two-nodes.js';

/**
 * Files of a call's chat across two nodes (one PostgreSQL, one Redis): the node holding the call
 * knows its members, those on the other node included; a request that lands on the other node asks
 * it over the bus, so either node shares and serves the call's files to its members and only to them.
 */
describe("a call's files across two nodes", () => {
  let nodes: TwoNodes;
  let a: TestServer;
  let b: TestServer;
  let app: TestApp;
  let redis: Redis;
  const peers: Peer[] = [];

  before(async () => {
    nodes = await startTwoNodes(relaxedLimits);
    ({ a, b } = nodes);
    app = await a.createApp(['localhost']);
    redis = nodes.redis.client();
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
  const leaseKey = (conf: string) => `${REDIS_PREFIX}room:${compositeKey(app.appId, conf)}`;
  const refused = (answer: { status: number; body: any }, why: RegExp) => {
    assert.equal(answer.status, 403, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, -35001);
    assert.match(answer.body.error.description, why);
  };

  it('shares and serves them through either node, to members whose sockets are on either node', async () => {
    const conf = 'files-call';
    const join = (p: Peer) => ack(p, { t: 'conf.join', conf, uid: p.uid, instance: `inst-${p.uid}-000` });
    const alice = await open(a, 'alice');
    const bob = await open(b, 'bob');
    // Alice's join comes first: node a holds the call, bob's frames reach it through b.
    await join(alice);
    await join(bob);
    assert.equal(await redis.get(leaseKey(conf)), a.context.cluster.bus.node);
    const pdf = samplePdf();

    // Bob's socket is on b, which does not hold the call: b asks a.
    const fromBob = await uploadFile(b.url, await bearer('bob'), `conference=${conf}&name=b.pdf`, pdf);
    assert.equal(fromBob.status, 201, JSON.stringify(fromBob.body));
    for (const node of [a, b]) {
      const got = await downloadFile(node.url, await bearer('alice'), fromBob.body.id);
      assert.equal(got.status, 200, JSON.stringify(got.body));
      assert.equal(sha256(got.bytes!), sha256(pdf));
    }
    // Alice's socket is on a, her request lands on b: b asks a about her too.
    const fromAlice = await uploadFile(b.url, await bearer('alice'), `conference=${conf}&name=a.pdf`, pdf);
    assert.equal(fromAlice.status, 201, JSON.stringify(fromAlice.body));
    const onA = await downloadFile(a.url, await bearer('bob'), fromAlice.body.id);
    assert.equal(onA.status, 200, JSON.stringify(onA.body));
    assert.equal(sha256(onA.bytes!), sha256(pdf));

    // Dave is in no call: refused on both nodes, uploading and reading.
    for (const node of [a, b]) {
      refused(
        await uploadFile(node.url, await bearer('dave'), `conference=${conf}&name=d.pdf`, pdf),
        /Only a participant/,
      );
      refused(await downloadFile(node.url, await bearer('dave'), fromBob.body.id), /Only members/);
    }

    // Bob's chat message, said through b, is kept on a with its file.
    const data = JSON.stringify({ oovooChat: 1, id: 'c-1', body: 'mine', files: [fromBob.body] });
    await ack(bob, { t: 'conf.data', conf, to: '', data });
    const page = await ack(bob, { t: 'conf.history', conf });
    assert.deepEqual(page.items[0].files, [fromBob.body]);

    // The owner answers from the call as it is now: once bob left, b refuses him too.
    await ack(bob, { t: 'conf.leave', conf });
    refused(await downloadFile(b.url, await bearer('bob'), fromAlice.body.id), /Only members/);
  });

  it('asks again later (503, Retry-After) when the node holding the call does not answer; no holder: nobody is in it', async () => {
    const conf = 'silent-call';
    const upload = async () =>
      uploadFile(b.url, await bearer('carol'), `conference=${conf}&name=c.pdf`, samplePdf(100));
    const unavailable = (answer: { status: number; body: any; headers: Headers }) => {
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.equal(answer.headers.get('retry-after'), '2');
      assert.match(answer.body.error.description, /server node holding the call "silent-call" did not answer/);
    };
    // A holder that is gone from the bus (its lease not lapsed yet).
    await redis.set(leaseKey(conf), 'gone-node', 'PX', 60_000);
    unavailable(await upload());

    // A holder on the bus that never answers: the question's deadline.
    const silent = nodes.redis.client();
    await silent.subscribe(`${REDIS_PREFIX}bus:${topicKey(nodeTopic('silent-node'))}`);
    await redis.set(leaseKey(conf), 'silent-node', 'PX', 60_000);
    const started = Date.now();
    unavailable(await upload());
    assert.ok(Date.now() - started >= 2500, 'it waited for the answer');

    await redis.del(leaseKey(conf));
    refused(await upload(), /Only a participant/);
  });
});
