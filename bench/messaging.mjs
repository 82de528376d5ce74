// `npm run bench:messaging`: persisted messaging on loopback. PAIRS senders each send to a receiver
// (rotating over all receivers) at RATE msg/s in total for DURATION s, through the real path: WebSocket,
// frame validation, group commit to SQLite (WAL, synchronous=FULL), ack to the sender only after the
// write, delivery to the receiver, removal after the receiver's acknowledgement. The server runs in its
// own process so its memory is its own. Prints a table; writes bench/results/messaging.json.
//
//   RATE=2500 DURATION=10 PAIRS=40 npm run bench:messaging
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const RATE = Number(process.env.RATE ?? 2500);
const DURATION_S = Number(process.env.DURATION ?? 10);
const PAIRS = Number(process.env.PAIRS ?? 40);
const BODY_BYTES = Number(process.env.BODY_BYTES ?? 200);
const DRAIN_MS = 15_000;

if (process.argv.includes('--server')) await runServer();
else await runDriver();

/** The server role: a real server on a free port with its data in a temp folder, and one app. */
async function runServer() {
  const { createServer } = await import('../src/server/index.ts');
  const dataDir = process.env.BENCH_DATA_DIR;
  const server = await createServer({
    dataDir,
    port: 0,
    logLevel: 'warn',
    demoDir: null,
    // Logins are not what is measured.
    loginRate: { burst: 1e6, perSecond: 1e6 },
  });
  const { app, tokens } = await server.apps.create({ name: 'bench', domains: ['localhost', '127.0.0.1'] });
  const token = tokens.find((t) => t.type === 'web' && t.environment === 'production').token;
  process.send({ url: server.url, appId: app.id, token });
  process.on('message', async (m) => {
    if (m === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function login(url, token, uid) {
  const response = await fetch(`${url}/1.0/sso/app/login/s2s?at=${encodeURIComponent(token)}&ct=1&cst=2&sv=1.8&cv=0.2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'localhost' },
    body: JSON.stringify({ payload: { user_id: uid } }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`login failed: ${JSON.stringify(body)}`);
  return body.payload.token;
}

function open(url, uid, sessionToken, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/1.0/ws?uid=${encodeURIComponent(uid)}&messaging=1`, ['oovoo.v1', `oovoo.token.${sessionToken}`], {
      origin: 'http://localhost',
    });
    let welcomed = false;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (!welcomed) {
        welcomed = true;
        resolve(ws);
        return;
      }
      onFrame(frame, ws);
    });
    ws.once('error', reject);
  });
}

