// The server role of a bench, in its own process (spawned by server-process.mjs): a real server
// with its data in the given folder, one app (unless restarting), and its event-loop delay on request.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// The server bundled from src/server by server-process.mjs (plain node, as in production).
const { createServer } = await import(pathToFileURL(process.env.BENCH_SERVER_MODULE).href);

const options = JSON.parse(process.env.BENCH_SERVER_OPTIONS ?? '{}');
const server = await createServer({
  logLevel: 'warn',
  demoDir: null,
  ...options,
  dataDir: process.env.BENCH_DATA_DIR,
  port: Number(process.env.BENCH_PORT ?? 0),
});
let app = null;
if (process.env.BENCH_CREATE_APP !== '0') {
  const created = await server.apps.create({ name: 'bench', domains: ['localhost', '127.0.0.1'] });
  app = {
    appId: created.app.id,
    token: created.tokens.find((t) => t.type === 'web' && t.environment === 'production').token,
  };
}
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
process.send({ t: 'ready', url: server.url, port: server.port, ...app });
process.on('message', async (m) => {
  if (m?.t === 'stats') {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    process.send({
      t: 'stats',
      eventLoopMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      connections: server.context.connections.size,
    });
    loop.reset();
  } else if (m?.t === 'stop') {
    await server.close();
    process.exit(0);
  }
});
// Never outlive the bench that started it.
process.on('disconnect', () => process.exit(0));
