import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPaths, type ConferenceRole, type Environment, type TokenType } from '../../src/protocol/index.js';
import { runCli as runCliInProcess } from './cli.js';
import { SessionTokens } from '../../src/server/session-tokens.js';
import { ClusterNodeProcess, runCli, type ClusterNode } from './cluster-node.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { startRedis, type TestRedis } from './redis.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';
import { withDeadline } from './wait.js';

export type { ClusterNode } from './cluster-node.js';

/**
 * Several `oovoo-server start` processes sharing one PostgreSQL and one Redis, behind one TCP
 * load balancer (tcp-balancer.ts), for the cluster tests (test/cluster). Each node is a child
 * process of the real CLI on port 0 with a data folder of its own, so a test can SIGKILL one and
 * start it again (on a new port; the balancer learns it).
 *
 * Nodes find Redis through $OOVOO_REDIS_URL. Nodes starting together on an empty database may each
 * make a development app: make the test's own with createApp and ignore theirs.
 */
export interface ClusterOptions {
  /** How many nodes. Default 2. */
  nodes?: number;
  /** More `start` flags for every node (e.g. ['--grace', '2']). */
  args?: readonly string[];
  /** More environment for every node. */
  env?: Readonly<Record<string, string>>;
  /** --log-level of every node. Default warn. */
  logLevel?: string;
}

export interface ClusterApp {
  readonly appId: string;
  /** The app token of that type and environment (app create makes one of each). */
  token(type: TokenType, env: Environment): string;
  /** Its record id (a session's `atk` claim). */
  tokenId(type: TokenType, env: Environment): string;
  /**
   * A session token signed with the nodes' shared secret, as `oovoo-server session create` signs it
   * (for the app's web token of `env`, default production; `role` default participant). No node is asked.
   */
  session(uid: string, options?: { role?: ConferenceRole; env?: Environment }): Promise<string>;
  /**
   * A session token from the server-to-server login of the node `url` reaches (default: the
   * balancer's URL, so its route decides), with the production web token. A host session needs an app
   * whose client-side login is `sandbox` or `none`.
   */
  login(uid: string, options?: { url?: string; role?: ConferenceRole }): Promise<string>;
}

export interface Cluster {
  readonly nodes: readonly ClusterNode[];
  readonly balancer: TcpBalancer;
  /** The balancer's URL: the one address clients use. */
  readonly url: string;
  readonly postgres: TestPostgres;
  /** The nodes' --store (a database of its own on `postgres`). */
  readonly storeUrl: string;
  readonly redis: TestRedis;
  /** The nodes' $OOVOO_SESSION_SECRET (32 random bytes, hex). */
  readonly sessionSecret: string;
  /** Creates an app in the shared store with `oovoo-server app create` (domains default localhost and 127.0.0.1). */
  createApp(options?: {
    name?: string;
    domains?: string[];
    clientLogin?: 'all' | 'sandbox' | 'none';
  }): Promise<ClusterApp>;
  /**
   * Runs `oovoo-server ...args --store <the shared store>` in a child process with the nodes'
   * environment (the session secret too): any CLI command on the cluster's store.
   */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts one more node and adds it to the balancer. */
  addNode(): Promise<ClusterNode>;
  /** Stops every node cleanly, then the balancer, Redis and PostgreSQL; removes the folders. */
  stop(): Promise<void>;
}

/**
 * POSTs JSON on a connection of its own, closed after the answer: fetch would keep it open and send
 * the next request down it, to the node the balancer chose before.
 */
function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const done = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', connection: 'close', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  return withDeadline(done, { what: `the answer of POST ${new URL(url).pathname}`, timeoutMs: 30_000 });
}

