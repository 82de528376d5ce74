import { randomBytes } from 'node:crypto';
import type { ServerOptions } from '../../src/server/index.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { startRedis, type TestRedis } from './redis.js';
import { startTestServer, type TestServer } from './server.js';

/** Two server nodes in this process on one fresh PostgreSQL database and one Redis: a cluster for frame-level tests. */
export interface TwoNodes {
  readonly postgres: TestPostgres;
  readonly redis: TestRedis;
  readonly a: TestServer;
  readonly b: TestServer;
  /** Stops both nodes, then Redis and PostgreSQL. */
  stop(): Promise<void>;
}

/** Starts them; `options` go to both nodes, beside the shared store, Redis and session secret. */
export async function startTwoNodes(options: Partial<ServerOptions> = {}): Promise<TwoNodes> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const shared = {
    ...options,
    storeUrl: await postgres.newDatabase(),
    redisUrl: redis.url,
    sessionSecret: randomBytes(32).toString('hex'),
  };
  const a = await startTestServer(shared);
  const b = await startTestServer(shared);
  return {
    postgres,
    redis,
    a,
    b,
    async stop() {
      await a.stop();
      await b.stop();
      await Promise.all([redis.stop(), postgres.stop()]);
    },
  };
}
