// `npm run bench:load`: the capacity battery of ../shared/docs/reliability.md (C1–C4) on this
// machine, loopback only, the server and the clients in separate processes (each with a raised fd
// limit). Limits that are not what a row measures are lifted by explicit server options, stated in
// the JSON; each row names what limited it. Prints a table; writes bench/results/load.json.
//
//   npm run bench:load                    every row in full (about 15 minutes)
//   npm run bench:load -- --quick         small and short: a smoke check of the bench itself
//   npm run bench:load -- --only=C1,C3    some rows
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, resultHeader } from './lib/machine.mjs';
import { KEPT_DEFAULTS, benchServerOptions } from './lib/server-options.mjs';
import { printTable } from './lib/stats.mjs';
import { runC1 } from './load/c1-sockets.mjs';
import { runC2 } from './load/c2-restart.mjs';
import { runC3 } from './load/c3-messaging.mjs';
import { runC4 } from './load/c4-churn.mjs';
import { LIMITER_RULE } from './load/measure.mjs';
import { tokenCosts } from './load/token-costs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const QUICK = process.argv.includes('--quick');
const ONLY = (process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? 'C1,C2,C3,C4').toUpperCase().split(',');
/** Client processes: enough that one client process's core is not the limit on 2 cores. */
const WORKERS = Number(process.env.WORKERS ?? 4);
const log = (line) => console.log(line);

const ROWS = { C1: runC1, C2: runC2, C3: runC3, C4: runC4 };

async function main() {
  const machine = await describeMachine();
  const serverOptions = benchServerOptions();
  const rows = [];
  for (const name of ONLY) {
    if (!ROWS[name]) throw new Error(`unknown row ${name}`);
    const startedAt = Date.now();
    try {
      const row = await ROWS[name]({ quick: QUICK, serverOptions, workers: WORKERS, log });
      row.durationSeconds = Math.round((Date.now() - startedAt) / 1000);
      rows.push(row);
      log(`${name}: ${row.verdict} (${row.durationSeconds} s)`);
    } catch (e) {
      rows.push({
        row: name,
        verdict: 'failed to run',
        error: String(e?.stack ?? e).slice(0, 2000),
        durationSeconds: Math.round((Date.now() - startedAt) / 1000),
      });
      log(`${name}: failed to run: ${e?.message ?? e}`);
    }
  }
  const costs = await tokenCosts();
  // Which part of the server's work per connect and per login is the token's crypto.
  const c1 = rows.find((r) => r.row === 'C1' && r.connect);
  if (c1 && costs.verifyCpuMicroseconds) {
    c1.connect.tokenVerifyShareOfServerCpu =
      Math.round((costs.verifyCpuMicroseconds / 1000 / c1.connect.serverCpuMsPerConnect) * 100) / 100;
    c1.login.tokenIssueShareOfServerCpu =
      Math.round((costs.issueCpuMicroseconds / 1000 / c1.login.serverCpuMsPerLogin) * 100) / 100;
  }
  const header = resultHeader(machine, QUICK);
  const result = {
    ...header,
    conditions: {
      ...header.conditions,
      loopbackOnly: true,
      processes: `the server in its own process (node --import tsx, fd limit raised through sh ulimit); ${WORKERS} client processes (plain node, same); the orchestrator apart`,
      serverOptions,
      serverDefaultsKept: KEPT_DEFAULTS,
      limiterRule: LIMITER_RULE,
      tokenCosts: costs,
    },
    rows,
  };
  console.log('');
  printTable([
    ['row', 'measured', 'goal', 'limited by', 'verdict'],
    ...rows.map((r) => [
      r.row,
      r.summary ?? r.error?.split('\n')[0] ?? '',
      r.goalText ?? '',
      (r.limitedBy ?? '').replace(/\s*\([^)]*\)/g, ''),
      r.verdict,
    ]),
  ]);
  console.log('\n(details of what limited each row, and the rule, in the JSON)');
  if (!machine.quiet || QUICK) console.log('not final: quick run or busy machine');
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'load.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('wrote bench/results/load.json');
  process.exit(rows.some((r) => r.verdict === 'failed to run') ? 1 : 0);
}

await main();
