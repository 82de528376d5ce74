import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { OoVooClient } from '../../src/sdk/client.js';
import { ConnectionState } from '../../src/sdk/enums.js';
import { startCluster, type Cluster, type ClusterApp } from '../helpers/cluster.js';
import { clusterNodesInRedis } from '../helpers/cluster-membership.js';
import { connectNodeClient, installNodeWebSocket } from '../helpers/node-sdk.js';
import { Peer } from '../helpers/socket.js';
import { openStore } from '../../src/server/store/open-store.js';
import type { MessagingOp } from '../../src/server/store/messaging-types.js';
import { waitFor, withDeadline } from '../helpers/wait.js';

/**
 * The cluster's acceptance test (issue 12): 20 senders × 100 messages through the balancer while
 * node A dies by SIGKILL. Every client is the real SDK (Messaging's durable send, retried with the
 * same client id after a reconnect) run in Node, on one URL. Half of the senders and recipients sit
 * on each node and every sender writes to a recipient on the other node, so until the kill every
 * message crosses the Redis bus; after it, A's clients are on B. What must hold: each message whose
 * send the SDK acknowledged reaches its recipient exactly once (by msg_id and by body), in its
 * sender's order, and every client is connected again within 10 s of the kill.
 */

const SENDERS = 20;
const RECIPIENTS = 10;
const PER_SENDER = 100;
/** Sends each sender keeps unanswered at once: some are always on the wire when A dies. */
const WINDOW = 10;
/** A dies once this many sends were acknowledged (30 %). */
const KILL_AT = Math.round(SENDERS * PER_SENDER * 0.3);
const RECONNECT_BOUND_MS = 10_000;
/** Sent by each sender after everything else: once it arrived, an earlier message can no longer come (inboxes are read in order). */
const LAST = 'last';

interface Sender {
  readonly uid: string;
  readonly node: number;
  readonly client: OoVooClient;
  /** Its recipient's uid: on the other node. */
  readonly to: string;
  /** The msg_id the SDK's acknowledgement gave, by message number. */
  readonly acked: Map<number, string>;
  readonly failed: Array<{ n: number; error: unknown }>;
}

interface Recipient {
  readonly uid: string;
  readonly node: number;
  readonly client: OoVooClient;
  /** Every message handed to the app, in order. */
  readonly received: Array<{ from: string; body: string; msgId: string }>;
}

/** Authenticated sockets open on a node, as its /healthz counts them. */
async function socketsOn(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  return ((await response.json()) as { connections: number }).connections;
}

