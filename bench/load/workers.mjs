// The client processes of bench:load: started with a raised fd limit, given a share of the users,
// and asked to run tasks together (client-worker.mjs).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMeter } from '../lib/proc.mjs';
import { spawnNode } from '../lib/server-process.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Source addresses in 127.0.0.0/8 for worker `w`: 127.(10 + w).x.y, `count` of them. */
export function sourceAddresses(w, count) {
  return Array.from({ length: count }, (_, i) => `127.${10 + w}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
}

/** Starts `count` client processes; resolves when each is ready. */
export async function startWorkers(count) {
  const workers = await Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawnNode(join(here, 'client-worker.mjs'));
      const waiting = new Map();
      let nextId = 0;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('client worker did not start within 30 s')), 30_000);
        child.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      child.on('message', (m) => {
        const w = waiting.get(m.id);
        if (!w) return;
        waiting.delete(m.id);
        if (m.ok) w.resolve(m.result);
        else w.reject(new Error(`client worker: ${m.error}`));
      });
      child.once('exit', (code) => {
        for (const w of waiting.values()) w.reject(new Error(`client worker exited (${code})`));
      });
      return {
        pid: child.pid,
        run(task, args, timeoutMs = 15 * 60_000) {
          const id = nextId++;
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`client worker: ${task} did not finish within ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiting.set(id, {
              resolve: (v) => (clearTimeout(timer), resolve(v)),
              reject: (e) => (clearTimeout(timer), reject(e)),
            });
            child.send({ id, task, args });
          });
        },
        stop() {
          child.disconnect?.();
          if (child.exitCode === null) child.kill('SIGTERM');
        },
      };
    }),
  );
  return {
    workers,
    pids: workers.map((w) => w.pid),
    /** Runs one task on every worker (args may be a function of the worker index). */
    all(task, args, timeoutMs) {
      return Promise.all(workers.map((w, i) => w.run(task, typeof args === 'function' ? args(i) : args, timeoutMs)));
    },
    /** CPU meter over the workers (fractions of one core each). */
    cpu: () => cpuMeter(workers.map((w) => w.pid)),
    stop() {
      for (const w of workers) w.stop();
    },
  };
}

/** Splits `items` into `n` nearly equal shares (round robin). */
export function share(items, n) {
  const out = Array.from({ length: n }, () => []);
  items.forEach((item, i) => out[i % n].push(item));
  return out;
}
