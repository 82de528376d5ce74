// C1: authenticated signaling sockets held. Logins (token issuance) and connects (upgrade with the
// session token's verification) are measured as separate phases, with what each side used, so the
// row says which side limits the connect rate. Then every socket is held with application pings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../lib/server-process.mjs';
import { round, summary } from '../lib/stats.mjs';
import { limiterOf, startPhase } from './measure.mjs';
import { share, sourceAddresses, startWorkers } from './workers.mjs';

export const C1_GOAL = {
  sockets: 10_000,
  holdMinutes: 5,
  serverRssMB: 400,
  pingP99Ms: 200,
  connectsPerSec: 1000,
  dropped: 0,
};

export async function runC1({ quick, serverOptions, workers: W, log }) {
  // C1_SOCKETS and C1_HOLD_SECONDS change the size for trying the bench itself (the verdict then says not met).
  const N = Number(process.env.C1_SOCKETS ?? (quick ? 1000 : C1_GOAL.sockets));
  const holdMs = Number(process.env.C1_HOLD_SECONDS ?? (quick ? 15 : C1_GOAL.holdMinutes * 60)) * 1000;
  const pingIntervalMs = quick ? 5000 : 10_000;
  const addressesPerWorker = 40;
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-bench-c1-'));
  let server;
  let clients;
  try {
    server = await startServerProcess({ dataDir, options: serverOptions });
    clients = await startWorkers(W);
    const uids = Array.from({ length: N }, (_, i) => `c1-user-${i}`);
    const shares = share(uids, W);
    await clients.all('setup', (w) => ({ uids: shares[w], localAddresses: sourceAddresses(w, addressesPerWorker) }));

    log(`C1: ${N} logins from ${W} client processes`);
    let phase = await startPhase(server, clients.pids);
    const logins = await clients.all('login', { url: server.url, appToken: server.token, concurrency: 16 });
    const loginUsed = await phase.stop();
    const loginFailures = logins.reduce((a, r) => a + r.failures, 0);
    const loginsPerSec = Math.round((N - loginFailures) / (Math.max(...logins.map((r) => r.elapsedMs)) / 1000));

    log(`C1: ${N} connects`);
    phase = await startPhase(server, clients.pids);
    const connects = await clients.all('connect', { url: server.url, concurrency: 64, startAt: Date.now() + 300 });
    const connectUsed = await phase.stop();
    const opened = connects.reduce((a, r) => a + r.open, 0);
    const connectFailures = connects.reduce((a, r) => a + r.failures, 0);
    const connectsPerSec = Math.round(opened / (Math.max(...connects.map((r) => r.elapsedMs)) / 1000));
    const rssAfterConnect = server.rss();

    log(`C1: holding ${opened} sockets for ${holdMs / 1000} s, a ping from each every ${pingIntervalMs / 1000} s`);
    let rssPeak = rssAfterConnect;
    const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, server.rss())), 1000);
    phase = await startPhase(server, clients.pids);
    const holds = await clients.all('hold', { durationMs: holdMs, intervalMs: pingIntervalMs }, holdMs + 120_000);
    const holdUsed = await phase.stop();
    clearInterval(rssTimer);
    rssPeak = Math.max(rssPeak, server.rss());
    const dropped = holds.reduce((a, r) => a + r.dropped, 0);
    const ping = summary(holds.flatMap((r) => r.pingMs));
    const stillOpen = holds.reduce((a, r) => a + r.open, 0);

    const row = {
      row: 'C1',
      what: 'authenticated signaling sockets held',
      sockets: N,
      holdSeconds: holdMs / 1000,
      clientProcesses: W,
      sourceAddresses: `${W * addressesPerWorker} (127.10-${9 + W}.0.x)`,
      login: {
        failures: loginFailures,
        retriesAfterReset: logins.reduce((a, r) => a + r.retries, 0),
        serverCpuMsPerLogin: round((loginUsed.serverCpu * loginUsed.elapsedMs) / Math.max(1, N - loginFailures), 3),
        failureSamples: logins.flatMap((r) => r.failureSamples).slice(0, 3),
        perSec: loginsPerSec,
        latencyMs: summary(logins.flatMap((r) => r.ms)),
        used: loginUsed,
        limitedBy: limiterOf(loginUsed),
      },
      connect: {
        opened,
        failures: connectFailures,
        failureSamples: connects.flatMap((r) => r.failureSamples).slice(0, 3),
        perSec: connectsPerSec,
        latencyMs: summary(connects.flatMap((r) => r.ms)),
        used: connectUsed,
        serverCpuMsPerConnect: round((connectUsed.serverCpu * connectUsed.elapsedMs) / Math.max(1, opened), 3),
        limitedBy: limiterOf(connectUsed),
      },
      hold: { stillOpen, dropped, pingMs: ping, used: holdUsed, limitedBy: limiterOf(holdUsed) },
      serverRssMB: { afterConnect: Math.round(rssAfterConnect / 2 ** 20), peak: Math.round(rssPeak / 2 ** 20) },
      serverFdLimit: server.fdLimit,
      goal: C1_GOAL,
    };
    row.met = {
      sockets: opened >= C1_GOAL.sockets,
      held: dropped === 0 && stillOpen === opened && holdMs >= C1_GOAL.holdMinutes * 60_000,
      serverRss: row.serverRssMB.peak <= C1_GOAL.serverRssMB,
      pingP99: ping.p99 !== null && ping.p99 <= C1_GOAL.pingP99Ms,
      connectsPerSec: connectsPerSec >= C1_GOAL.connectsPerSec,
    };
    row.verdict = Object.values(row.met).every(Boolean) ? 'met' : 'not met';
    row.summary = `${opened} sockets, ${connectsPerSec} connects/s (${loginsPerSec} logins/s), held ${holdMs / 1000} s: ${dropped} dropped, ping p99 ${ping.p99} ms, server RSS ${row.serverRssMB.peak} MB`;
    row.goalText = '10,000 held 5 min, 0 dropped, ≥1,000 connects/s, ping p99 ≤200 ms, RSS ≤400 MB';
    row.limitedBy = `connects: ${row.connect.limitedBy}; logins: ${row.login.limitedBy}; hold: ${row.hold.limitedBy}`;
    return row;
  } finally {
    await clients?.all('close').catch(() => undefined);
    clients?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
