import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startCluster, type Cluster, type ClusterApp } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';
import { Participant, waitForEvent, type RecordedEvent } from '../e2e/conference-fixture.js';

/**
 * Conferences in real Chromium across two server nodes (one PostgreSQL, one Redis, one balancer
 * URL): a room lives on one node and members on the other reach it through their own node; when
 * the owner dies, its members come back on the live node within the grace period and nobody sees
 * anyone leave.
 *
 * Every page and its socket go through the balancer (cluster.url), pinned to a node with
 * balancer.route(i) while the page opens, so a dead node's pages reconnect to the live one.
 */

/** The grace period of every node: long enough for three pages to rejoin on a busy 2-core machine. */
const GRACE_S = 30;
/** Small video, as the other multi-page tests use: three pages on two cores. */
const SMALL = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [10, 15] };

const count = (events: RecordedEvent[], kind: string, value?: unknown) =>
  events.filter((e) => e[0] === kind && (value === undefined || e[1] === value)).length;

/** Authenticated sockets open on a node, as its /healthz counts them. */
async function socketsOn(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  return ((await response.json()) as { connections: number }).connections;
}

/** Every page waits until it decodes video from (and receives audio of) every other page. */
function everyoneSeesEveryone(people: Participant[], timeoutMs?: number): Promise<unknown> {
  return Promise.all(
    people.flatMap((me) => people.filter((o) => o !== me).map((other) => me.waitForMediaFrom(other.uid, timeoutMs))),
  );
}

