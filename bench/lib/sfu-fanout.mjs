// bench:sfu (c): one publisher (a Chromium page) to N receive-only subscribers that are not browsers
// (werift peers in worker threads of this process, see sfu-subscriber-worker.mjs), wired straight through the broker modules as the conference
// service does. N is raised step by step until more than 1% of packets are lost or Janus saturates.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { JanusClient } from '../../src/server/sfu/janus-client.ts';
import { VideoRoomControl, VideoRoomPublisher } from '../../src/server/sfu/videoroom.ts';
import { cpuMsOf, rssOf } from './proc.mjs';
import { round, waitFor } from './stats.mjs';

const ROOM = 9100;
const FEED = 1;
/** More than this fraction of packets lost, or Janus at this fraction of one core, ends the search. */
export const MAX_LOSS = 0.01;
export const SATURATED_CORES = 0.9;
/** Worker threads holding the subscribers, one per core. */
export const WORKERS = cpus().length;

/** A worker thread with werift subscribers; `ask(type, arg)` resolves with its reply. */
async function startWorker(janusUrl) {
  const worker = new Worker(new URL('./sfu-subscriber-worker.mjs', import.meta.url), {
    workerData: { janusUrl, room: ROOM, feed: FEED },
  });
  const pending = new Map();
  let next = 0;
  let failed = null;
  worker.on('error', (e) => {
    failed = e;
    for (const { reject } of pending.values()) reject(e);
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.on('message', ({ id, value, error }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (error) p?.reject(new Error(`subscriber worker: ${error}`));
    else p?.resolve(value);
  });
  return {
    ask(type, arg) {
      if (failed) return Promise.reject(failed);
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, type, arg });
      });
    },
    async stop() {
      await this.ask('close').catch(() => undefined);
      await worker.terminate();
    },
  };
}

/** A Chromium page that publishes the fake camera at `capture` (one layer) through a VideoRoom publisher. */
async function publishFromPage(browser, client, capture) {
  const html = readFileSync(new URL('../../test/sfu/pages/sfu-page.html', import.meta.url), 'utf8');
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const publisher = await VideoRoomPublisher.join(client, { room: ROOM, feedId: FEED, display: 'publisher' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.exposeFunction('__trickle', (c) => publisher.trickle(c));
  await page.goto(`http://127.0.0.1:${http.address().port}/`);
  const up = new Promise((resolve) => {
    const off = publisher.on('webrtcup', () => (off(), resolve()));
  });
  const offer = await page.evaluate((o) => window.__startPublisher(o), { ...capture, simulcast: false });
  const answer = await publisher.publish({ type: 'offer', sdp: offer });
  await page.evaluate((sdp) => window.__setAnswer(sdp), answer.sdp);
  await up;
  return {
    close: async () => {
      await context.close();
      await publisher.close().catch(() => undefined);
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/**
 * Raises the number of subscribers through `steps`, measuring each step over `windowMs`: packet loss
 * at the subscribers, Janus's CPU (fraction of one core) and RSS, and this process's CPU (the werift
 * clients: a step where they saturate is client-limited, not Janus-limited).
 */
export async function fanOut({ janus, adminKey, browser, steps, windowMs, capture, log }) {
  const client = new JanusClient({ url: janus.url });
  await client.start();
  const control = await VideoRoomControl.attach(client);
  await control.createRoom({ room: ROOM, adminKey, secret: 'bench', publishers: 1 });
  const workers = [];
  let count = 0;
  const rows = [];
  let stoppedBy = 'the last step';
  let publisher;
  try {
    const pid = janus.janus.pid;
    const baseRss = rssOf(pid);
    publisher = await publishFromPage(browser, client, capture);
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(janus.url));
    const publisherOnlyRss = rssOf(pid);
    for (const n of steps) {
      // Spread over the workers: each holds about n / WORKERS subscribers.
      const adds = workers.map(
        (_, i) => Math.floor((n + WORKERS - 1 - i) / WORKERS) - Math.floor((count + WORKERS - 1 - i) / WORKERS),
      );
      await Promise.all(workers.map((w, i) => (adds[i] > 0 ? w.ask('add', adds[i]) : null)));
      count = n;
      await waitFor(
        async () => (await Promise.all(workers.map((w) => w.ask('receiving')))).every(Boolean),
        (ok) => ok,
        { timeoutMs: 60_000, everyMs: 250, what: `${n} werift subscribers receiving video` },
      );
      await Promise.all(workers.map((w) => w.ask('mark')));
      const t0 = performance.now();
      const janusCpu0 = cpuMsOf(pid);
      const ownCpu0 = process.cpuUsage();
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      const elapsed = performance.now() - t0;
      const janusCores = (cpuMsOf(pid) - janusCpu0) / elapsed;
      const own = process.cpuUsage(ownCpu0);
      const clientCores = (own.user + own.system) / 1000 / elapsed;
      const totals = (await Promise.all(workers.map((w) => w.ask('window')))).reduce(
        (a, w) => ({ expected: a.expected + w.expected, received: a.received + w.received }),
        { expected: 0, received: 0 },
      );
      const loss = totals.expected > 0 ? Math.max(0, 1 - totals.received / totals.expected) : 1;
      const rss = rssOf(pid);
      const row = {
        subscribers: n,
        packetsExpected: totals.expected,
        packetsReceived: totals.received,
        lossPct: round(loss * 100, 2),
        janusCpuPctOfOneCore: round(janusCores * 100),
        janusCpuPctPerStream: round((janusCores * 100) / n, 2),
        janusRssMB: round(rss / 2 ** 20),
        janusRssPerStreamKB: round((rss - publisherOnlyRss) / 1024 / n),
        clientCpuPctOfOneCore: round(clientCores * 100),
      };
      rows.push(row);
      log(
        `  fan-out x${n}: loss ${row.lossPct}%, Janus ${row.janusCpuPctOfOneCore}% CPU, ${row.janusRssMB} MB; clients ${row.clientCpuPctOfOneCore}%`,
      );
      if (loss > MAX_LOSS) {
        stoppedBy = clientCores >= SATURATED_CORES * WORKERS ? 'loss, with the werift clients saturated' : 'loss';
        break;
      }
      if (janusCores >= SATURATED_CORES) {
        stoppedBy = 'Janus CPU';
        break;
      }
      if (clientCores >= SATURATED_CORES * WORKERS) {
        stoppedBy = 'the werift clients saturated (client-limited)';
        break;
      }
    }
    const held = rows.filter((r) => r.lossPct <= MAX_LOSS * 100 && r.janusCpuPctOfOneCore < SATURATED_CORES * 100);
    return {
      janusRssMB: { beforePublisher: round(baseRss / 2 ** 20), withPublisher: round(publisherOnlyRss / 2 ** 20) },
      largestHeld: held.at(-1)?.subscribers ?? 0,
      stoppedBy,
      rows,
    };
  } finally {
    for (const w of workers) await w.stop();
    await publisher?.close();
    await control.destroyRoom(ROOM, 'bench').catch(() => undefined);
    await client.close();
  }
}