async function runDriver() {
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-msg-'));
  const child = fork(fileURLToPath(import.meta.url), ['--server'], {
    env: { ...process.env, BENCH_DATA_DIR: dataDir },
    execArgv: ['--import', 'tsx', ...(process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const { url, token } = info;

  const sentAt = new Map(); // cid -> send time
  const ackLatency = [];
  const deliveryLatency = [];
  const deliveredCount = new Map(); // msg_id -> times delivered
  const ackedIds = new Map(); // cid -> msg_id
  const lastSeqFrom = new Map(); // `${receiver}|${sender}` -> last seq
  let outOfOrder = 0;
  let errors = 0;
  const errorSamples = [];

  // Receivers: record each delivery, acknowledge each page.
  const receivers = [];
  for (let r = 0; r < PAIRS; r++) {
    const uid = `receiver-${r}`;
    const ws = await open(url, uid, await login(url, token, uid), (frame, socket) => {
      if (frame.t !== 'msg.deliver') return;
      const now = performance.now();
      for (const entry of frame.entries) {
        if (entry.kind !== 'message') continue;
        deliveredCount.set(entry.msg_id, (deliveredCount.get(entry.msg_id) ?? 0) + 1);
        const [cid] = entry.body.split(' ', 1);
        const t0 = sentAt.get(cid);
        if (t0 !== undefined && deliveredCount.get(entry.msg_id) === 1) deliveryLatency.push(now - t0);
        const [sender, seq] = cid.split(':');
        const key = `${uid}|${sender}`;
        const last = lastSeqFrom.get(key) ?? -1;
        if (Number(seq) <= last) outOfOrder++;
        lastSeqFrom.set(key, Number(seq));
      }
      socket.send(JSON.stringify({ t: 'msg.received', ids: frame.entries.map((e) => e.id) }));
    });
    receivers.push(ws);
  }

  // Senders: paced open-loop at RATE / PAIRS each.
  const senders = [];
  for (let s = 0; s < PAIRS; s++) {
    const uid = `sender-${s}`;
    const ws = await open(url, uid, await login(url, token, uid), (frame) => {
      if (frame.t === 'ack' && frame.id?.startsWith('b')) {
        const cid = frame.id.slice(1);
        ackLatency.push(performance.now() - sentAt.get(cid));
        ackedIds.set(cid, frame.result.msg_id);
      } else if (frame.t === 'error') {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(frame.error);
      }
    });
    senders.push(ws);
  }

  const padding = 'x'.repeat(Math.max(0, BODY_BYTES - 20));
  const perSender = RATE / PAIRS;
  const startedAt = performance.now();
  const endAt = startedAt + DURATION_S * 1000;
  const sentBy = new Array(PAIRS).fill(0);
  let rssPeak = 0;
  const rssTimer = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf(child.pid));
  }, 250);

  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      const elapsed = Math.min(now, endAt) - startedAt;
      for (let s = 0; s < PAIRS; s++) {
        const due = Math.floor((elapsed / 1000) * perSender);
        while (sentBy[s] < due) {
          const seq = sentBy[s]++;
          const cid = `${s}:${seq}`;
          const to = `receiver-${(s + seq) % PAIRS}`;
          sentAt.set(cid, performance.now());
          senders[s].send(JSON.stringify({ t: 'msg.send', id: `b${cid}`, cid, to: [to], body: `${cid} ${padding}` }));
        }
      }
      if (now >= endAt) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const sendPhaseMs = performance.now() - startedAt;
  const totalSent = sentBy.reduce((a, b) => a + b, 0);

  // Drain: every acknowledged message must reach its receiver.
  const drainDeadline = performance.now() + DRAIN_MS;
  while (performance.now() < drainDeadline) {
    const allAcked = ackedIds.size + errors >= totalSent;
    const allDelivered = [...ackedIds.values()].every((id) => deliveredCount.has(id));
    if (allAcked && allDelivered) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const lastAckAt = performance.now();
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(rssTimer);
  const rssEnd = rssOf(child.pid);
  rssPeak = Math.max(rssPeak, rssEnd);

  const lost = [...ackedIds.values()].filter((id) => !deliveredCount.has(id)).length;
  const duplicated = [...deliveredCount.values()].filter((n) => n > 1).length;
  ackLatency.sort((a, b) => a - b);
  deliveryLatency.sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    config: { targetRate: RATE, durationS: DURATION_S, senders: PAIRS, receivers: PAIRS, bodyBytes: BODY_BYTES, durability: 'SQLite WAL, synchronous=FULL, ack after commit' },
    sent: totalSent,
    acknowledged: ackedIds.size,
    errors,
    ...(errorSamples.length ? { errorSamples } : {}),
    delivered: deliveredCount.size,
    lost,
    duplicated,
    outOfOrder,
    sustainedMsgPerSec: Math.round(ackedIds.size / (sendPhaseMs / 1000)),
    drainMs: Math.round(lastAckAt - startedAt - sendPhaseMs),
    ackMs: { p50: round(percentile(ackLatency, 50)), p99: round(percentile(ackLatency, 99)), max: round(ackLatency.at(-1)) },
    deliveryMs: { p50: round(percentile(deliveryLatency, 50)), p99: round(percentile(deliveryLatency, 99)), max: round(deliveryLatency.at(-1)) },
    serverRssMB: { peak: Math.round(rssPeak / 1048576), end: Math.round(rssEnd / 1048576) },
    target: { msgPerSec: 2000, ackP99Ms: 100 },
  };
  result.meetsTarget = result.sustainedMsgPerSec >= 2000 && result.ackMs.p99 <= 100 && lost === 0 && duplicated === 0;

  for (const ws of [...senders, ...receivers]) ws.close();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });

  const rows = [
    ['senders / receivers', `${PAIRS} / ${PAIRS}`],
    ['sent / acknowledged / delivered', `${result.sent} / ${result.acknowledged} / ${result.delivered}`],
    ['lost / duplicated / out of order', `${lost} / ${duplicated} / ${outOfOrder}`],
    ['errors', String(errors)],
    ['sustained msg/s (acknowledged)', String(result.sustainedMsgPerSec)],
    ['send→ack p50 / p99 (ms)', `${result.ackMs.p50} / ${result.ackMs.p99}`],
    ['send→delivery p50 / p99 (ms)', `${result.deliveryMs.p50} / ${result.deliveryMs.p99}`],
    ['server RSS peak / end (MB)', `${result.serverRssMB.peak} / ${result.serverRssMB.end}`],
    ['target ≥2,000 msg/s, ack p99 ≤100 ms', result.meetsTarget ? 'met' : 'NOT met'],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nPersisted messaging, ${DURATION_S} s at ${RATE} msg/s offered\n`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'messaging.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote bench/results/messaging.json`);
  if (lost > 0 || duplicated > 0) process.exitCode = 1;
}

function round(v) {
  return v === undefined || Number.isNaN(v) ? null : Math.round(v * 10) / 10;
}
