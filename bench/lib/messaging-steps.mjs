// Persisted messaging capacity by a step search (bench:messaging, and C3 of bench:load).
// Each step offers a fixed rate for `stepSeconds`, spread over enough senders that the per-user
// send limit is not what stops it; each sender writes to one receiver, so every sender → receiver
// stream is dense and reordering would show. A step passes with no error, every send acknowledged,
// every acknowledged message delivered once, in order, with the body sent to that receiver, and
// send → ack p99 within the limit. The search raises the rate until a step fails, then narrows.
// Senders keep their own phase (sender s sends s/S of an interval after sender 0), so the offered
// rate is even over time, as independent users' sends are; with one shared phase every sender sent
// in the same tick, and a step measured how long a burst of S sends took, whatever its rate.
import { performance } from 'node:perf_hooks';
import { cpuMeter, machineTicks } from './proc.mjs';
import { summary } from './stats.mjs';
import { login, openSocket } from './ws-client.mjs';

/**
 * Names what limited a step from its measurements (the rule is stated in the results):
 * the driver short of the offered rate or at a full core → client side; the server process at a
 * full core → CPU; the server's event loop p99 over 50 ms → event-loop delay; the machine's two
 * cores busy → CPU (machine); otherwise the server waited with CPU to spare → fsync.
 */
export function limiterOf(step) {
  if (step.sent < step.offeredTotal * 0.95 || step.clientCpu >= 0.9) return 'client side';
  if (step.serverCpu >= 0.9) return 'CPU (server process at one core)';
  if (step.machineBusyPct >= 95) return 'CPU (machine)';
  if ((step.serverEventLoopMs?.p99 ?? 0) > 50) return 'event-loop delay';
  return 'fsync (server below one core, waiting on durable writes)';
}

export const LIMITER_RULE =
  'client side if the driver sent < 95% of the offered count or used ≥ 0.9 core; else CPU if the server process used ≥ 0.9 core; else CPU (machine) if both cores were ≥ 95% busy; else event-loop delay if its p99 > 50 ms; else fsync';

/** The step lengths and search shape every messaging bench uses, full or quick (a smoke check). */
export function stepSearchPace(quick) {
  return {
    stepSeconds: quick ? 2 : 10,
    drainMs: quick ? 5000 : 10_000,
    growth: quick ? 2 : 1.25,
    refineSteps: quick ? 0 : 2,
    warmUpSeconds: quick ? 1 : 3,
  };
}

/**
 * Runs the step search against a running bench server `{ url, token, pid, stats(), rss() }`, or
 * several nodes of one cluster: then `pids` names every node's process (the limiter rule takes the
 * busiest) and `socketUrl(role, index, receiver)` says which node each user's socket opens on.
 * Returns { config, steps, capacity } where capacity is the best passing step (or null).
 */