/** The in-process CLI's output of one --json command, parsed. */
async function cliJson(argv: string[]): Promise<any> {
  const { code, out, err } = await runCliInProcess(...argv);
  if (code !== 0) throw new Error(`oovoo-server ${argv.slice(0, 2).join(' ')} failed (${code}): ${err.join('\n')}`);
  return JSON.parse(out.join('\n'));
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const folder = mkdtempSync(join(tmpdir(), 'oovoo-cluster-'));
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(folder, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // Both at once; whichever started is stopped even if the other failed.
    const [pgStart, redisStart] = await Promise.allSettled([startPostgres(), startRedis()]);
    for (const s of [pgStart, redisStart]) if (s.status === 'fulfilled') cleanups.push(() => s.value.stop());
    if (pgStart.status === 'rejected') throw pgStart.reason;
    if (redisStart.status === 'rejected') throw redisStart.reason;
    const postgres = pgStart.value;
    const redis = redisStart.value;
    const storeUrl = await postgres.newDatabase();
    const balancer = await startTcpBalancer([]);
    cleanups.push(() => balancer.close());
    const sessionSecret = randomBytes(32).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OOVOO_SESSION_SECRET: sessionSecret,
      OOVOO_REDIS_URL: redis.url,
      ...options.env,
    };
    const startArgs = [
      'start',
      ...['--port', '0', '--host', '127.0.0.1', '--store', storeUrl],
      ...['--log-level', options.logLevel ?? 'warn'],
      ...(options.args ?? []),
    ];
    const nodes: ClusterNodeProcess[] = [];
    cleanups.push(async () => void (await Promise.all(nodes.map((n) => n.stop()))));
    const newNode = () => {
      const node = new ClusterNodeProcess(
        balancer.addBackend(undefined),
        mkdtempSync(join(folder, 'node-')),
        startArgs,
        env,
        balancer,
      );
      nodes.push(node);
      return node;
    };
    const started = Array.from({ length: options.nodes ?? 2 }, newNode);
    await Promise.all(started.map((n) => n.start()));

    const cluster: Cluster = {
      nodes,
      balancer,
      url: balancer.url,
      postgres,
      storeUrl,
      redis,
      sessionSecret,
      async createApp(appOptions = {}) {
        const domains = appOptions.domains ?? ['localhost', '127.0.0.1'];
        const created = await cliJson([
          ...['app', 'create', '--name', appOptions.name ?? 'Cluster test app'],
          ...domains.flatMap((d) => ['--domain', d]),
          ...(appOptions.clientLogin ? ['--client-login', appOptions.clientLogin] : []),
          ...['--store', storeUrl, '--data', folder, '--json'],
        ]);
        const appId: string = created.appId;
        const listed: Array<{ id: string; type: string; environment: string }> = await cliJson([
          ...['token', 'list', '--app', appId, '--store', storeUrl, '--data', folder, '--json'],
        ]);
        const find = <T extends { type: string; environment: string }>(list: T[], type: string, env: string): T => {
          const found = list.find((t) => t.type === type && t.environment === env);
          if (!found) throw new Error(`app ${appId} has no ${type} ${env} token`);
          return found;
        };
        const token = (type: TokenType, env: Environment) =>
          find(created.tokens as Array<{ token: string; type: string; environment: string }>, type, env).token;
        const tokenId = (type: TokenType, env: Environment) => find(listed, type, env).id;
        const signer = new SessionTokens(Buffer.from(sessionSecret, 'hex'), 3600);
        return {
          appId,
          token,
          tokenId,
          session: (uid, { role = 'participant', env = 'production' } = {}) =>
            signer.issue({ app: appId, uid, env, tt: 'web', appToken: tokenId('web', env), role }),
          async login(uid, { url = balancer.url, role } = {}) {
            const body = JSON.stringify({ payload: { user_id: uid, ...(role ? { role } : {}) } });
            const query = new URLSearchParams({
              at: token('web', 'production'),
              ct: '1',
              cst: '2',
              sv: '1.8',
              cv: '0.2',
            });
            const res = await postOnce(`${url}${ApiPaths.serverLogin}?${query}`, body, { origin: 'localhost' });
            if (res.status !== 200) throw new Error(`s2s login of ${uid} failed: ${res.status} ${res.text}`);
            return JSON.parse(res.text).payload.token as string;
          },
        };
      },
      cli: (...args) => runCli([...args, '--store', storeUrl, '--data', folder], env),
      async addNode() {
        const node = newNode();
        await node.start();
        return node;
      },
      stop: cleanUp,
    };
    return cluster;
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
