// What a bench ran on, and whether the machine was quiet: every result JSON carries this.
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { machineTicks } from './proc.mjs';

/**
 * The machine, and how busy it was over `sampleMs` before the bench started: `quiet` is true when
 * at most 10% of the CPU was in use by others then. Figures from a machine that was not quiet are
 * not final.
 */
export async function describeMachine(sampleMs = 2000) {
  const before = machineTicks();
  await new Promise((r) => setTimeout(r, sampleMs));
  const after = machineTicks();
  const busy = 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    busyBeforeStartPct: Math.round(busy * 1000) / 10,
    quiet: busy <= 0.1,
  };
}

/** The commit the bench ran on, and how many tracked files differed from it (work of others in progress). */
export function describeSource() {
  const git = (args) => {
    try {
      return execFileSync('git', args, {
        cwd: new URL('../..', import.meta.url),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    commit: git(['rev-parse', '--short', 'HEAD']),
    changedTrackedFiles: status === null ? null : status.split('\n').filter(Boolean).length,
  };
}

/**
 * What every bench result starts with: when, on what machine, from which code; and the conditions
 * every bench states (a quick run or a machine that was not quiet is never final).
 */
export function resultHeader(machine, quick) {
  return {
    date: new Date().toISOString(),
    machine,
    source: describeSource(),
    conditions: { quick, machineQuiet: machine.quiet, final: machine.quiet && !quick },
  };
}
