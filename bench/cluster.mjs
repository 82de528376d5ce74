// `npm run bench:cluster`: persisted messaging through two server nodes on PostgreSQL with Redis
// between them, beside one node on SQLite and one node on PostgreSQL, in the same run and by the
// same step search as bench:messaging (bench/lib/messaging-steps.mjs). In the two-node run every
// sender's socket is on the other node than its receiver's, so each delivery crosses nodes. Then
// the time from SIGKILL of a node until every SDK client it held is connected again, through a TCP
// balancer over both nodes. Writes bench/results/cluster.json.
//
//   npm run bench:cluster              full (about 10 to 15 minutes)
//   npm run bench:cluster -- --quick   short steps: a smoke check of the bench itself
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describeMachine, resultHeader } from './lib/machine.mjs';
import { LIMITER_RULE, messagingStepSearch, stepSearchPace } from './lib/messaging-steps.mjs';
import { KEPT_DEFAULTS, benchServerOptions } from './lib/server-options.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { printTable, summary } from './lib/stats.mjs';
import { startPostgres } from '../test/helpers/postgres.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { startTcpBalancer } from '../test/helpers/tcp-balancer.ts';
import { installNodeWebSocket } from '../test/helpers/node-sdk.ts';
import { OoVooClient } from '../src/sdk/client.ts';
import { login } from './lib/ws-client.mjs';
import { ensureSystemCommands } from '../scripts/system-packages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.argv.includes('--quick');
/** Two nodes on PostgreSQL carry at least this many times what one node on SQLite does, losing nothing. */
const GOAL = { ratioOverOneSqliteNode: 1.5, lost: 0, ackP99Ms: 100 };
const PER_USER_SEND_LIMIT = 100;
const MAX_RATE = QUICK ? 2000 : 12_000;
const SENDERS = Math.ceil(MAX_RATE / (PER_USER_SEND_LIMIT / 2));
/** Even, so that with receiver r on node r mod 2 and its senders on the other node, every pair crosses. */
const RECEIVERS = 2 * Math.ceil(SENDERS / 8);
const KILL_CLIENTS = QUICK ? 40 : 200;
const log = (line) => console.log(line);

function searchOptions() {
  return {
    senders: SENDERS,
    receivers: RECEIVERS,
    ...stepSearchPace(QUICK),
    startRate: QUICK ? 250 : 1000,
    maxRate: MAX_RATE,
    ackP99LimitMs: GOAL.ackP99Ms,
    log,
  };
}

/** One step search; the server(s) are made by `start` and stopped after. */
async function searchOn(name, start) {
  log(`\n${name}: step search, ${SENDERS} senders → ${RECEIVERS} receivers`);
  const target = await start();
  try {
    const search = await messagingStepSearch(target, searchOptions());
    const best = search.capacity;
    const all = [search.warmUp, ...search.steps].filter(Boolean);
    // What a message costs the whole machine (nodes, PostgreSQL, Redis and the driver), at the step
    // that carried most: on one shared machine this, not a node's own core, bounds a cluster.
    const busiest = search.steps.reduce(
      (a, b) => (b.acknowledgedMsgPerSec > (a?.acknowledgedMsgPerSec ?? 0) ? b : a),
      null,
    );
    const coreMsPerMsg = busiest?.acknowledgedMsgPerSec
      ? Math.round(((busiest.machineBusyPct / 100) * cpus().length * 1000 * 1000) / busiest.acknowledgedMsgPerSec) /
        1000
      : null;
    return {
      setup: name,
      capacityMsgPerSec: best?.acknowledgedMsgPerSec ?? 0,
      machineCpu: busiest && {
        atMsgPerSec: busiest.acknowledgedMsgPerSec,
        busyPct: busiest.machineBusyPct,
        coreMsPerMessage: coreMsPerMsg,
      },
      ackMs: best?.ackMs ?? null,
      deliveryMs: best?.deliveryMs ?? null,
      lost: all.reduce((n, s) => n + s.lost, 0),
      duplicated: all.reduce((n, s) => n + s.duplicated, 0),
      outOfOrder: all.reduce((n, s) => n + s.outOfOrder, 0),
      limitedBy: search.firstFailure?.limitedBy ?? `not reached: every step up to ${MAX_RATE} msg/s passed`,
      steps: search.steps,
    };
  } finally {
    await target.stop();
  }
}

