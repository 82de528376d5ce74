// What a bench:load phase used (server, clients, machine) and the rule that names what limited it.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuMeter, machineTicks } from '../lib/proc.mjs';

export const LIMITER_RULE =
  'CPU (server) if the server process used ≥ 0.9 core; else CPU (machine) if both cores were ≥ 95% busy (the share of other processes is given); else event-loop delay if its p99 > 50 ms; else client side if a client process used ≥ 0.9 core; else client side (its concurrency and the round trips, with CPU to spare on both sides)';

/** Starts measuring the server process and the client processes; `stop()` returns what they used. */
export async function startPhase(server, workerPids) {
  await server.stats(); // resets the server's event-loop histogram
  const cpu = cpuMeter([server.pid, ...workerPids]);
  const m0 = machineTicks();
  const t0 = performance.now();
  cpu.start();
  return {
    async stop() {
      const [serverCpu, ...clientCpus] = cpu.stop();
      const m1 = machineTicks();
      const stats = await server.stats();
      return {
        elapsedMs: Math.round(performance.now() - t0),
        serverCpu,
        clientCpus,
        clientCpuTotal: Math.round(clientCpus.reduce((a, b) => a + b, 0) * 100) / 100,
        machineBusyPct: Math.round((1 - (m1.idle - m0.idle) / Math.max(1, m1.total - m0.total)) * 1000) / 10,
        serverEventLoopMs: stats?.eventLoopMs ?? null,
      };
    },
  };
}

/** Names what limited a phase from what it used (LIMITER_RULE). */
export function limiterOf(used) {
  if (used.serverCpu >= 0.9) return 'CPU (server process at one core)';
  if (used.machineBusyPct >= 95) {
    const others = Math.max(
      0,
      Math.round(((used.machineBusyPct / 100) * cpus().length - used.serverCpu - used.clientCpuTotal) * 100) / 100,
    );
    return `CPU (machine: both cores busy; server ${used.serverCpu} core, clients ${used.clientCpuTotal}, other processes ${others})`;
  }
  if ((used.serverEventLoopMs?.p99 ?? 0) > 50) return 'event-loop delay (server)';
  if (used.clientCpus.some((c) => c >= 0.9)) return 'client side (a client process at one core)';
  return 'client side (concurrency and round trips; CPU to spare)';
}
