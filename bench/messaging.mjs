// `npm run bench:messaging`: persisted messaging capacity on loopback, by a step search. The server
// runs in its own process (WebSocket, frame validation, group commit to SQLite in WAL with
// synchronous=FULL, ack to the sender only after the write, delivery, removal after the receiver's
// acknowledgement). Each step offers a rate for STEP seconds over enough senders that the per-user
// send limit (kept at its default) is not what stops it; the rate rises until ack p99 passes 100 ms
// or an error, an unacknowledged send, a loss, a duplicate, a reordering or a wrong body appears.
// Then the history row (bench/lib/history-row.mjs): pages of 50 from a conversation of 100,000
// messages through the server, beside the same query straight from the SQLite file; and the upload
// row (bench/lib/upload-row.mjs): a 10 MB file up and down through /1.0/files beside curl.
// Prints a table; writes bench/results/messaging.json.
//
//   npm run bench:messaging              full search (10 s steps, about 3 to 5 minutes), then the history row
//   npm run bench:messaging -- --quick   short steps, a smoke check of the bench itself
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, resultHeader } from './lib/machine.mjs';
import { LIMITER_RULE, messagingStepSearch, stepSearchPace } from './lib/messaging-steps.mjs';
import { KEPT_DEFAULTS, benchServerOptions } from './lib/server-options.mjs';
import { startServerProcess } from './lib/server-process.mjs';
import { printTable } from './lib/stats.mjs';
import { historyRow } from './lib/history-row.mjs';
import { uploadRow } from './lib/upload-row.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.argv.includes('--quick');
const GOAL = { msgPerSec: 5000, ackP99Ms: 100 };
/** The server's default per-user send limit (src/server/messaging/options.ts); each sender stays at half of it. */
const PER_USER_SEND_LIMIT = 100;
const MAX_RATE = QUICK ? 2000 : 12_000;
const SENDERS = Math.ceil(MAX_RATE / (PER_USER_SEND_LIMIT / 2));
const RECEIVERS = Math.ceil(SENDERS / 4);
const HISTORY_MESSAGES = QUICK ? 10_000 : 100_000;
/** The history row reads 2,000 pages as fast as the server answers: its per-user page limit is lifted. */
const HISTORY_OPTIONS = benchServerOptions({ messaging: { receiptRate: { burst: 2 ** 40, perSecond: 2 ** 40 } } });

/** The upload row on a server of its own: a 10 MB file up and down, beside curl doing the same. */
async function runUploadRow() {
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-upload-'));
  const server = await startServerProcess({ dataDir, options: benchServerOptions() });
  try {
    console.log('\nUpload: a 10 MB file through POST/GET /1.0/files, beside curl');
    const { result, table } = await uploadRow(server, { bytes: 10 * 1024 * 1024, runs: QUICK ? 2 : 5 });
    printTable(table);
    return result;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The history row on a server of its own (a fresh data folder). */
async function runHistoryRow() {
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-history-'));
  const server = await startServerProcess({ dataDir, options: HISTORY_OPTIONS });
  try {
    console.log(`\nHistory: pages of 50 from one conversation of ${HISTORY_MESSAGES} messages`);
    return { serverOptions: HISTORY_OPTIONS, ...(await historyRow(server, dataDir, { messages: HISTORY_MESSAGES })) };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function main() {
  const machine = await describeMachine();
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-msg-'));
  const options = benchServerOptions();
  let server;
  let search;
  try {
    server = await startServerProcess({ dataDir, options, cpuProfileDir: process.env.PROFILE });
    console.log(
      `Persisted messaging step search: ${SENDERS} senders → ${RECEIVERS} receivers${QUICK ? ' (quick)' : ''}`,
    );
    search = await messagingStepSearch(server, {
      senders: SENDERS,
      receivers: RECEIVERS,
      ...stepSearchPace(QUICK),
      startRate: QUICK ? 500 : 1000,
      maxRate: MAX_RATE,
      ackP99LimitMs: GOAL.ackP99Ms,
      log: (line) => console.log(line),
    });
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const history = await runHistoryRow();
  const upload = await runUploadRow();
  const best = search.capacity;
  const anyCorruption = search.steps.some(
    (s) => s.lost > 0 || s.duplicated > 0 || s.outOfOrder > 0 || s.wrongBodyOrReceiver > 0,
  );
  const met = best !== null && best.acknowledgedMsgPerSec >= GOAL.msgPerSec && !anyCorruption;
  const header = resultHeader(machine, QUICK);
  const result = {
    ...header,
    conditions: {
      ...header.conditions,
      processes:
        'server in its own process (src/server bundled by esbuild, plain node), one driver process holding every sender and receiver socket; loopback',
      durability: 'SQLite WAL, synchronous=FULL, ack after commit',
      serverOptions: options,
      serverDefaultsKept: KEPT_DEFAULTS,
      ...search.config,
      capacityRule: `highest step with 0 errors, 0 unacknowledged, 0 lost, 0 duplicated, 0 out of order, 0 wrong bodies and send→ack p99 ≤ ${GOAL.ackP99Ms} ms; throughput counts acks received within the step's send window`,
      limiterRule: LIMITER_RULE,
      verdictRule: `met when the capacity step acknowledged ≥ ${GOAL.msgPerSec} msg/s within its window and no step lost, duplicated, reordered or changed a message; a step with any error or unacknowledged send does not pass, so it is never the capacity`,
    },
    goal: GOAL,
    capacityMsgPerSec: best?.acknowledgedMsgPerSec ?? 0,
    capacityOfferedMsgPerSec: best?.offeredMsgPerSec ?? 0,
    capacityAckMs: best?.ackMs ?? null,
    limitedBy: search.firstFailure?.limitedBy ?? `not reached: every step up to ${MAX_RATE} msg/s passed`,
    verdict: met ? 'met' : 'not met',
    warmUp: search.warmUp,
    steps: search.steps,
    history,
    upload,
  };

  console.log('');
  printTable([
    [
      'offered msg/s',
      'acked/s (window)',
      'ack p50',
      'ack p99',
      'errors',
      'unacked',
      'lost',
      'dup',
      'order',
      'body',
      'server core',
      'loop p99',
      'result',
    ],
    ...search.steps.map((s) => [
      s.offeredMsgPerSec,
      s.acknowledgedMsgPerSec,
      s.ackMs.p50,
      s.ackMs.p99,
      s.errors,
      s.unacknowledged,
      s.lost,
      s.duplicated,
      s.outOfOrder,
      s.wrongBodyOrReceiver,
      s.serverCpu,
      s.serverEventLoopMs?.p99,
      s.passed ? 'pass' : s.limitedBy,
    ]),
  ]);
  console.log(
    `\ncapacity: ${result.capacityMsgPerSec} msg/s acknowledged with ack p99 ${best?.ackMs.p99 ?? '-'} ms; limited by ${result.limitedBy}`,
  );
  console.log(
    `goal ≥ ${GOAL.msgPerSec} msg/s at ack p99 ≤ ${GOAL.ackP99Ms} ms: ${result.verdict}${machine.quiet ? '' : ' (machine was busy: not final)'}`,
  );
  const h = history.throughServerMs;
  console.log(
    `history: a page of 50 from ${HISTORY_MESSAGES} messages, p50 ${h.p50} ms, p99 ${h.p99} ms through the server (${history.pages} pages); the query alone p50 ${history.straightFromSqliteMs.p50} ms`,
  );
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'messaging.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('wrote bench/results/messaging.json');
  if (anyCorruption || !upload.intact) process.exitCode = 1;
}

await main();
