// C3: persisted messaging capacity, the step search of bench:messaging (bench/lib/messaging-steps.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITER_RULE, messagingStepSearch } from '../lib/messaging-steps.mjs';
import { startServerProcess } from '../lib/server-process.mjs';

export const C3_GOAL = { msgPerSec: 5000, ackP99Ms: 100, lost: 0 };
/** The server's default per-user send limit; each sender offers at most half of it. */
const PER_USER_SEND_LIMIT = 100;

export async function runC3({ quick, serverOptions, log }) {
  const maxRate = quick ? 1000 : 12_000;
  const senders = Math.ceil(maxRate / (PER_USER_SEND_LIMIT / 2));
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-c3-'));
  let server;
  try {
    server = await startServerProcess({ dataDir, options: serverOptions });
    log(`C3: step search, ${senders} senders`);
    const search = await messagingStepSearch(server, {
      senders,
      receivers: Math.ceil(senders / 4),
      stepSeconds: quick ? 2 : 10,
      drainMs: quick ? 5000 : 10_000,
      startRate: quick ? 250 : 1000,
      growth: quick ? 2 : 1.25,
      maxRate,
      refineSteps: quick ? 0 : 2,
      warmUpSeconds: quick ? 1 : 3,
      ackP99LimitMs: C3_GOAL.ackP99Ms,
      log,
    });
    const best = search.capacity;
    const corrupt = search.steps.some(
      (s) => s.lost > 0 || s.duplicated > 0 || s.outOfOrder > 0 || s.wrongBodyOrReceiver > 0,
    );
    const row = {
      row: 'C3',
      what: 'persisted messaging (ack after a durable write): the highest rate with ack p99 ≤ 100 ms',
      clientProcesses: 1,
      ...search.config,
      limiterRule: LIMITER_RULE,
      capacityMsgPerSec: best?.acknowledgedMsgPerSec ?? 0,
      capacityAckMs: best?.ackMs ?? null,
      warmUp: search.warmUp,
      steps: search.steps,
      goal: C3_GOAL,
    };
    row.verdict = best && best.acknowledgedMsgPerSec >= C3_GOAL.msgPerSec && !corrupt ? 'met' : 'not met';
    row.summary = `${row.capacityMsgPerSec} msg/s at ack p99 ${best?.ackMs.p99 ?? '-'} ms${corrupt ? ' (a step lost, duplicated, reordered or changed a message)' : ''}`;
    row.goalText = '≥5,000 msg/s at ack p99 ≤100 ms, 0 lost';
    row.limitedBy = search.firstFailure?.limitedBy ?? `not reached: every step up to ${maxRate} msg/s passed`;
    return row;
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
