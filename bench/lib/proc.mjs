// Reads a process's memory and CPU time from /proc (Linux), for server and client processes.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const TICKS_PER_SECOND = 100;

/** Resident memory of a process, in bytes (0 when it is gone). */
export function rssOf(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb * 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU time of a process so far, in milliseconds (0 when it is gone). */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Samples CPU use (fraction of one core) of processes between `start()` and `stop()`. */
export function cpuMeter(pids) {
  let t0 = 0;
  let c0 = [];
  return {
    start() {
      t0 = performance.now();
      c0 = pids.map(cpuMsOf);
    },
    /** Fraction of one core used by each pid since start(). */
    stop() {
      const elapsed = Math.max(1, performance.now() - t0);
      return pids.map((pid, i) => Math.round(((cpuMsOf(pid) - c0[i]) / elapsed) * 100) / 100);
    },
  };
}

/** Idle and total CPU ticks of the whole machine so far (from /proc/stat). */
export function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
}