/** Two nodes of one cluster as one bench target: users' sockets alternate between them. */
async function twoNodes(postgres, redis, clusterOptions) {
  const storeUrl = await postgres.newDatabase();
  const options = { ...clusterOptions, storeUrl };
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'oovoo-bench-node-')));
  const a = await startServerProcess({ dataDir: dirs[0], options });
  const b = await startServerProcess({ dataDir: dirs[1], options, createApp: false });
  const nodes = [a, b];
  return {
    url: a.url,
    token: a.token,
    appId: a.appId,
    nodes,
    pids: nodes.map((n) => n.pid),
    // Receiver r on node r mod 2; its senders on the other one.
    socketUrl: (role, _index, receiver) => nodes[(receiver + (role === 'sender' ? 1 : 0)) % 2].url,
    async stats() {
      const all = await Promise.all(nodes.map((n) => n.stats()));
      const worst = all.filter(Boolean).sort((x, y) => y.eventLoopMs.p99 - x.eventLoopMs.p99)[0];
      return worst ?? null;
    },
    rss: () => nodes.reduce((sum, n) => sum + n.rss(), 0),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * SIGKILL of one node with `count` SDK clients spread over both through a TCP balancer (the SDK's
 * default reconnect policy): the time until every client the dead node held has its welcome again.
 */
async function killTime(postgres, redis, clusterOptions) {
  log(`\nkill: ${KILL_CLIENTS} SDK clients through a balancer over two nodes, SIGKILL of one`);
  const target = await twoNodes(postgres, redis, clusterOptions);
  const balancer = await startTcpBalancer(target.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
  installNodeWebSocket('http://localhost');
  const clients = [];
  try {
    for (let i = 0; i < KILL_CLIENTS; i++) {
      const uid = `kill-${i}`;
      const token = await login(target.url, target.token, uid);
      const client = new OoVooClient();
      client.configure({ server: balancer.url });
      await client.connect({ userId: uid, userToken: token, enableMessaging: true });
      clients.push({ client, node: balancer.history.at(-1), backAt: undefined });
    }
    const onKilled = clients.filter((c) => c.node === 0);
    let killedAt = 0;
    for (const c of onKilled) {
      c.client.signaling.events.on('welcome', () => {
        if (killedAt && c.backAt === undefined) c.backAt = performance.now() - killedAt;
      });
    }
    killedAt = performance.now();
    await target.nodes[0].kill();
    const deadline = performance.now() + 60_000;
    while (onKilled.some((c) => c.backAt === undefined) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const times = onKilled.map((c) => c.backAt).filter((t) => t !== undefined);
    return {
      clients: KILL_CLIENTS,
      onKilledNode: onKilled.length,
      back: times.length,
      backMs: summary(times),
      allBackMs: times.length === onKilled.length ? Math.round(Math.max(...times)) : null,
      reconnectPolicy: 'the SDK default: exponential backoff with full jitter, 250 ms first, at most 5 s',
    };
  } finally {
    for (const c of clients) c.client.disconnect();
    await balancer.close();
    await target.stop();
  }
}

/** The server, stopping which also removes its data folder. */
function withFolder(server, dir) {
  const stop = server.stop.bind(server);
  return Object.assign(server, {
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

async function main() {
  // As `npm test` does: a fresh machine gets PostgreSQL and Redis from Debian (or is told what to install).
  ensureSystemCommands(['postgres', 'redis-server'], log);
  const machine = await describeMachine();
  const [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
  const sessionSecret = randomBytes(32).toString('hex');
  const base = benchServerOptions();
  const runs = [];
  let kill;
  try {
    const sqliteDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-sqlite-'));
    runs.push(
      await searchOn('one node, SQLite', async () => {
        return withFolder(await startServerProcess({ dataDir: sqliteDir, options: base }), sqliteDir);
      }),
    );
    const pgDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-pg-'));
    runs.push(
      await searchOn('one node, PostgreSQL', async () => {
        const options = { ...base, storeUrl: await postgres.newDatabase(), sessionSecret };
        return withFolder(await startServerProcess({ dataDir: pgDir, options }), pgDir);
      }),
    );
    const clusterOptions = { ...base, redisUrl: redis.url, sessionSecret };
    runs.push(await searchOn('two nodes, PostgreSQL + Redis', () => twoNodes(postgres, redis, clusterOptions)));
    kill = await killTime(postgres, redis, clusterOptions);
  } finally {
    await Promise.all([redis.stop(), postgres.stop()]);
  }

  const [sqlite, , cluster] = runs;
  const ratio = sqlite.capacityMsgPerSec
    ? Math.round((cluster.capacityMsgPerSec / sqlite.capacityMsgPerSec) * 100) / 100
    : null;
  const header = resultHeader(machine, QUICK);
  const result = {
    ...header,
    conditions: {
      ...header.conditions,
      loopbackOnly: true,
      processes:
        'each node in its own process (the server bundled with esbuild, plain node); PostgreSQL 15 (fsync on) and Redis 7 on the same machine; the driver apart',
      serverOptions: base,
      serverDefaultsKept: KEPT_DEFAULTS,
      limiterRule: LIMITER_RULE,
      crossNode: 'in the two-node run every sender is on the other node than its receiver',
      postgres: 'durable: fsync and synchronous_commit on (the test suites turn them off)',
    },
    goal: GOAL,
    runs,
    ratioTwoNodesOverOneSqliteNode: ratio,
    kill,
  };
  result.verdict =
    ratio !== null && ratio >= GOAL.ratioOverOneSqliteNode && runs.every((r) => r.lost === 0 && r.duplicated === 0)
      ? 'met'
      : 'not met';
  console.log('');
  printTable([
    [
      'setup',
      'msg/s (ack p99 ≤ 100 ms)',
      'ack p50/p99 ms',
      'delivery p50/p99 ms',
      'lost',
      'dup',
      'machine core-ms/msg',
      'limited by',
    ],
    ...runs.map((r) => [
      r.setup,
      String(r.capacityMsgPerSec),
      `${r.ackMs?.p50 ?? '-'} / ${r.ackMs?.p99 ?? '-'}`,
      `${r.deliveryMs?.p50 ?? '-'} / ${r.deliveryMs?.p99 ?? '-'}`,
      String(r.lost),
      String(r.duplicated),
      String(r.machineCpu?.coreMsPerMessage ?? '-'),
      r.limitedBy,
    ]),
  ]);
  console.log(`\ntwo nodes / one SQLite node: ${ratio} (goal ≥ ${GOAL.ratioOverOneSqliteNode}) → ${result.verdict}`);
  console.log(`kill: ${kill?.back}/${kill?.onKilledNode} clients back, all within ${kill?.allBackMs} ms`);
  const out = join(here, 'results', 'cluster.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

await main();
process.exit(0);
