// bench:sfu (a) and (b): Chromium pages joining rooms through our SDK and server, one server per
// topology (a mesh server, and one whose rooms go through Janus from the first join), same run.
import { performance } from 'node:perf_hooks';
import { sessionTokenFor } from '../../test/helpers/server.ts';
import { median, round, waitFor } from './stats.mjs';

/** Our SDK's default capture (AVChat.init: videoResolution HIGH, videoFrameRate [5, 15]), as bench:join. */
export const JOIN_INIT = { audio: true, video: true, videoResolution: 'HIGH', videoFrameRate: [5, 15] };
/** The SDK's smallest resolution (NORMAL, 352x288) at a low frame rate, for the capacity search. */
export const CAPACITY_INIT = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [10, 15] };
export const MIN_FPS = 10;

// In-page: the clock and first frames as bench:join measures them, and frames decoded per remote
// participant through the SDK's statsFor (one count per participant on the mesh and on the SFU).
export const ROOM_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/oovoo.min.js"></script><script>
window.__bench = { frames: new Map(), expected: 0, startAt: null, connectAt: null, done: null };
window.__remotes = new Set();
const watch = (uid, stream) => {
  const v = document.createElement('video');
  v.muted = true; v.autoplay = true; v.srcObject = stream; v.id = 'v_' + uid; document.body.append(v);
  const check = () => {
    if (v.videoWidth > 0) {
      if (!__bench.frames.has(uid)) __bench.frames.set(uid, performance.now());
      if (__bench.frames.size >= __bench.expected && __bench.done === null) __bench.done = performance.now();
    } else v.requestVideoFrameCallback(check);
  };
  v.requestVideoFrameCallback(check);
};
window.__join = async (o) => {
  __bench.expected = o.expected;
  __bench.startAt = performance.now();
  await ooVooClient.connect({ userId: o.uid, userToken: o.token });
  __bench.connectAt = performance.now();
  const c = ooVooClient.AVChat.init(o.init, () => {});
  c.onParticipantJoined = (e) => { if (e.uid !== o.uid) { __remotes.add(e.uid); watch(e.uid, e.stream); } };
  c.onParticipantLeft = (e) => { __remotes.delete(e.uid); document.getElementById('v_' + e.uid)?.remove(); };
  window.__c = c;
  await c.join(o.conf, o.uid, '');
};
window.__frames = async () => {
  const frames = {};
  for (const uid of __remotes) frames[uid] = (await __c.statsFor(uid))?.framesDecoded ?? 0;
  return { at: performance.now(), frames };
};</script></head><body></body></html>`;

/** A new person (context) on `setup.server` joined to `conf`; resolves once join resolved (unless `measure`). */
async function openMember(browser, setup, { uid, conf, init, expected = 0, measure = false }) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(`${setup.server.url}/room.html`);
  const token = await sessionTokenFor(setup.server.url, setup.app.token('web', 'production'), uid);
  const options = { uid, conf, init, expected, token };
  if (measure) await page.evaluate((o) => void window.__join(o), options);
  else await page.evaluate((o) => window.__join(o), options);
  return { uid, page, context };
}

/** One run of (a): `size` people join one after the other; the last one's page is measured. */
async function oneJoinRun(browser, setup, size, run) {
  const members = [];
  try {
    for (let k = 0; k < size; k++) {
      const last = k === size - 1;
      members.push(
        await openMember(browser, setup, {
          uid: `j${run}u${k}`,
          conf: `join-${run}`,
          init: JOIN_INIT,
          expected: last ? size - 1 : 0,
          measure: last,
        }),
      );
    }
    const t = await waitFor(
      () =>
        members.at(-1).page.evaluate(() => (window.__bench.done === null ? null : { ...window.__bench, frames: 0 })),
      (v) => v !== null,
      { timeoutMs: 60_000, what: `${setup.system} x${size}: every remote first frame` },
    );
    return { totalMs: t.done - t.startAt, connectMs: t.connectAt - t.startAt };
  } finally {
    for (const m of members) await m.context.close();
  }
}

/** (a): join → first remote frame for each size, mesh and SFU interleaved after one warm-up run of each. */
export async function joinTimes({ browser, setups, sizes, runs, log }) {
  const results = [];
  let run = 0;
  for (const size of sizes) {
    const samples = new Map(setups.map((s) => [s.system, []]));
    for (const setup of setups) await oneJoinRun(browser, setup, size, ++run);
    for (let i = 0; i < runs; i++)
      for (const setup of setups) samples.get(setup.system).push(await oneJoinRun(browser, setup, size, ++run));
    for (const [system, s] of samples) {
      const med = (k) => round(median(s.map((x) => x[k])));
      results.push({
        system,
        participants: size,
        runs,
        totalMs: med('totalMs'),
        connectMs: med('connectMs'),
        samples: { totalMs: s.map((x) => round(x.totalMs)), connectMs: s.map((x) => round(x.connectMs)) },
      });
      log(`  join ${system} x${size}: median action→frames ${med('totalMs')} ms`);
    }
  }
  return results;
}

/** Frames decoded per (page, remote) pair now, with each page's clock. */
const snapshot = (members) => Promise.all(members.map((m) => m.page.evaluate(() => window.__frames())));

/** Waits until every page decodes frames from every other page. */
function allDecoding(members, timeoutMs) {
  return waitFor(
    () => snapshot(members),
    (snaps) => snaps.every((s, i) => members.every((other, j) => i === j || (s.frames[other.uid] ?? 0) > 0)),
    { timeoutMs, everyMs: 250, what: `${members.length} pages decoding each other` },
  );
}

/** Decoded frames per second of every (page, remote) pair over `windowMs`. */
async function pairFps(members, windowMs) {
  const before = await snapshot(members);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await snapshot(members);
  const pairs = [];
  for (const [i, m] of members.entries()) {
    const seconds = (after[i].at - before[i].at) / 1000;
    for (const other of members) {
      if (other === m) continue;
      const frames = (after[i].frames[other.uid] ?? 0) - (before[i].frames[other.uid] ?? 0);
      pairs.push({ page: m.uid, from: other.uid, fps: frames / seconds });
    }
  }
  return pairs;
}

const lowest = (pairs) => pairs.reduce((a, b) => (b.fps < a.fps ? b : a));

/**
 * (b): adds pages one at a time to one room until some page decodes fewer than MIN_FPS frames a
 * second from some remote (or a page never decodes another within `decodeTimeoutMs`), up to
 * `maxPages`. Each step: every pair decoding, `settleMs` unmeasured, then fps over `windowMs`.
 */
export async function capacity({ browser, setup, maxPages, windowMs, settleMs, decodeTimeoutMs, log }) {
  const members = [];
  const rows = [];
  let stoppedBy = `the cap of ${maxPages} pages`;
  const conf = `capacity-${setup.system}`;
  try {
    for (let n = 1; n <= maxPages; n++) {
      const t0 = performance.now();
      members.push(await openMember(browser, setup, { uid: `c${n}`, conf, init: CAPACITY_INIT }));
      if (n === 1) continue;
      try {
        await allDecoding(members, decodeTimeoutMs);
      } catch {
        rows.push({ pages: n, minFps: 0, medianFps: null, worst: 'a page decoded nothing from another' });
        stoppedBy = `${n} pages: a page decoded nothing from another within ${decodeTimeoutMs} ms`;
        break;
      }
      const decodingAfterMs = round(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      // A window below MIN_FPS is measured once more: the step fails only if the second does too
      // (one stall, e.g. a keyframe request after a layer switch, does not end the search).
      let pairs = await pairFps(members, windowMs);
      let worst = lowest(pairs);
      const firstWindowMinFps = round(worst.fps);
      if (worst.fps < MIN_FPS) {
        pairs = await pairFps(members, windowMs);
        worst = lowest(pairs);
      }
      const row = {
        pages: n,
        minFps: round(worst.fps),
        medianFps: round(median(pairs.map((p) => p.fps))),
        worst: `${worst.page} from ${worst.from}`,
        firstWindowMinFps,
        pairsBelowMin: pairs.filter((p) => p.fps < MIN_FPS).map((p) => ({ ...p, fps: round(p.fps) })),
        allDecodingAfterJoinMs: decodingAfterMs,
      };
      rows.push(row);
      log(`  capacity ${setup.system} x${n}: min ${row.minFps} fps, median ${row.medianFps} fps`);
      if (worst.fps < MIN_FPS) {
        stoppedBy = `${n} pages: ${row.worst} at ${row.minFps} fps`;
        break;
      }
    }
  } finally {
    for (const m of members) await m.context.close();
  }
  const held = rows.filter((r) => r.minFps >= MIN_FPS).at(-1);
  const reachedCap = rows.at(-1)?.pages === maxPages && rows.at(-1).minFps >= MIN_FPS;
  return { system: setup.system, largestRoom: held?.pages ?? 1, reachedCap, stoppedBy, rows };
}