describe('cluster: SIGKILL of a node while 20 senders send 100 messages each through the balancer', () => {
  let cluster: Cluster;
  let app: ClusterApp;
  const clients: OoVooClient[] = [];
  const peers: Peer[] = [];

  before(
    async () => {
      installNodeWebSocket('http://localhost');
      cluster = await startCluster({ nodes: 2 });
      app = await cluster.createApp({ name: 'Node kill' });
    },
    { timeout: 150_000 },
  );

  after(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(peers.map((p) => p.close()));
    await cluster?.stop();
  });

  it(
    'delivers every acknowledged message exactly once, in each sender order; clients are back within 10 s',
    { timeout: 180_000 },
    async (t) => {
      const { balancer, nodes } = cluster;
      const [a, b] = [nodes[0]!, nodes[1]!];
      // Both nodes run as one cluster on Redis (else the "other node" below would be a second island).
      const joined = await clusterNodesInRedis(cluster.redis);
      assert.equal(joined.length, 2, 'both nodes joined the cluster on Redis');

      /** Signs `uid` in with a session signed by the nodes' shared secret; its socket goes where the balancer routes. */
      const connect = async (uid: string): Promise<OoVooClient> => {
        const client = await connectNodeClient(cluster.url, uid, await app.session(uid));
        clients.push(client);
        return client;
      };
      // Recipient j and sender i sit on node j % 2 and i % 2; sender i writes to recipient (i + 1) % 10,
      // on the other node, so each recipient hears from two senders (i and i + 10), both across the bus.
      const recipients: Recipient[] = [];
      const senders: Sender[] = [];
      for (const node of [0, 1]) {
        balancer.route(node, { failover: false });
        const mine = <T>(count: number, make: (i: number) => Promise<T>) =>
          Promise.all(
            Array.from({ length: count }, (_, i) => i)
              .filter((i) => i % 2 === node)
              .map(make),
          );
        recipients.push(
          ...(await mine(RECIPIENTS, async (j) => {
            const uid = `recipient-${j}`;
            const client = await connect(uid);
            const recipient: Recipient = { uid, node, client, received: [] };
            client.Messaging.onReceiveMessage = (evt) =>
              recipient.received.push({ from: evt.from, body: evt.body, msgId: evt.msg_id });
            return recipient;
          })),
        );
        senders.push(
          ...(await mine(SENDERS, async (i) => {
            const uid = `sender-${i}`;
            const to = `recipient-${(i + 1) % RECIPIENTS}`;
            return { uid, node, client: await connect(uid), to, acked: new Map(), failed: [] } satisfies Sender;
          })),
        );
      }
      // From here on the balancer deals new connections round and round, passing over a node that is down.
      balancer.route('round-robin');
      const perNode = (SENDERS + RECIPIENTS) / 2;
      assert.deepEqual(await Promise.all([socketsOn(a.url), socketsOn(b.url)]), [perNode, perNode]);
      const recipientOf = (sender: Sender) => recipients.find((r) => r.uid === sender.to)!;
      for (const sender of senders)
        assert.notEqual(recipientOf(sender).node, sender.node, `${sender.uid} writes across the bus`);
      const onA = [...senders, ...recipients].filter((c) => c.node === 0);

      // When each client on A is connected again after the kill.
      let killedAt = 0;
      const backAt = new Map<OoVooClient, number>();
      for (const { client } of onA)
        client.events.on('reconnected', () => {
          if (killedAt > 0 && !backAt.has(client)) backAt.set(client, Date.now());
        });
      let bDrops = 0;
      for (const { client } of [...senders, ...recipients].filter((c) => c.node === 1))
        client.events.on('connectionState', (state) => void (state === ConnectionState.Reconnecting && bDrops++));

      let acked = 0;
      let unansweredOnAAtKill = 0;
      let killed: Promise<void> | undefined;
      /** Kills A at once when the KILL_AT-th acknowledgement comes (no polling: the run does not wait). */
      const onAcknowledged = () => {
        if (++acked !== KILL_AT) return;
        unansweredOnAAtKill = senders
          .filter((s) => s.node === 0)
          .reduce((sum, s) => sum + s.client.Messaging.unacknowledgedSends, 0);
        killedAt = Date.now();
        killed = a.kill('SIGKILL');
      };
      const runSender = async (sender: Sender) => {
        const inFlight = new Set<Promise<void>>();
        for (let n = 0; n < PER_SENDER; n++) {
          const sent: Promise<void> = sender.client.Messaging.send({
            to: [sender.to],
            body: `${sender.uid}:${n}`,
          }).then(
            (result) => {
              sender.acked.set(n, result.msg_id);
              onAcknowledged();
            },
            (error: unknown) => void sender.failed.push({ n, error }),
          );
          const tracked = sent.finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
          if (inFlight.size >= WINDOW) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      };

      const startedAt = Date.now();
      const run = Promise.all(senders.map(runSender));
      await withDeadline(run, { what: 'every send to be answered', timeoutMs: 120_000 });
      const sendingMs = Date.now() - startedAt;
      assert.ok(killed, `A was killed mid-run (after ${KILL_AT} of ${SENDERS * PER_SENDER} acknowledgements)`);
      await killed;
      assert.ok(unansweredOnAAtKill > 0, 'senders on A had sends on the wire when A died');

      // Every client of A is back (on B, the only node left), and every client is connected now.
      await waitFor(
        () => onA.filter(({ client }) => !backAt.has(client)).map((c) => c.uid),
        (missing) => missing.length === 0,
        { what: 'every client of A to reconnect after the kill', timeoutMs: 60_000 },
      );
      const reconnectMs = Math.max(...[...backAt.values()].map((at) => at - killedAt));
      assert.ok(
        reconnectMs <= RECONNECT_BOUND_MS,
        `the last client of A was back ${reconnectMs} ms after the kill (bound ${RECONNECT_BOUND_MS} ms)`,
      );
      for (const { uid, client } of [...senders, ...recipients])
        assert.equal(client.connectionState, ConnectionState.Connected, `${uid} is connected`);
      assert.equal(balancer.connections()[0], 0, 'nothing is left on the dead node');
      await waitFor(
        () => socketsOn(b.url),
        (n) => n === SENDERS + RECIPIENTS,
        { what: 'every client on node B' },
      );
      const left = await waitFor(
        () => clusterNodesInRedis(cluster.redis),
        (ids) => ids.length === 1,
        { what: "A's connections to Redis to close" },
      );
      assert.ok(joined.includes(left[0]!), 'B is the node left on the bus');

      // A last message from each sender: once it is in, nothing sent before it is still on its way.
      await Promise.all(senders.map((s) => s.client.Messaging.send({ to: [s.to], body: `${s.uid}:${LAST}` })));
      await waitFor(
        () => senders.filter((s) => !recipientOf(s).received.some((m) => m.body === `${s.uid}:${LAST}`)).length,
        (missing) => missing === 0,
        { what: "every sender's last message at its recipient", timeoutMs: 60_000 },
      );

      // Nothing twice: not by msg_id, not by body (a message stored twice would have two msg_ids).
      for (const recipient of recipients) {
        const msgIds = recipient.received.map((m) => m.msgId);
        assert.equal(new Set(msgIds).size, msgIds.length, `${recipient.uid} got no msg_id twice`);
        const bodies = recipient.received.map((m) => m.body);
        assert.equal(new Set(bodies).size, bodies.length, `${recipient.uid} got no body twice`);
      }
      for (const sender of senders) {
        const got = recipientOf(sender).received.filter((m) => m.from === sender.uid);
        const sent = new Set(Array.from({ length: PER_SENDER }, (_, n) => `${sender.uid}:${n}`));
        assert.equal(got.at(-1)?.body, `${sender.uid}:${LAST}`, `${sender.uid}'s last message came last`);
        const earlier = got.slice(0, -1);
        assert.deepEqual(
          earlier.filter((m) => !sent.has(m.body)).map((m) => m.body),
          [],
          `${sender.to} got only what ${sender.uid} sent`,
        );
        // Every acknowledged message, in the order it was sent, under the msg_id its acknowledgement named.
        const acknowledged = [...sender.acked.keys()].sort((x, y) => x - y);
        const gotAcknowledged = earlier.filter((m) => sender.acked.has(Number(m.body.split(':')[1])));
        assert.deepEqual(
          gotAcknowledged.map((m) => m.body),
          acknowledged.map((n) => `${sender.uid}:${n}`),
          `${sender.to} got ${sender.uid}'s acknowledged messages once each, in order`,
        );
        for (const m of gotAcknowledged)
          assert.equal(m.msgId, sender.acked.get(Number(m.body.split(':')[1])), `${m.body}: its acknowledged msg_id`);
        assert.equal(new Set(sender.acked.values()).size, sender.acked.size, `one msg_id per message of ${sender.uid}`);
      }
      // And the SDK retried what A never answered until it was: every send was acknowledged in the end.
      const failures = senders.flatMap((s) => s.failed.map((f) => `${s.uid}:${f.n}: ${String(f.error)}`));
      assert.deepEqual(failures, [], 'no send failed');
      assert.equal(acked, SENDERS * PER_SENDER);
      for (const recipient of recipients) assert.equal(recipient.received.length, 2 * (PER_SENDER + 1));

      const backTimes = [...backAt.values()].map((at) => at - killedAt).sort((x, y) => x - y);
      t.diagnostic(
        `A killed at acknowledgement ${KILL_AT} of ${SENDERS * PER_SENDER}, its senders' unanswered sends then: ${unansweredOnAAtKill}`,
      );
      t.diagnostic(
        `clients of A back on B after the kill: median ${backTimes[backTimes.length >> 1]} ms, all ${reconnectMs} ms (bound ${RECONNECT_BOUND_MS} ms)`,
      );
      t.diagnostic(
        `all ${SENDERS * PER_SENDER} sends acknowledged in ${sendingMs} ms; drops seen by B's clients: ${bDrops}`,
      );
    },
  );

  it("rings the recipient's bell for a retried send or receipt that a node stored and died before ringing", async () => {
    const { balancer, nodes } = cluster;
    // Both sockets on B, the node left: the node that stored the send is gone, as when A died in the
    // run above between a commit and its bell (Redis pub/sub, lost with the node's connection).
    balancer.route(1, { failover: false });
    const connect = async (uid: string) => {
      const peer = await Peer.connect(cluster.url, app.token('web', 'production'), uid, {
        token: await app.session(uid),
      });
      peers.push(peer);
      return peer;
    };
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    balancer.route('round-robin');
    // Both connections are live (caught up, waiting for bells): a message reached each.
    await alice.request({ t: 'msg.send', cid: randomUUID(), to: ['bob'], body: 'hello bob' });
    await bob.request({ t: 'msg.send', cid: randomUUID(), to: ['alice'], body: 'hello alice' });
    await waitFor(() => bob.messages().length === 1 && alice.messages().length === 1, {
      what: 'a first message at each',
    });

    // What a node that died right after its commit leaves behind: the op stored, no bell, no answer.
    const storeAsDeadNode = async (op: MessagingOp) => {
      const store = await openStore(nodes[1]!.dataDir, cluster.storeUrl);
      try {
        const { results } = await store.messages.commit([op], { inboxQuota: 1000 });
        assert.equal(results[0]!.ok, true);
      } finally {
        await store.close();
      }
    };
    const cid = randomUUID();
    const msgId = randomUUID();
    const body = 'stored by a node that died';
    const createdAt = Date.now();
    await storeAsDeadNode({
      kind: 'send',
      appId: app.appId,
      sender: 'alice',
      clientId: cid,
      msgId,
      to: ['bob'],
      body,
      createdAt,
    });
    // The SDK's retry on the node left: answered as the stored message, and bob hears of it now.
    const retry = await alice.request({ t: 'msg.send', cid, to: ['bob'], body });
    assert.equal(retry.result?.msg_id, msgId, 'the retry is answered with the stored msg_id');
    const messages = await waitFor(
      () => bob.messages().filter((m) => m.msg_id === msgId),
      (list) => list.length > 0,
      { what: 'the stored message at bob, rung by the retry' },
    );
    assert.equal(messages.length, 1);

    // The same for bob's Delivered: stored by the dead node, retried on B, heard by alice.
    await storeAsDeadNode({
      kind: 'receipt',
      appId: app.appId,
      from: 'bob',
      to: ['alice'],
      msgId,
      state: 'Delivered',
      createdAt,
    });
    const ack = await bob.request({ t: 'msg.receipt', to: ['alice'], msg_id: msgId, state: 'Delivered' });
    assert.equal(ack.t, 'ack');
    const receipts = await waitFor(
      () => alice.receipts().filter((r) => r.msg_id === msgId),
      (list) => list.length > 0,
      { what: "bob's stored receipt at alice, rung by the retry" },
    );
    assert.deepEqual(
      receipts.map((r) => [r.from, r.state]),
      [['bob', 'Delivered']],
    );
  });
});
