// `npm run bench:join`: from the user's "join the call" to the first decoded remote video frame of
// every other participant, for 2 and 4 participants: our SDK (mesh through our server) against PeerJS
// with its own `peer` server, same machine, same run, same camera constraints.
// - Both clocks start at the same moment of the same user action, before any connection: ours
//   before `ooVooClient.connect`, PeerJS's before `new Peer`. The connect phase (ours: connect
//   resolved; PeerJS: the peer server's `open`) is reported apart for both.
// - Both capture with CAPTURE (our SDK's defaults, passed to AVChat.init and to getUserMedia); the
//   track settings each really got are recorded.
// - Runs are interleaved ours, PeerJS, ours, PeerJS… after one uncounted warm-up run of each.
// Medians of RUNS counted runs; a table on stdout, JSON in bench/results/join.json.
//
//   npm run bench:join               (builds dist/ first; RUNS=10 by default, about 5 minutes)
//   npm run bench:join -- --quick    (2 participants, 2 runs: a smoke check of the bench itself)
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PeerServer } from 'peer';
import { launchChromium } from '../test/helpers/browser.ts';
import { relaxedLimits, sessionTokenFor, startTestServer } from '../test/helpers/server.ts';
import { describeMachine, resultHeader } from './lib/machine.mjs';
import { median, printTable, round, waitFor } from './lib/stats.mjs';

const QUICK = process.argv.includes('--quick');
const RUNS = Number(process.env.RUNS ?? (QUICK ? 2 : 10));
const SIZES = QUICK ? [2] : [2, 4];
const RUN_TIMEOUT_MS = 60_000;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Our SDK's default capture (AVChat.init: videoResolution HIGH, videoFrameRate [5, 15]), asked of both. */
const CAPTURE = {
  audio: true,
  video: {
    width: { ideal: 640, max: 640 },
    height: { ideal: 480, max: 480 },
    frameRate: { ideal: 15, min: 5, max: 15 },
  },
};
const OUR_INIT = { audio: true, video: true, videoResolution: 'HIGH', videoFrameRate: [5, 15] };

// In-page: the clock, the connect phase, and when every remote video has decoded its first frame.
const FIRST_FRAMES = `
window.__bench = { frames: new Map(), expected: 0, startAt: null, connectAt: null, done: null, capture: null };
window.__captured = (stream) => {
  const t = stream.getVideoTracks()[0];
  if (t && !__bench.capture) { const s = t.getSettings(); __bench.capture = { width: s.width, height: s.height, frameRate: s.frameRate }; }
};
window.__watch = (key, stream) => {
  const v = document.createElement('video');
  v.muted = true; v.autoplay = true; v.srcObject = stream; document.body.append(v);
  const check = () => {
    if (v.videoWidth > 0) {
      if (!__bench.frames.has(key)) __bench.frames.set(key, performance.now());
      if (__bench.frames.size >= __bench.expected && __bench.done === null) __bench.done = performance.now();
    } else v.requestVideoFrameCallback(check);
  };
  v.requestVideoFrameCallback(check);
};`;

const pages = {
  'ours.html': `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/oovoo.min.js"></script><script>${FIRST_FRAMES}
window.__join = async (o) => {
  __bench.expected = o.expected;
  __bench.startAt = performance.now();
  await ooVooClient.connect({ userId: o.uid, userToken: o.token });
  __bench.connectAt = performance.now();
  const c = ooVooClient.AVChat.init(${JSON.stringify(OUR_INIT)}, () => {});
  c.onParticipantJoined = (e) => { if (e.uid !== o.uid) __watch(e.uid, e.stream); else if (e.stream) __captured(e.stream); };
  window.__c = c;
  await c.join(o.conf, o.uid, '');
};</script></head><body></body></html>`,
  'peer.html': `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/peerjs.min.js"></script><script>${FIRST_FRAMES}
window.__join = (o) => new Promise((resolve, reject) => {
  __bench.expected = o.expected;
  __bench.startAt = performance.now();
  // Capture and the peer server connection in parallel, as PeerJS apps do at best.
  const media = navigator.mediaDevices.getUserMedia(${JSON.stringify(CAPTURE)});
  media.then(__captured, reject);
  const peer = new Peer(o.uid, { host: '127.0.0.1', port: o.port, path: '/bench', config: { iceServers: [] } });
  window.__peer = peer;
  peer.on('error', reject);
  peer.on('call', async (call) => { call.answer(await media); call.on('stream', (s) => __watch(call.peer, s)); });
  peer.on('open', async () => {
    __bench.connectAt = performance.now();
    const stream = await media;
    for (const other of o.call) { const call = peer.call(other, stream); call.on('stream', (s) => __watch(other, s)); }
    resolve();
  });
});</script></head><body></body></html>`,
};

