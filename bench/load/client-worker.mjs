// A client process of bench:load: holds a share of the bench's users and their sockets, and runs
// what the orchestrator asks over IPC (login, connect, hold with pings, reconnect after a server
// kill, conference churn, close). Every loop is bounded by a count or a deadline given in the task.
import { performance } from 'node:perf_hooks';
import { login, openSocket } from '../lib/ws-client.mjs';

/** @type {{ uid: string, token?: string, ws?: import('ws').WebSocket, localAddress: string }[]} */
let users = [];
let closing = false;
let drops = 0;
const pingRtts = [];

/** The SDK's reconnect policy (src/sdk/signaling/reconnect-policy.ts ExponentialBackoffPolicy defaults). */
function sdkBackoff(attempt, elapsedMs) {
  const initialMs = 250;
  const maxMs = 5000;
  if (elapsedMs >= 5 * 60_000) return null;
  if (attempt === 1) return Math.round(initialMs * Math.random());
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.random());
}

/** Runs `fn` over `items` with at most `concurrency` in flight; returns the results in order. */
async function pool(items, concurrency, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

function onFrame(user) {
  return (frame) => {
    if (frame.t === 'pong' && typeof frame.ts === 'number') pingRtts.push(performance.now() - frame.ts);
    else if (frame.id && user.pending?.has(frame.id)) {
      const done = user.pending.get(frame.id);
      user.pending.delete(frame.id);
      done(frame);
    }
  };
}

function watchClose(user, onDrop) {
  user.ws.once('close', () => {
    if (closing || user.leaving) return;
    drops++;
    onDrop?.(user);
  });
}

/** Sends a request frame and resolves with its ack or error frame (or a timeout marker). */
function request(user, frame, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    user.pending ??= new Map();
    const timer = setTimeout(() => {
      user.pending.delete(frame.id);
      resolve({ t: 'timeout' });
    }, timeoutMs);
    user.pending.set(frame.id, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    user.ws.send(JSON.stringify(frame));
  });
}