export async function messagingStepSearch(server, opts) {
  const {
    senders: S,
    receivers: R,
    bodyBytes = 200,
    stepSeconds = 10,
    drainMs = 10_000,
    ackP99LimitMs = 100,
    startRate = 1000,
    growth = 1.25,
    maxRate = 12_000,
    maxSteps = 16,
    refineSteps = 2,
    warmUpSeconds = 3,
    log = () => {},
  } = opts;

  // Per-step records; per-pair order survives steps (a sender's seq never restarts).
  let current = null;
  const lastSeq = new Map(); // `${receiver}|${sender}` -> last seq delivered
  const seqOf = new Array(S).fill(0);
  const senderUid = (s) => `bench-sender-${s}`;
  const receiverOf = (s) => s % R;

  const onDeliver = (r) => (frame, socket) => {
    if (frame.t !== 'msg.deliver') return;
    const now = performance.now();
    for (const entry of frame.entries) {
      if (entry.kind !== 'message') continue;
      const step = current;
      const cid = entry.body.slice(0, entry.body.indexOf(' '));
      const sent = step?.byCid.get(cid);
      if (!sent) {
        if (step) step.unknown++;
        continue;
      }
      sent.deliveries++;
      if (sent.deliveries > 1) {
        step.duplicated++;
        continue;
      }
      step.delivered++;
      step.deliveryMs.push(now - sent.t0);
      if (sent.receiver !== r || entry.body !== sent.body || entry.from !== senderUid(sent.sender)) step.wrongBody++;
      const key = `${r}|${sent.sender}`;
      if (sent.seq <= (lastSeq.get(key) ?? -1)) step.outOfOrder++;
      lastSeq.set(key, sent.seq);
    }
    socket.send(JSON.stringify({ t: 'msg.received', ids: frame.entries.map((e) => e.id) }));
  };

  const onSenderFrame = (frame) => {
    const step = current;
    if (!step || typeof frame.id !== 'string' || !frame.id.startsWith('m')) return;
    const sent = step.byCid.get(frame.id.slice(1));
    if (!sent || sent.answered) return;
    sent.answered = true;
    const now = performance.now();
    if (frame.t === 'ack') {
      step.acked++;
      sent.acked = true;
      step.ackMs.push(now - sent.t0);
      if (now <= step.windowEnd) step.ackedInWindow++;
    } else if (frame.t === 'error') {
      step.errors++;
      if (step.errorSamples.length < 5) step.errorSamples.push(frame.error);
    }
  };

  // Everyone signs in and connects first; that is not what is measured here.
  const users = [
    ...Array.from({ length: R }, (_, r) => ({ uid: `bench-receiver-${r}`, r })),
    ...Array.from({ length: S }, (_, s) => ({ uid: senderUid(s), s })),
  ];
  const tokens = [];
  for (let i = 0; i < users.length; i += 32) {
    // A kept-alive socket the server closed as it was reused: one more try on a fresh one.
    const signIn = (uid) =>
      login(server.url, server.token, uid).catch((e) =>
        e.code === 'ECONNRESET' ? login(server.url, server.token, uid) : Promise.reject(e),
      );
    tokens.push(...(await Promise.all(users.slice(i, i + 32).map((u) => signIn(u.uid)))));
  }
  const receiverSockets = [];
  const senderSockets = [];
  const socketUrl = server.socketUrl ?? (() => server.url);
  for (const [i, u] of users.entries()) {
    if (u.r !== undefined)
      receiverSockets.push(
        await openSocket(socketUrl('receiver', u.r, u.r), u.uid, tokens[i], {
          messaging: true,
          onFrame: onDeliver(u.r),
        }),
      );
    else
      senderSockets.push(
        await openSocket(socketUrl('sender', u.s, receiverOf(u.s)), u.uid, tokens[i], {
          messaging: true,
          onFrame: onSenderFrame,
        }),
      );
  }

  // Bodies differ from message to message (a window into a random pool), so a swapped body shows.
  let pool = '';
  while (pool.length < bodyBytes + 256) pool += Math.random().toString(36).slice(2);
  const pad = (n, seq) => pool.slice(seq % 251, (seq % 251) + n);

  async function runStep(rate, seconds = stepSeconds) {
    const perSender = rate / S;
    const step = {
      offered: rate,
      byCid: new Map(),
      sent: 0,
      acked: 0,
      ackedInWindow: 0,
      errors: 0,
      errorSamples: [],
      delivered: 0,
      duplicated: 0,
      outOfOrder: 0,
      wrongBody: 0,
      unknown: 0,
      ackMs: [],
      deliveryMs: [],
      windowEnd: 0,
    };
    current = step;
    await server.stats(); // resets the server's event-loop histogram
    const serverPids = server.pids ?? [server.pid];
    const cpu = cpuMeter([...serverPids, process.pid]);
    const m0 = machineTicks();
    cpu.start();
    const startedAt = performance.now();
    step.windowEnd = startedAt + seconds * 1000;
    const sentBy = new Array(S).fill(0);
    await new Promise((resolve) => {
      const tick = setInterval(() => {
        const now = performance.now();
        const elapsed = Math.min(now, step.windowEnd) - startedAt;
        for (let s = 0; s < S; s++) {
          const due = Math.floor((elapsed / 1000) * perSender + s / S); // s / S: this sender's phase
          while (sentBy[s] < due) {
            sentBy[s]++;
            const seq = seqOf[s]++;
            const cid = `${s}.${seq}`;
            const body = `${cid} ${pad(Math.max(1, bodyBytes - cid.length - 1), seq)}`;
            step.byCid.set(cid, {
              t0: performance.now(),
              sender: s,
              seq,
              receiver: receiverOf(s),
              body,
              deliveries: 0,
              answered: false,
              acked: false,
            });
            step.sent++;
            senderSockets[s].send(
              JSON.stringify({ t: 'msg.send', id: `m${cid}`, cid, to: [`bench-receiver-${receiverOf(s)}`], body }),
            );
          }
        }
        if (now >= step.windowEnd) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const used = cpu.stop();
    const clientCpu = used.pop();
    // The busiest node: the limiter rule asks whether one server process was at a full core.
    const serverCpu = Math.max(...used);
    const m1 = machineTicks();
    const loop = await server.stats();
    const rss = server.rss();
    // Drain: every send answered and every acknowledged message delivered, or the deadline.
    const deadline = performance.now() + drainMs;
    while (performance.now() < deadline && (step.acked + step.errors < step.sent || step.delivered < step.acked)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    let lost = 0;
    for (const sent of step.byCid.values()) if (sent.acked && sent.deliveries === 0) lost++;
    const result = {
      offeredMsgPerSec: rate,
      offeredTotal: Math.round(rate * seconds),
      senders: S,
      perSenderMsgPerSec: Math.round(perSender * 10) / 10,
      sent: step.sent,
      acknowledgedInWindow: step.ackedInWindow,
      acknowledgedMsgPerSec: Math.round(step.ackedInWindow / seconds),
      acknowledged: step.acked,
      unacknowledged: step.sent - step.acked - step.errors,
      errors: step.errors,
      ...(step.errorSamples.length ? { errorSamples: step.errorSamples } : {}),
      delivered: step.delivered,
      lost,
      duplicated: step.duplicated,
      outOfOrder: step.outOfOrder,
      wrongBodyOrReceiver: step.wrongBody + step.unknown,
      ackMs: summary(step.ackMs),
      deliveryMs: summary(step.deliveryMs),
      serverCpu,
      ...(used.length > 1 ? { serverCpuPerNode: used } : {}),
      clientCpu,
      machineBusyPct: Math.round((1 - (m1.idle - m0.idle) / Math.max(1, m1.total - m0.total)) * 1000) / 10,
      serverEventLoopMs: loop?.eventLoopMs ?? null,
      serverRssMB: Math.round(rss / 2 ** 20),
    };
    result.passed =
      result.errors === 0 &&
      result.unacknowledged === 0 &&
      lost === 0 &&
      result.duplicated === 0 &&
      result.outOfOrder === 0 &&
      result.wrongBodyOrReceiver === 0 &&
      result.sent >= result.offeredTotal * 0.95 &&
      result.ackMs.p99 !== null &&
      result.ackMs.p99 <= ackP99LimitMs;
    result.limitedBy = limiterOf({ ...result, offeredTotal: result.offeredTotal });
    current = null;
    log(
      `  ${String(rate).padStart(6)} msg/s offered: ${result.acknowledgedMsgPerSec} acked/s in window, ack p99 ${result.ackMs.p99} ms, errors ${result.errors}, unacked ${result.unacknowledged}, lost ${lost}, server ${serverCpu} core, loop p99 ${result.serverEventLoopMs?.p99} ms → ${result.passed ? 'pass' : `fail (${result.limitedBy})`}`,
    );
    return result;
  }

  const steps = [];
  let best = null;
  let firstFail = null;
  let rate = startRate;
  let warmUp = null;
  try {
    // Warm-up, not counted: JIT, the store's first pages, the sockets' first frames.
    if (warmUpSeconds > 0) {
      log('  warm-up (not counted):');
      warmUp = await runStep(Math.max(100, Math.round(startRate / 2)), warmUpSeconds);
    }
    while (steps.length < maxSteps && rate <= maxRate) {
      const step = await runStep(rate);
      steps.push(step);
      if (!step.passed) {
        firstFail = step;
        break;
      }
      best = step;
      rate = Math.round((rate * growth) / 100) * 100;
    }
    // Narrow between the last pass and the first fail.
    let lo = best?.offeredMsgPerSec ?? 0;
    let hi = firstFail?.offeredMsgPerSec;
    for (let i = 0; hi !== undefined && i < refineSteps && steps.length < maxSteps && hi - lo > 200; i++) {
      const mid = Math.round((lo + hi) / 2 / 100) * 100;
      const step = await runStep(mid);
      steps.push(step);
      if (step.passed) {
        lo = mid;
        if (!best || step.acknowledgedMsgPerSec > best.acknowledgedMsgPerSec) best = step;
      } else hi = mid;
    }
  } finally {
    for (const ws of [...senderSockets, ...receiverSockets]) ws.terminate();
  }
  return {
    config: {
      senders: S,
      receivers: R,
      pairs: `each sender writes only to receiver (sender mod ${R}): dense per-pair streams`,
      bodyBytes,
      stepSeconds,
      drainMs,
      ackP99LimitMs,
      startRate,
      growth,
      maxRate,
      maxSteps,
      refineSteps,
      warmUpSeconds,
    },
    warmUp,
    steps,
    capacity: best,
    firstFailure: firstFail,
    reachedMaxRate: firstFail === null,
  };
}
