import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCluster, type Cluster, type ClusterApp } from '../helpers/cluster.js';
import { clusterNodesInRedis } from '../helpers/cluster-membership.js';
import { connectSocket, Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The cluster fixture itself (test/helpers/cluster.ts): two `oovoo-server start` processes on one
 * PostgreSQL (and one Redis), one URL in front of them. What later cluster tests lean on: an app made
 * once is known to every node, the nodes really run as a cluster (each on the Redis under its name),
 * the balancer puts a socket on the node a test chooses, a SIGKILLed node's sockets close while the
 * other node answers, and a restarted node takes sockets again.
 */

/** Authenticated sockets open on a node, as its /healthz counts them. */
async function socketsOn(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  return ((await response.json()) as { connections: number }).connections;
}

describe('cluster fixture: two nodes, one PostgreSQL, one URL', () => {
  let cluster: Cluster;
  let app: ClusterApp;
  const peers: Peer[] = [];
  /** Signs in through the balancer's current route (the login too) and opens a socket there. */
  const connect = async (uid: string, token?: string) => {
    const peer = await Peer.connect(cluster.url, app.token('web', 'production'), uid, {
      token: token ?? (await app.login(uid)),
    });
    peers.push(peer);
    return peer;
  };

  before(async () => {
    cluster = await startCluster({ nodes: 2 });
    app = await cluster.createApp({ name: 'Fixture app' });
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await cluster?.stop();
  });

  it('runs every node in cluster mode: each holds its named connections to Redis and listens on its channel', async () => {
    // $OOVOO_REDIS_URL reached the CLI of both nodes: without it each would run alone and none of this would hold.
    const joined = await clusterNodesInRedis(cluster.redis);
    assert.equal(joined.length, 2, `two nodes on Redis, found ${JSON.stringify(joined)}`);
  });

  it('serves one app from both nodes: a login on one is a session on the other', async () => {
    const { balancer, nodes } = cluster;
    balancer.route(0);
    const aliceSession = await app.login('alice');
    const alice = await connect('alice', aliceSession);
    balancer.route(1);
    const bob = await connect('bob');
    // Signed by node A, accepted by node B: both sign with the shared secret.
    const aliceOnB = await connect('alice', aliceSession);
    // A session the fixture signs itself, as `oovoo-server session create` would.
    const carol = await connect('carol', await app.session('carol'));

    // Each login and each socket went where the route said.
    assert.deepEqual(balancer.history, [0, 0, 1, 1, 1, 1]);
    assert.deepEqual(await Promise.all(nodes.map((n) => socketsOn(n.url))), [1, 3]);
    await waitFor(
      () => balancer.connections(),
      (c) => c[0] === 1 && c[1] === 3,
      {
        what: 'the balancer to count one connection to A and three to B (the logins closed)',
      },
    );
    for (const peer of [alice, bob, aliceOnB, carol]) await peer.ping();
  });

  it('SIGKILL of node A closes its sockets while B answers; a restarted A takes sockets again', async () => {
    const { balancer, nodes } = cluster;
    const [a, b] = [nodes[0]!, nodes[1]!];
    const [alice, ...onB] = peers;
    const before = balancer.history.length;

    const joinedBefore = await clusterNodesInRedis(cluster.redis);
    await a.kill('SIGKILL');
    await waitFor(() => alice!.closed, { what: "alice's socket on A to close" });
    // The dead node's connections to Redis are gone with it: one node is left on the bus.
    const survivor = await waitFor(
      () => clusterNodesInRedis(cluster.redis),
      (ids) => ids.length === 1,
      { what: "node A's Redis connections to close" },
    );
    assert.ok(joinedBefore.includes(survivor[0]!), 'node B stays on the bus under its name');
    assert.equal(a.running, false);
    assert.equal(balancer.backends[0], undefined, 'a dead node is out of the balancer');
    assert.equal(balancer.connections()[0], 0);
    assert.equal(onB.filter((p) => p.closed).length, 0, 'the sockets on B stay open');
    for (const peer of onB) await peer.ping();
    // Pinned to A, new connections fail over to B; without failover, they are refused.
    balancer.route(0);
    const dave = await connect('dave');
    balancer.route(0, { failover: false });
    const eve = await app.session('eve');
    await assert.rejects(
      connectSocket(cluster.url, { query: { uid: 'eve' }, protocols: ['oovoo.v1', `oovoo.token.${eve}`] }),
    );

    await a.start();
    // The restarted node joins the cluster again, under a new name.
    const rejoined = await clusterNodesInRedis(cluster.redis);
    assert.equal(rejoined.length, 2);
    assert.ok(rejoined.includes(survivor[0]!));
    assert.equal(rejoined.filter((id) => joinedBefore.includes(id)).length, 1, 'A came back as a new node');
    balancer.route(0);
    const erin = await connect('erin');

    assert.deepEqual(balancer.history.slice(before), [1, 1, undefined, 0, 0]);
    assert.deepEqual(await Promise.all([socketsOn(a.url), socketsOn(b.url)]), [1, 4]);
    await erin.ping();
    await dave.ping();
  });
});