describe('a conference across two nodes in real browsers', () => {
  let cluster: Cluster;
  let app: ClusterApp;
  let browser: Browser;

  before(async () => {
    // Both at once; each is kept as soon as it is up, so after() stops it even if the other failed.
    await Promise.all([
      startCluster({ nodes: 2, args: ['--grace', String(GRACE_S)] }).then((c) => (cluster = c)),
      launchChromium().then((b) => (browser = b)),
    ]);
    app = await cluster.createApp({ name: 'Cluster conference app' });
  });

  after(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  /**
   * A person whose page, script and socket are on node `node` (through the balancer, no failover:
   * a page that cannot reach that node fails), joined to `conf`.
   */
  async function joinOn(node: number, uid: string, conf: string): Promise<Participant> {
    cluster.balancer.route(node, { failover: false });
    const from = cluster.balancer.history.length;
    const { page } = await newPerson(browser);
    // A page of the node (its /healthz: the nodes serve no blank page), then the SDK script the node
    // serves, as the conference tests' blank page has it. (A page made up by the test itself would be
    // refused the socket to the loopback address by Chromium's local network access checks.)
    await page.goto(`${cluster.url}/healthz`);
    await page.addScriptTag({ url: '/oovoo.min.js' });
    const { participant, result } = await Participant.join(page, cluster.url, {
      token: await app.session(uid),
      uid,
      conf,
      params: SMALL,
      server: cluster.url,
    });
    assert.deepEqual(result, { conf }, `${uid} joined`);
    const went = cluster.balancer.history.slice(from);
    assert.ok(went.length > 0 && went.every((i) => i === node), `${uid}'s connections went to node ${node}: ${went}`);
    return participant;
  }

  const socketCounts = () => Promise.all(cluster.nodes.map((n) => socketsOn(n.url)));

  it('Alice on node A and Bob on node B see and hear each other, and data goes both ways', async () => {
    const alice = await joinOn(0, 'alice', 'two-nodes');
    const bob = await joinOn(1, 'bob', 'two-nodes');
    try {
      assert.deepEqual(await socketCounts(), [1, 1], 'one socket on each node');

      await Promise.all([alice.waitForMediaFrom('bob', 60_000), bob.waitForMediaFrom('alice', 60_000)]);
      assert.deepEqual(
        (await alice.events()).filter((e) => e[0] === 'joined'),
        [
          ['joined', 'alice', 'data of alice'],
          ['joined', 'bob', 'data of bob'],
        ],
      );
      assert.deepEqual(
        (await bob.events()).filter((e) => e[0] === 'joined'),
        [
          ['joined', 'bob', 'data of bob'],
          ['joined', 'alice', 'data of alice'],
        ],
      );

      assert.deepEqual(await alice.call('sendData', 'alice', 'bob', 'from node A'), {});
      await waitForEvent(bob, (e) => e[0] === 'data' && e[1] === 'alice' && e[2] === 'from node A', 10_000, 'data');
      assert.deepEqual(await bob.call('sendData', 'bob', '', 'from node B'), {});
      await waitForEvent(alice, (e) => e[0] === 'data' && e[1] === 'bob' && e[2] === 'from node B', 10_000, 'data');
      for (const p of [alice, bob]) assert.equal(count(await p.events(), 'left'), 0, `${p.uid} saw no leave`);
    } finally {
      for (const p of [alice, bob]) await p.page.context().close();
    }
  });

  it("the room's owner killed: media comes back within the grace period, nobody sees a leave", async (t) => {
    const [a, b] = [cluster.nodes[0]!, cluster.nodes[1]!];
    const conf = 'owner-killed';
    // The first test's pages are gone: the counts below are this test's sockets.
    await waitFor(socketCounts, (c) => c[0] === 0 && c[1] === 0, { what: 'no sockets left from before' });
    // Alice joins first, on A: A owns the room. Bob and Carol are members through B.
    const alice = await joinOn(0, 'alice-k', conf);
    const bob = await joinOn(1, 'bob-k', conf);
    const carol = await joinOn(1, 'carol-k', conf);
    const people = [alice, bob, carol];
    try {
      assert.deepEqual(await socketCounts(), [1, 2], 'alice on A, bob and carol on B');
      const redis = cluster.redis.client();
      const leaseKey = `oovoo:room:${app.appId}\u0000${conf}`;
      const ownerBefore = await redis.get(leaseKey);
      assert.ok(ownerBefore, 'the room has an owner');
      await everyoneSeesEveryone(people, 90_000);

      // The links of now: media after the kill must come over links made after it.
      for (const p of people) {
        await p.page.evaluate(
          (others) => {
            const c = (window as any).__conf.c;
            (window as any).__linksBefore = others.map((uid) => c.peerConnection(uid));
          },
          people.filter((o) => o !== p).map((o) => o.uid),
        );
      }
      const eventsBefore = await Promise.all(people.map((p) => p.events().then((e) => e.length)));

      // Reconnects go to the live node.
      cluster.balancer.route(1);
      const killedAt = Date.now();
      await a.kill('SIGKILL');

      await Promise.all(
        people.map(async (me, i) => {
          const others = people.filter((o) => o !== me).map((o) => o.uid);
          await waitFor(
            () => me.events().then((e) => e.slice(eventsBefore[i])),
            (e) => e.some((x) => x[0] === 'state' && x[1] === 'RECONNECTED'),
            { what: `${me.uid} RECONNECTED after the kill`, timeoutMs: GRACE_S * 1000, intervalMs: 200 },
          );
          await waitFor(
            () =>
              me.page.evaluate((uids) => {
                const w = window as any;
                return uids.every((uid) => {
                  const pc = w.__conf.c.peerConnection(uid);
                  return pc !== undefined && !w.__linksBefore.includes(pc);
                });
              }, others),
            { what: `${me.uid}: new links to ${others}`, timeoutMs: GRACE_S * 1000, intervalMs: 200 },
          );
        }),
      );
      await everyoneSeesEveryone(people, GRACE_S * 1000);
      const backMs = Date.now() - killedAt;
      t.diagnostic(`media back on new links ${backMs} ms after the owner's SIGKILL (grace ${GRACE_S} s)`);
      assert.ok(backMs < GRACE_S * 1000, `media back within the grace period (${backMs} ms)`);

      assert.equal(a.running, false, 'node A stays down');
      await waitFor(
        () => socketsOn(b.url),
        (n) => n === 3,
        { what: 'the three pages on node B' },
      );
      const ownerAfter = await redis.get(leaseKey);
      assert.ok(ownerAfter && ownerAfter !== ownerBefore, `the room moved (${ownerBefore} → ${ownerAfter})`);

      // Signaling works in the rebuilt room: data from one page reaches the two others.
      assert.deepEqual(await alice.call('sendData', 'alice-k', '', 'after the kill'), {});
      await Promise.all(
        [bob, carol].map((p) =>
          waitForEvent(p, (e) => e[0] === 'data' && e[1] === 'alice-k' && e[2] === 'after the kill', 10_000, 'data'),
        ),
      );
      for (const [i, me] of people.entries()) {
        const events = await me.events();
        const states = events.slice(eventsBefore[i]).filter((e) => e[0] === 'state');
        t.diagnostic(`${me.uid} after the kill: ${states.map((e) => e[1]).join(', ')}`);
        assert.equal(count(events, 'left'), 0, `${me.uid} saw no participantLeft`);
        for (const other of people.filter((o) => o !== me))
          assert.equal(count(events, 'joined', other.uid), 1, `${me.uid} saw ${other.uid} join once`);
      }
    } finally {
      for (const p of people) await p.page.context().close();
    }
  });
});
