// `npm run bench:join`: time from join to the first decoded remote video frame, and from page load to
// it, for 2 and 4 participants: our SDK (mesh through our server) against PeerJS with its own `peer`
// server, same machine, same run. Medians of RUNS runs; a table on stdout, JSON in bench/results/join.json.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PeerServer } from 'peer';
import { launchChromium } from '../test/helpers/browser.ts';
import { relaxedLimits, sessionTokenFor, startTestServer } from '../test/helpers/server.ts';

const RUNS = Number(process.env.RUNS ?? 10);
const SIZES = [2, 4];
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// In-page: report when every remote video has decoded its first frame.
const FIRST_FRAMES = `
window.__bench = { frames: new Map(), expected: 0, done: null };
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
  await ooVooClient.connect({ userId: o.uid, userToken: o.token });
  __bench.joinAt = performance.now();
  const c = ooVooClient.AVChat.init({ audio: true, video: true }, () => {});
  c.onParticipantJoined = (e) => { if (e.uid !== o.uid) __watch(e.uid, e.stream); };
  window.__c = c;
  await c.join(o.conf, o.uid, '');
};</script></head><body></body></html>`,
  'peer.html': `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/peerjs.min.js"></script><script>${FIRST_FRAMES}
window.__join = (o) => new Promise((resolve) => {
  __bench.expected = o.expected;
  __bench.joinAt = performance.now();
  // Capture and the peer server connection in parallel, as PeerJS apps do at best.
  const media = navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const peer = new Peer(o.uid, { host: '127.0.0.1', port: o.port, path: '/bench', config: { iceServers: [] } });
  window.__peer = peer;
  peer.on('call', async (call) => { call.answer(await media); call.on('stream', (s) => __watch(call.peer, s)); });
  peer.on('open', async () => {
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function waitFor(read, ok, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-bench-'));
  for (const [name, html] of Object.entries(pages)) writeFileSync(join(dir, name), html);
  copyFileSync(require.resolve('peerjs/dist/peerjs.min.js'), join(dir, 'peerjs.min.js'));
  const server = await startTestServer({ ...relaxedLimits, demoDir: dir });
  const app = await server.createApp(['localhost', '127.0.0.1']);
  const peerPort = await freePort();
  const peerServer = PeerServer({ port: peerPort, host: '127.0.0.1', path: '/bench' });
  const browser = await launchChromium();
  const results = [];
  let run = 0;
  try {
    for (const size of SIZES) {
      for (const system of ['ours', 'peerjs']) {
        const joinMs = [];
        const loadMs = [];
        for (let i = 0; i < RUNS; i++) {
          run++;
          const uids = Array.from({ length: size }, (_, k) => `b${run}u${k}`);
          const contexts = [];
          let last;
          for (const [k, uid] of uids.entries()) {
            const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
            contexts.push(context);
            const page = await context.newPage();
            await page.goto(`${server.url}/${system === 'ours' ? 'ours' : 'peer'}.html`);
            const expected = k === size - 1 ? size - 1 : 0;
            const options =
              system === 'ours'
                ? { uid, conf: `bench-${run}`, expected, token: await sessionTokenFor(server.url, app.token('web', 'production'), uid) }
                : { uid, expected, port: peerPort, call: uids.slice(0, k) };  // a full mesh, as ours
            if (k < size - 1) {
              await page.evaluate((o) => window.__join(o), options);
            } else {
              last = page;
              await page.evaluate((o) => void window.__join(o), options);
            }
          }
          const t = await waitFor(() => last.evaluate(() => { const b = window.__bench; return b.done === null ? null : { done: b.done, joinAt: b.joinAt }; }), (v) => v !== null);
          joinMs.push(t.done - t.joinAt);
          loadMs.push(t.done);
          for (const c of contexts) await c.close();
        }
        results.push({ system, participants: size, runs: RUNS, joinToFirstFrameMs: median(joinMs), loadToFirstFrameMs: median(loadMs), samples: { joinMs, loadMs } });
        process.stderr.write(`  ${system} x${size}: median join→frame ${median(joinMs).toFixed(0)} ms\n`);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    peerServer.close?.();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = SIZES.map((size) => {
    const ours = results.find((r) => r.system === 'ours' && r.participants === size);
    const peer = results.find((r) => r.system === 'peerjs' && r.participants === size);
    return { participants: size, ours, peer, ratio: ours.joinToFirstFrameMs / peer.joinToFirstFrameMs };
  });
  console.log(`\nJoin to first decoded remote frame (of every other participant), medians of ${RUNS} runs`);
  console.log('participants | ours join→frame | PeerJS join→frame | ratio | ours load→frame | PeerJS load→frame');
  for (const r of rows) {
    console.log(
      `${String(r.participants).padStart(12)} | ${r.ours.joinToFirstFrameMs.toFixed(0).padStart(12)} ms | ${r.peer.joinToFirstFrameMs.toFixed(0).padStart(14)} ms | ${r.ratio.toFixed(2).padStart(5)} | ${r.ours.loadToFirstFrameMs.toFixed(0).padStart(12)} ms | ${r.peer.loadToFirstFrameMs.toFixed(0).padStart(14)} ms`,
    );
  }
  const out = join(here, 'results', 'join.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, target: 'ours join→frame ≤ 0.7 × PeerJS', rows: rows.map((r) => ({ participants: r.participants, ratio: r.ratio })), results }, null, 2)}\n`);
  console.log(`\nwritten ${out}`);
  process.exit(0);
}

await main();
