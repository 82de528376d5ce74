import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { ErrorCode, Limits, SUBPROTOCOL, errorEnvelope } from '../protocol/index.js';
import { AccessWatcher } from './access-watcher.js';
import { ApiError } from './api-error.js';
import { AppService } from './apps.js';
import { registerConference, type ConferenceOptions, type ConferenceService } from './conference/index.js';
import {
  CONNECTION_LIMIT_DEFAULTS,
  fastifyTimeoutOptions,
  installConnectionGuard,
  resolveConnectionLimits,
  type ConnectionLimitOptions,
} from './connection-guard.js';
import { ConnectionRegistry } from './connections.js';
import { installRequestTimeouts } from './request-timeouts.js';
import type { ServerContext } from './context.js';
import { addressMatcher } from './address-match.js';
import { raiseFileLimit } from './fd-limit.js';
import { FrameRouter } from './frame-router.js';
import type { Bus } from './bus/index.js';
import { openCluster } from './cluster/cluster.js';
import { loggerOptions } from './logging.js';
import { registerPortal, type PortalOptions } from './portal/index.js';
import { registerMessaging, type MessagingOptions } from './messaging/index.js';
import { conferenceMembership, registerFiles, type FileOptions } from './files/index.js';
import { DEMO_TOKEN_FILE, registerAssetRoutes } from './routes/assets.js';
import { registerLoginRoutes } from './routes/login.js';
import { registerSocketRoute, startLivenessSweep } from './routes/socket.js';
import { loadVapidKeysFromStore } from './messaging/push/vapid.js';
import { loadSessionSecret, sharedSessionSecret } from './secrets.js';
import { fastifyTrustProxy } from './trust-proxy.js';
import { SessionTokens } from './session-tokens.js';
import { startLocalJanus, type JanusSupervisor } from './sfu/janus-supervisor.js';
import { resolveSocketLimits, type SocketLimitOptions } from './socket-limits.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/types.js';

export interface ServerOptions {
  /** Data folder for the embedded store and generated keys. */
  dataDir: string;
  port?: number;
  host?: string;
  /** Session token lifetime in seconds (default 3600). */
  sessionTtlSeconds?: number;
  /** pino level, or 'silent'. */
  logLevel?: string;
  /** A store to use instead of the embedded SQLite one. */
  store?: Store;
  /**
   * postgres://… : the store is that PostgreSQL database, which several server nodes may share; the
   * session secret must then come from `sessionSecret` or $OOVOO_SESSION_SECRET, and the VAPID keys
   * live in the store. Default: SQLite in the data folder.
   */
  storeUrl?: string;
  /** The session-signing secret, hex or base64 (default $OOVOO_SESSION_SECRET, else a file in the data folder). */
  sessionSecret?: string;
  /** The bus between this server's parts on one node; default: in-process. Ignored with `redisUrl`. */
  bus?: Bus;
  /**
   * redis://… : this node is one of several sharing that Redis (the bus, room ownership, presence,
   * rate limits) and the PostgreSQL store of `storeUrl`. Default: a single node, all in memory.
   */
  redisUrl?: string;
  /** The built SDK script; defaults to dist/oovoo.min.js of this package. */
  scriptFile?: string;
  /** Folder served at `/`; defaults to demo/ of this package. */
  demoDir?: string | null;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Login rate limits: burst and refill per second, per address; failures per app and address. */
  loginRate?: { burst: number; perSecond: number };
  failedLoginRate?: { burst: number; perSecond: number };
  /** Conferences: mesh size, grace period, STUN/TURN. */
  conference?: ConferenceOptions;
  /**
   * The public origin browsers reach this server at (e.g. https://chat.example.com behind a proxy):
   * links in portal mail and the portal's Origin check use it. Default: the listening address.
   */
  publicUrl?: string;
  /** Developer portal: mailer, sign-in and reset limits, link lifetimes. */
  portal?: PortalOptions;
  /** Messaging and push: rate limits, inbox quota, push TTL and providers. */
  messaging?: MessagingOptions;
  /** Files and images in chats: uploads at once and per minute, where bytes live, sweeps (files/file-options.ts). */
  files?: FileOptions;
  /** WebSocket bounds: bytes buffered for a slow reader, frames per connection. */
  sockets?: SocketLimitOptions;
  /** TCP and HTTP bounds: timeouts of silent, slow and half-open connections; connections per address. */
  connectionLimits?: ConnectionLimitOptions;
  /**
   * How often the server reads the store's access change feed, to end the open sessions of apps
   * blocked or tokens revoked by another process such as the CLI (default 1000 ms). Changes made
   * through this server take effect at once.
   */
  accessCheckIntervalMs?: number;
  /**
   * Which peers may say who the client is through X-Forwarded-For (and -Proto, -Host): addresses or
   * CIDRs of the reverse proxies (comma-separated string or list; also `loopback`, `linklocal`,
   * `uniquelocal`). Off by default: a client reaching the server directly could otherwise choose
   * its own address and escape per-address limits. See trust-proxy.ts for why hop counts are refused.
   */
  trustProxy?: string | readonly string[];
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly apps: AppService;
  readonly context: ServerContext;
  /** Rooms and their media (for tests and operators). */
  readonly conference: ConferenceService;
  /** Chat files: where their bytes live, their removal and sweeps (for tests and operators). */
  readonly files: ReturnType<typeof registerFiles>;
  /** The local Janus of `janusUrl: 'auto'` (--janus auto), which the server restarts and stops. */
  readonly janus: JanusSupervisor | undefined;
  /** http://host:port of the listening server. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The package folder, whether this runs from src/server (tsx) or from a chunk of dist/server. */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(start, '..', '..');
  }
}