async function freePort() {
  const s = createNetServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** One run: `size` people join one after the other; the last one's page is measured. */
async function oneRun({ browser, server, app, peerPort, system, size, run }) {
  const uids = Array.from({ length: size }, (_, k) => `b${run}u${k}`);
  const contexts = [];
  try {
    let last;
    for (const [k, uid] of uids.entries()) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${server.url}/${system === 'ours' ? 'ours' : 'peer'}.html`);
      const expected = k === size - 1 ? size - 1 : 0;
      const options =
        system === 'ours'
          ? {
              uid,
              conf: `bench-${run}`,
              expected,
              token: await sessionTokenFor(server.url, app.token('web', 'production'), uid),
            }
          : { uid, expected, port: peerPort, call: uids.slice(0, k) }; // a full mesh, as ours
      if (k < size - 1) {
        await page.evaluate((o) => window.__join(o), options);
      } else {
        last = page;
        await page.evaluate((o) => void window.__join(o), options);
      }
    }
    const t = await waitFor(
      () => last.evaluate(() => (window.__bench.done === null ? null : { ...window.__bench, frames: undefined })),
      (v) => v !== null,
      { timeoutMs: RUN_TIMEOUT_MS, what: `${system} x${size}: every remote first frame` },
    );
    return {
      totalMs: t.done - t.startAt,
      connectMs: t.connectAt - t.startAt,
      afterConnectMs: t.done - t.connectAt,
      loadMs: t.done,
      capture: t.capture,
    };
  } finally {
    for (const c of contexts) await c.close();
  }
}

async function main() {
  const machine = await describeMachine();
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-bench-'));
  for (const [name, html] of Object.entries(pages)) writeFileSync(join(dir, name), html);
  copyFileSync(require.resolve('peerjs/dist/peerjs.min.js'), join(dir, 'peerjs.min.js'));
  const results = [];
  let run = 0;
  let server;
  let peerServer;
  let browser;
  try {
    server = await startTestServer({ ...relaxedLimits, demoDir: dir });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    const peerPort = await freePort();
    peerServer = PeerServer({ port: peerPort, host: '127.0.0.1', path: '/bench' });
    browser = await launchChromium();
    for (const size of SIZES) {
      const samples = { ours: [], peerjs: [] };
      const order = ['ours', 'peerjs'];
      // Warm-up: one run of each, not counted (first page loads, JIT, codec start-up).
      for (const system of order) await oneRun({ browser, server, app, peerPort, system, size, run: ++run });
      for (let i = 0; i < RUNS; i++) {
        for (const system of order)
          samples[system].push(await oneRun({ browser, server, app, peerPort, system, size, run: ++run }));
      }
      for (const system of order) {
        const s = samples[system];
        const med = (k) => round(median(s.map((x) => x[k])));
        results.push({
          system,
          participants: size,
          runs: RUNS,
          totalMs: med('totalMs'),
          connectMs: med('connectMs'),
          afterConnectMs: med('afterConnectMs'),
          loadToFirstFrameMs: med('loadMs'),
          capture: s[0]?.capture ?? null,
          samples: {
            totalMs: s.map((x) => round(x.totalMs)),
            connectMs: s.map((x) => round(x.connectMs)),
            loadMs: s.map((x) => round(x.loadMs)),
          },
        });
        process.stderr.write(
          `  ${system} x${size}: median action→frames ${med('totalMs')} ms (connect ${med('connectMs')} ms)\n`,
        );
      }
    }
  } finally {
    await browser?.close();
    await server?.stop();
    peerServer?.close?.();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = SIZES.map((size) => {
    const ours = results.find((r) => r.system === 'ours' && r.participants === size);
    const peer = results.find((r) => r.system === 'peerjs' && r.participants === size);
    return {
      participants: size,
      oursMs: ours.totalMs,
      peerjsMs: peer.totalMs,
      ratio: round(ours.totalMs / peer.totalMs, 2),
      oursConnectMs: ours.connectMs,
      peerjsConnectMs: peer.connectMs,
    };
  });
  console.log(
    `\n"Join" action to the first decoded remote frame of every other participant: medians of ${RUNS} interleaved runs`,
  );
  printTable([
    ['participants', 'ours ms', 'PeerJS ms', 'ratio', 'ours connect ms', 'PeerJS connect ms'],
    ...rows.map((r) => [r.participants, r.oursMs, r.peerjsMs, r.ratio, r.oursConnectMs, r.peerjsConnectMs]),
  ]);
  const TARGET_RATIO = 0.7;
  const verdict = rows.every((r) => r.ratio <= TARGET_RATIO) ? 'met' : 'not met';
  console.log(
    `\ntarget ours ≤ ${TARGET_RATIO} × PeerJS at every size: ${verdict}${machine.quiet && !QUICK ? '' : ' (not final: quick run or busy machine)'}`,
  );
  const out = join(here, 'results', 'join.json');
  mkdirSync(dirname(out), { recursive: true });
  const header = resultHeader(machine, QUICK);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        ...header,
        conditions: {
          ...header.conditions,
          runs: RUNS,
          warmUp: 'one uncounted run of each system per size, first',
          order: 'interleaved: ours, PeerJS, ours, PeerJS, …',
          clockStart:
            'the same user action for both: before ooVooClient.connect (ours) and before new Peer + getUserMedia (PeerJS)',
          clockEnd: 'the measured (last) participant has decoded a first frame of every other participant',
          connectPhase: 'ours: ooVooClient.connect resolved; PeerJS: the peer server’s open event',
          capture: CAPTURE,
          ourInit: OUR_INIT,
          browser:
            'one headless Chromium, one context per participant, fake camera and microphone (scripts/chromium.mjs flags)',
          servers:
            'ours: our server in the bench process; PeerJS: its `peer` server in the bench process; loopback, no STUN/TURN',
        },
        target: `ours ≤ ${TARGET_RATIO} × PeerJS, action to first frames`,
        verdict,
        rows,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`written ${out}`);
  process.exit(0);
}

await main();
