// C4: conference signaling churn: rooms of socket-only participants joining and leaving, join ack latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../lib/server-process.mjs';
import { summary } from '../lib/stats.mjs';
import { connectAll } from './connect-all.mjs';
import { limiterOf, startPhase } from './measure.mjs';
import { startWorkers } from './workers.mjs';

export const C4_GOAL = { rooms: 500, perRoom: 4, seconds: 60, joinAckP99Ms: 200 };
const HOLD_MS = [1000, 3000];
const GAP_MS = [200, 800];

export async function runC4({ quick, serverOptions, workers: W, log }) {
  const rooms = quick ? 50 : C4_GOAL.rooms;
  const durationMs = (quick ? 10 : C4_GOAL.seconds) * 1000;
  const N = rooms * C4_GOAL.perRoom;
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-c4-'));
  let server;
  let clients;
  try {
    server = await startServerProcess({ dataDir, options: serverOptions });
    clients = await startWorkers(W);
    log(`C4: connecting ${N} participants`);
    const uids = Array.from({ length: N }, (_, i) => `c4-user-${i}`);
    const { shares } = await connectAll(clients, server, uids);
    const roomOf = (uid) => `c4-room-${Number(uid.slice('c4-user-'.length)) % rooms}`;
    log(`C4: ${rooms} rooms × ${C4_GOAL.perRoom} joining and leaving for ${durationMs / 1000} s`);
    const phase = await startPhase(server, clients.pids);
    const results = await clients.all(
      'churn',
      (w) => ({ rooms: shares[w].map(roomOf), durationMs, holdMs: HOLD_MS, gapMs: GAP_MS }),
      durationMs + 120_000,
    );
    const used = await phase.stop();
    const join = summary(results.flatMap((r) => r.joinMs));
    const leave = summary(results.flatMap((r) => r.leaveMs));
    const errors = results.reduce((a, r) => a + r.errors, 0);
    const timeouts = results.reduce((a, r) => a + r.timeouts, 0);
    const cycles = results.reduce((a, r) => a + r.cycles, 0);
    const row = {
      row: 'C4',
      what: 'conference signaling churn: socket-only participants joining and leaving',
      rooms,
      participants: N,
      seconds: durationMs / 1000,
      clientProcesses: W,
      cycle: `join, hold ${HOLD_MS[0]}–${HOLD_MS[1]} ms, leave, pause ${GAP_MS[0]}–${GAP_MS[1]} ms (uniform), repeated`,
      joins: join.n,
      joinsPerSec: Math.round(join.n / (durationMs / 1000)),
      cycles,
      joinAckMs: join,
      leaveAckMs: leave,
      errors,
      errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
      timeouts,
      used,
      goal: C4_GOAL,
    };
    row.verdict =
      join.p99 !== null && join.p99 <= C4_GOAL.joinAckP99Ms && errors === 0 && timeouts === 0 && rooms >= C4_GOAL.rooms
        ? 'met'
        : 'not met';
    row.summary = `${rooms} rooms × 4, ${row.joinsPerSec} joins/s: join ack p99 ${join.p99} ms, ${errors} errors, ${timeouts} timeouts`;
    row.goalText = '500 rooms × 4 for 60 s, join ack p99 ≤200 ms';
    row.limitedBy = limiterOf(used);
    return row;
  } finally {
    await clients?.all('close').catch(() => undefined);
    clients?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
