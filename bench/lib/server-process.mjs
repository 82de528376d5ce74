// Starts the bench server in its own process, with a raised fd limit, and talks to it over IPC.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssOf } from './proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** The fd limit asked for the bench's own processes (the shell's `ulimit -n`). */
export const FD_LIMIT = 65536;

/**
 * Spawns `node <script>` through `sh -c 'ulimit -n …; exec node …'` so the process gets the raised
 * fd limit (as root, or within the hard limit), with an IPC channel. Falls back to the current
 * limit when the shell may not raise it.
 */
export function spawnNode(script, { args = [], env = {}, execArgv = [], stdio = 'inherit' } = {}) {
  const quoted = [process.execPath, ...execArgv, script, ...args]
    .map((a) => `'${String(a).replaceAll("'", "'\\''")}'`)
    .join(' ');
  return spawn('sh', ['-c', `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${quoted}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: stdio === 'inherit' ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

/** The fd limit a running process got, from /proc. */
export function fdLimitOf(pid) {
  try {
    return Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1]);
  } catch {
    return null;
  }
}

let built;

/**
 * Bundles the server from src/server with esbuild (dependencies left external) into
 * node_modules/.cache/oovoo-bench/, once per bench run: the bench runs today's source as plain
 * node, as `oovoo-server` runs in production, without tsx compiling at every start (which took
 * seconds on a busy machine and would count in C2's restart).
 */
export async function buildServer() {
  built ??= (async () => {
    const { build } = await import('esbuild');
    const outfile = join(root, 'node_modules', '.cache', 'oovoo-bench', 'server.mjs');
    await build({
      entryPoints: [join(root, 'src', 'server', 'index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'error',
    });
    return outfile;
  })();
  return built;
}

/**
 * A bench server in its own process. `options` are ServerOptions (JSON), `port` 0 for any.
 * Resolves once it listens: { pid, url, port, appId, token, stats(), stop(), kill(), exited }.
 */
export async function startServerProcess({ dataDir, options = {}, port = 0, createApp = true, cpuProfileDir } = {}) {
  const serverModule = await buildServer();
  const child = spawnNode(join(here, 'server-main.mjs'), {
    // BENCH_PROFILE=<dir>: a CPU profile of every bench server, for finding what limits a row.
    execArgv:
      (cpuProfileDir ?? process.env.BENCH_PROFILE)
        ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir ?? process.env.BENCH_PROFILE}`]
        : [],
    env: {
      BENCH_SERVER_MODULE: serverModule,
      BENCH_DATA_DIR: dataDir,
      BENCH_PORT: String(port),
      BENCH_CREATE_APP: createApp ? '1' : '0',
      BENCH_SERVER_OPTIONS: JSON.stringify(options),
    },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench server did not start within 60 s')), 60_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m);
    });
    exited.then(({ code, signal }) => reject(new Error(`bench server exited (${code ?? signal}) before it was ready`)));
  });
  const pending = [];
  child.on('message', (m) => {
    if (m?.t === 'stats') pending.shift()?.(m);
  });
  return {
    pid: child.pid,
    url: ready.url,
    port: ready.port,
    appId: ready.appId,
    token: ready.token,
    exited,
    fdLimit: fdLimitOf(child.pid),
    rss: () => rssOf(child.pid),
    /** Event-loop delay since the last call, and the open connection count. */
    stats: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), 5000);
        pending.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
        child.send({ t: 'stats' });
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ t: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