const tasks = {
  async setup({ uids, localAddresses }) {
    users = uids.map((uid, i) => ({ uid, localAddress: localAddresses[i % localAddresses.length] }));
    return { users: users.length };
  },

  async login({ url, appToken, concurrency }) {
    const t0 = performance.now();
    const ms = [];
    let failures = 0;
    let retries = 0;
    const failureSamples = [];
    await pool(users, concurrency, async (u) => {
      const s = performance.now();
      // A kept-alive socket the server closed as we reused it: one more try on a fresh one.
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          u.token = await login(url, appToken, u.uid, { localAddress: u.localAddress });
          ms.push(performance.now() - s);
          return;
        } catch (e) {
          if (attempt === 1 && e.code === 'ECONNRESET') {
            retries++;
            continue;
          }
          failures++;
          if (failureSamples.length < 3) failureSamples.push(String(e.message ?? e));
        }
      }
    });
    return { elapsedMs: performance.now() - t0, ms, failures, retries, failureSamples };
  },

  async connect({ url, concurrency, startAt }) {
    // Every worker starts at the same wall-clock moment.
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
    const t0 = performance.now();
    const ms = [];
    let failures = 0;
    const failureSamples = [];
    await pool(users, concurrency, async (u) => {
      if (!u.token) return;
      const s = performance.now();
      try {
        u.ws = await openSocket(url, u.uid, u.token, { localAddress: u.localAddress, onFrame: onFrame(u) });
        ms.push(performance.now() - s);
        watchClose(u);
      } catch (e) {
        failures++;
        if (failureSamples.length < 3) failureSamples.push(String(e.message ?? e));
      }
    });
    return {
      elapsedMs: performance.now() - t0,
      ms,
      failures,
      failureSamples,
      open: users.filter((u) => u.ws?.readyState === 1).length,
    };
  },

  /** Holds every socket for `durationMs`, each sending an application ping every `intervalMs` (staggered). */
  async hold({ durationMs, intervalMs }) {
    pingRtts.length = 0;
    const dropsBefore = drops;
    const open = users.filter((u) => u.ws?.readyState === 1);
    const timers = open.map((u, i) =>
      setTimeout(
        () => {
          const send = () => u.ws.readyState === 1 && u.ws.send(JSON.stringify({ t: 'ping', ts: performance.now() }));
          send();
          u.pingTimer = setInterval(send, intervalMs);
        },
        Math.floor((i / open.length) * intervalMs),
      ),
    );
    await new Promise((r) => setTimeout(r, durationMs));
    for (const t of timers) clearTimeout(t);
    for (const u of open) clearInterval(u.pingTimer);
    await new Promise((r) => setTimeout(r, Math.min(2000, intervalMs))); // last pongs
    return {
      pingMs: [...pingRtts],
      dropped: drops - dropsBefore,
      open: users.filter((u) => u.ws?.readyState === 1).length,
    };
  },

  /** From now on, a dropped socket reconnects as the SDK does; reports when each is back (ms after `killAt`). */
  async armReconnect({ url, deadlineMs }) {
    const backAt = new Map();
    const attemptsOf = new Map();
    let killAt = null;
    const reconnect = (u) => {
      const droppedAt = Date.now();
      let attempt = 0;
      const tryOnce = async () => {
        if (closing) return;
        attempt++;
        try {
          u.ws = await openSocket(url, u.uid, u.token, {
            localAddress: u.localAddress,
            onFrame: onFrame(u),
            timeoutMs: 5000,
          });
          backAt.set(u.uid, Date.now());
          attemptsOf.set(u.uid, attempt);
          watchClose(u, reconnect);
        } catch {
          const delay = sdkBackoff(attempt + 1, Date.now() - droppedAt);
          if (delay !== null && Date.now() - droppedAt < deadlineMs) setTimeout(tryOnce, delay);
        }
      };
      setTimeout(tryOnce, sdkBackoff(1, 0));
    };
    for (const u of users)
      if (u.ws) {
        u.ws.removeAllListeners('close');
        watchClose(u, reconnect);
      }
    tasks.reconnectReport = async ({ killedAt }) => {
      killAt = killedAt;
      return {
        backMs: users.map((u) => (backAt.has(u.uid) ? backAt.get(u.uid) - killAt : null)),
        attempts: [...attemptsOf.values()],
      };
    };
    return { armed: users.length };
  },

  /**
   * Conference churn: users[i] joins room `rooms[i]`, holds, leaves, pauses, again, until `durationMs`.
   * Reports each join's ack latency and every error.
   */
  async churn({ rooms, durationMs, holdMs, gapMs }) {
    const joinMs = [];
    const leaveMs = [];
    const errors = [];
    let timeouts = 0;
    let cycles = 0;
    const endAt = performance.now() + durationMs;
    const between = ([lo, hi]) => lo + Math.random() * (hi - lo);
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      users.map(async (u, i) => {
        let n = 0;
        // Start spread over the first gap, as people arrive.
        await sleep(Math.random() * gapMs[1]);
        while (performance.now() < endAt && u.ws?.readyState === 1) {
          const conf = rooms[i];
          const s = performance.now();
          const joined = await request(u, {
            t: 'conf.join',
            id: `j${n}`,
            conf,
            uid: u.uid,
            instance: `bench-${u.uid}`.padEnd(8, '0'),
          });
          if (joined.t === 'ack') joinMs.push(performance.now() - s);
          else if (joined.t === 'timeout') timeouts++;
          else errors.push(joined.error);
          await sleep(between(holdMs));
          const l = performance.now();
          const left = await request(u, { t: 'conf.leave', id: `l${n}`, conf });
          if (left.t === 'ack') leaveMs.push(performance.now() - l);
          else if (left.t === 'timeout') timeouts++;
          else if (joined.t === 'ack') errors.push(left.error);
          n++;
          cycles++;
          await sleep(between(gapMs));
        }
      }),
    );
    return {
      joinMs,
      leaveMs,
      errors: errors.length,
      errorSamples: errors.slice(0, 5),
      timeouts,
      cycles,
      dropped: drops,
    };
  },

  async close() {
    closing = true;
    for (const u of users) u.ws?.terminate();
    return { closed: users.length };
  },
};

process.on('message', async ({ id, task, args }) => {
  try {
    process.send({ id, ok: true, result: await tasks[task](args ?? {}) });
  } catch (e) {
    process.send({ id, ok: false, error: String(e?.stack ?? e) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