export async function createServer(options: ServerOptions): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir);
  const socketLimits = resolveSocketLimits(options.sockets);
  const connectionLimits = resolveConnectionLimits(options.connectionLimits);
  const trustedProxies = fastifyTrustProxy(options.trustProxy);
  // Nodes sharing a PostgreSQL store share their secrets through the environment and the store.
  const sharedStore = options.storeUrl !== undefined && options.storeUrl !== '';
  const secretFromEnv = options.sessionSecret ?? process.env.OOVOO_SESSION_SECRET;
  const sessionSecret = sharedStore ? sharedSessionSecret(secretFromEnv) : loadSessionSecret(dataDir, secretFromEnv);
  if (sharedStore) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = options.store ?? (await openStore(dataDir, options.storeUrl));
  const vapid = sharedStore
    ? await loadVapidKeysFromStore(store.settings).catch(async (e: unknown) => {
        if (!options.store) await store.close();
        throw e;
      })
    : undefined;
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info'),
    ...fastifyTimeoutOptions(connectionLimits),
    bodyLimit: 64 * 1024,
    trustProxy: trustedProxies,
  });
  const sessions = new SessionTokens(sessionSecret, options.sessionTtlSeconds ?? 3600);
  const apps = new AppService(store);
  const loginRate = options.loginRate ?? { burst: 60, perSecond: 2 };
  const failedLoginRate = options.failedLoginRate ?? { burst: 20, perSecond: 0.2 };
  const logError = (err: unknown, message: string) =>
    app.log.error({ err: err instanceof Error ? err.message : String(err) }, message);
  const cluster = await openCluster(options.redisUrl, logError, options.bus).catch(async (e: unknown) => {
    if (!options.store) await store.close();
    throw e;
  });
  const context: ServerContext = {
    store,
    apps,
    sessions,
    connections: new ConnectionRegistry(),
    router: new FrameRouter(logError),
    bus: cluster.bus,
    cluster,
    limits: {
      loginPerAddress: cluster.rateLimiter('login', loginRate.burst, loginRate.perSecond),
      failedLogin: cluster.rateLimiter('failed-login', failedLoginRate.burst, failedLoginRate.perSecond),
    },
    options: {
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
      sockets: socketLimits,
    },
    log: app.log,
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.retryAfter !== undefined) void reply.header('Retry-After', String(error.retryAfter));
      return reply.code(error.status).send(error.envelope);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const description =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The request body is too large.'
          : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Unsupported content type.'
            : 'The request could not be understood.';
      return reply.code(status).send(errorEnvelope(ErrorCode.BadRequest, description));
    }
    request.log.error({ err: { message: error.message, code: error.code } }, 'request failed');
    return reply.code(500).send(errorEnvelope(ErrorCode.UnspecifiedError));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorEnvelope(ErrorCode.InvalidEndpoint)));

  // Bodies of the login routes are parsed by the routes themselves (JSON5 and forms).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit: Limits.maxLoginBodyBytes },
    (_req, body, done) => done(null, body),
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: Limits.maxLoginBodyBytes },
    (_req, body, done) => {
      const fields: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(body as string)) {
        // A repeated field is ambiguous (which userId?): refuse it rather than pick one.
        if (Object.prototype.hasOwnProperty.call(fields, key)) {
          done(ApiError.badRequest(`The field ${key.slice(0, 40)} is given more than once.`), undefined);
          return;
        }
        // defineProperty: a `__proto__` field must stay a field (and be refused by the schema).
        Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
      }
      done(null, fields);
    },
  );

  await app.register(websocket, {
    options: {
      maxPayload: Limits.maxFrameBytes,
      handleProtocols: (protocols: Set<string>) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    },
  });

  // A trusted proxy's connections carry many clients: the per-address cap is for direct peers.
  const isTrustedProxy = trustedProxies ? addressMatcher(trustedProxies) : () => false;
  installConnectionGuard(app.server, app.websocketServer, connectionLimits, app.log, isTrustedProxy);
  installRequestTimeouts(app, connectionLimits);
  logFileLimit(app.log, connectionLimits.maxPerAddress);

  app.get('/healthz', async () => ({ ok: true, connections: context.connections.size }));
  registerLoginRoutes(app, context);
  registerSocketRoute(app, context);
  // --janus auto: a local Janus, started before the rooms need it and stopped after the server.
  const localJanus = await startLocalJanus(options.conference?.sfu, dataDir, app.log).catch(async (e: unknown) => {
    if (!options.store) await store.close();
    throw e;
  });
  const conference = registerConference(app, context, { ...options.conference, sfu: localJanus.sfu });
  registerPortal(app, context, packageRoot, {
    ...options.portal,
    publicUrl: options.publicUrl ?? options.portal?.publicUrl,
  });
  // A conference's files are for those in the call now, as its history is (chat-history.ts).
  const files = registerFiles(app, context, {
    dataDir,
    sharedStore,
    inConference: conferenceMembership((appId, conf) => conference.room(appId, conf), context.cluster),
    uploadIdleTimeoutMs: connectionLimits.uploadIdleTimeoutMs,
    options: options.files,
  });
  registerMessaging(app, context, { dataDir, messaging: options.messaging, vapid, files: files.remover });
  registerAssetRoutes(app, {
    scriptFile: options.scriptFile ?? join(packageRoot, 'dist', 'oovoo.min.js'),
    demoDir: options.demoDir === null ? undefined : (options.demoDir ?? join(packageRoot, 'demo')),
    demoTokenFile: join(dataDir, DEMO_TOKEN_FILE),
  });

  const accessWatcher = new AccessWatcher(context, options.accessCheckIntervalMs ?? 1000);
  apps.onAccessChange((appId) => accessWatcher.appChanged(appId));
  await accessWatcher.start();
  const stopSweep = startLivenessSweep(context);
  await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' }).catch(async (e: unknown) => {
    await localJanus.supervisor?.stop(); // a child process would keep a failed CLI alive
    throw e;
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  const host = options.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  let closed = false;
  return {
    app,
    store,
    apps,
    context,
    conference,
    files,
    janus: localJanus.supervisor,
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      if (closed) return;
      closed = true;
      stopSweep();
      accessWatcher.stop();
      for (const connection of context.connections.all()) connection.close(1001, 'server shutting down');
      await app.close();
      if (!options.store) await store.close();
      await cluster.close();
      await localJanus.supervisor?.stop();
    },
  };
}

/** Raises the open-file limit where allowed and logs it: each socket costs a descriptor. */
function logFileLimit(log: FastifyInstance['log'], maxPerAddress: number): void {
  const report = raiseFileLimit();
  if (!report.limit) {
    log.info(
      'open-file limit unknown on this system; raise it with ulimit -n or LimitNOFILE= if many sockets are expected',
    );
    return;
  }
  const { soft, hard } = report.limit;
  log.info({ soft, hard, how: report.how }, 'open-file limit');
  if (soft < Math.max(4096, maxPerAddress || CONNECTION_LIMIT_DEFAULTS.maxPerAddress)) {
    log.warn(
      { soft },
      'the open-file limit is low for many sockets: raise the hard limit (systemd LimitNOFILE=, or ulimit -Hn before start)',
    );
  }
}
