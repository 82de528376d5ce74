import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClientLoginPolicy, Environment, TokenType } from '../protocol/index.js';
import { ApiError } from './api-error.js';
import { AppService, type IssuedToken } from './apps.js';
import { resolveConferenceOptions, type ConferenceOptions } from './conference/index.js';
import { DEMO_TOKEN_FILE } from './routes/assets.js';
import { createServer, type ServerOptions } from './server.js';
import { adminCommand } from './portal/admin-command.js';
import {
  PUSH_CLI_OPTIONS,
  PUSH_CLI_USAGE_NOTES,
  PUSH_CLI_USAGE_START,
  pushOptionsFromCli,
} from './messaging/push/push-cli.js';
import {
  STORAGE_CLI_OPTIONS,
  STORAGE_CLI_USAGE_APP,
  STORAGE_CLI_USAGE_NOTES,
  STORAGE_CLI_USAGE_START,
  messageTtlDaysFromCli,
  storageOptionsFromCli,
} from './messaging/storage-cli.js';
import { parsePublicUrl } from './portal/public-url.js';
import { openSqliteStore } from './store/sqlite.js';
import { fastifyTrustProxy } from './trust-proxy.js';
import type { AppRecord } from './store/types.js';

const USAGE = `oovoo-server: the oovoo-elements server

Usage:
  oovoo-server start [--port 8080] [--host 127.0.0.1] [--data DIR] [--session-ttl SECONDS] [--log-level info]
                     [--mesh-max 6] [--grace SECONDS] [--stun-url URL ...] [--turn-url URL ...] [--turn-secret SECRET]
                     [--public-url https://chat.example.com] [--trust-proxy ADDRESS|CIDR[,...]]
                     [--max-connections-per-address 1000] [--connection-timeout SECONDS] [--send-buffer-max BYTES]
                     [--frame-rate PER_SECOND] [--max-rooms-per-connection 8] [--max-rooms-per-user 16]
${STORAGE_CLI_USAGE_START}
${PUSH_CLI_USAGE_START}
  oovoo-server app create --name NAME --domain HOST[:PORT] [--domain ...] [--client-login all|sandbox|none] [--json]
  oovoo-server app list [--json]
  oovoo-server app domain add|remove --app APP_ID --domain HOST[:PORT] [--json]
  oovoo-server app block|unblock --app APP_ID [--json]
  oovoo-server app client-login --app APP_ID --policy all|sandbox|none [--json]
${STORAGE_CLI_USAGE_APP}
  oovoo-server token create --app APP_ID --type web|native --env sandbox|production [--json]
  oovoo-server token revoke --app APP_ID --token TOKEN_OR_ID [--json]
  oovoo-server token list --app APP_ID [--json]
  oovoo-server admin create --email EMAIL --password PASSWORD [--json]   (a portal operator: sees every app, can block one)

Every command takes --data DIR (default: $OOVOO_DATA_DIR or ./.oovoo-data).
A domain without a port permits every port of that host.
Conference options also come from $OOVOO_MESH_MAX, $OOVOO_GRACE_SECONDS, $OOVOO_STUN_URLS and $OOVOO_TURN_URLS
(comma-separated) and $OOVOO_TURN_SECRET (coturn's static-auth-secret: clients get TURN REST credentials).
${STORAGE_CLI_USAGE_NOTES}
${PUSH_CLI_USAGE_NOTES}
--public-url (or $OOVOO_PUBLIC_URL) is the origin browsers use (behind a proxy): links in portal mail name it;
without it they name the listening address.
--trust-proxy (or $OOVOO_TRUST_PROXY) names the reverse proxies (addresses, CIDRs, loopback) whose X-Forwarded-For
gives the client's address for per-address limits; off by default, so no client can choose its own address.
Bounds: --max-connections-per-address caps open TCP connections from one address (0: no cap; raise it behind a
proxy that is not trusted, or for load tests from one machine); --connection-timeout closes a connection that is
silent, slow to send its request or its upgrade (default: within 10 s); --send-buffer-max closes a WebSocket whose
reader falls that far behind (default 1048576); --frame-rate limits frames per connection (default 500/s, burst 2 s).
`;

class UsageError extends Error {}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  'session-ttl': { type: 'string' },
  'log-level': { type: 'string' },
  'mesh-max': { type: 'string' },
  grace: { type: 'string' },
  'stun-url': { type: 'string', multiple: true },
  'turn-url': { type: 'string', multiple: true },
  'turn-secret': { type: 'string' },
  ...STORAGE_CLI_OPTIONS,
  ...PUSH_CLI_OPTIONS,
  'max-connections-per-address': { type: 'string' },
  'connection-timeout': { type: 'string' },
  'send-buffer-max': { type: 'string' },
  'frame-rate': { type: 'string' },
  'max-rooms-per-connection': { type: 'string' },
  'max-rooms-per-user': { type: 'string' },
  'public-url': { type: 'string' },
  'trust-proxy': { type: 'string' },
  name: { type: 'string' },
  domain: { type: 'string', multiple: true },
  'client-login': { type: 'string' },
  policy: { type: 'string' },
  app: { type: 'string' },
  type: { type: 'string' },
  env: { type: 'string' },
  token: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function dataDir(values: Values): string {
  return resolve(values.data ?? process.env.OOVOO_DATA_DIR ?? '.oovoo-data');
}

function required(
  values: Values,
  name: 'name' | 'app' | 'type' | 'env' | 'token' | 'policy',
  positional?: string,
): string {
  const v = (values[name] as string | undefined) ?? positional;
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

function intOption(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

function appSummary(app: AppRecord) {
  return {
    appId: app.id,
    name: app.name,
    domains: app.domains,
    blocked: app.blocked,
    clientLogin: app.clientLogin,
    ...(app.messageTtlDays === undefined ? {} : { messageTtlDays: app.messageTtlDays }),
  };
}

function tokenLines(tokens: readonly IssuedToken[]): string {
  return tokens.map((t) => `  ${t.type.padEnd(6)} ${t.environment.padEnd(10)} ${t.token}`).join('\n');
}

function urlList(values: string[] | undefined, env: string | undefined): string[] {
  return (
    values ??
    (env
      ? env
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean)
      : [])
  );
}

function conferenceOptions(values: Values): ConferenceOptions {
  const options: ConferenceOptions = {
    meshMax: intOption(values['mesh-max'] ?? process.env.OOVOO_MESH_MAX, 'mesh-max', 6, 2, 64),
    graceMs: intOption(values.grace ?? process.env.OOVOO_GRACE_SECONDS, 'grace', 15, 0, 3600) * 1000,
    stunUrls: urlList(values['stun-url'], process.env.OOVOO_STUN_URLS),
    turnUrls: urlList(values['turn-url'], process.env.OOVOO_TURN_URLS),
    turnSecret: values['turn-secret'] ?? process.env.OOVOO_TURN_SECRET,
    maxRoomsPerConnection: intOption(values['max-rooms-per-connection'], 'max-rooms-per-connection', 8, 1, 10_000),
    maxRoomsPerUser: intOption(values['max-rooms-per-user'], 'max-rooms-per-user', 16, 1, 10_000),
  };
  try {
    resolveConferenceOptions(options);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return options;
}

/** Connection and socket bounds from the start flags; what is not given keeps the server's default. */
function boundsOptions(values: Values): Pick<ServerOptions, 'connectionLimits' | 'sockets'> {
  const timeoutS = values['connection-timeout'];
  const timeoutMs = timeoutS === undefined ? undefined : intOption(timeoutS, 'connection-timeout', 0, 1, 3600) * 1000;
  const perAddress = values['max-connections-per-address'];
  const bufferMax = values['send-buffer-max'];
  const rate = values['frame-rate'];
  const perSecond = rate === undefined ? undefined : intOption(rate, 'frame-rate', 0, 1, 1_000_000);
  return {
    connectionLimits: {
      maxPerAddress:
        perAddress === undefined ? undefined : intOption(perAddress, 'max-connections-per-address', 0, 0, 10_000_000),
      ...(timeoutMs === undefined
        ? {}
        : {
            idleTimeoutMs: timeoutMs,
            headersTimeoutMs: timeoutMs,
            requestTimeoutMs: timeoutMs,
            upgradeTimeoutMs: timeoutMs,
          }),
    },
    sockets: {
      sendBufferMaxBytes:
        bufferMax === undefined ? undefined : intOption(bufferMax, 'send-buffer-max', 0, 71_680, 2 ** 31 - 1),
      frameRate: perSecond === undefined ? undefined : { burst: perSecond * 2, perSecond },
    },
  };
}

type Print = (text: string) => void;

async function withApps<T>(values: Values, run: (apps: AppService) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(dataDir(values));
  try {
    return await run(new AppService(store));
  } finally {
    await store.close();
  }
}

/** --trust-proxy or $OOVOO_TRUST_PROXY, checked; undefined (off) when neither is set. */
function trustProxyOption(values: Values): string[] | undefined {
  const raw = values['trust-proxy'] ?? process.env.OOVOO_TRUST_PROXY;
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return fastifyTrustProxy(raw) || undefined;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function start(values: Values, print: Print): Promise<void> {
  const port = intOption(values.port ?? process.env.PORT, 'port', 8080, 0, 65535);
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  const sessionTtlSeconds = intOption(
    values['session-ttl'] ?? process.env.OOVOO_SESSION_TTL,
    'session-ttl',
    3600,
    60,
    30 * 24 * 3600,
  );
  const publicUrl = values['public-url'] ?? process.env.OOVOO_PUBLIC_URL;
  if (publicUrl !== undefined) {
    try {
      parsePublicUrl(publicUrl);
    } catch (e) {
      throw new UsageError(`--public-url: ${(e as Error).message}`);
    }
  }
  const server = await createServer({
    dataDir: dataDir(values),
    port,
    host,
    sessionTtlSeconds,
    publicUrl,
    trustProxy: trustProxyOption(values),
    logLevel: values['log-level'] ?? process.env.OOVOO_LOG_LEVEL ?? 'info',
    conference: conferenceOptions(values),
    messaging: {
      storage: storageOptionsFromCli(values, (m) => new UsageError(m)),
      push: pushOptionsFromCli(values, (m) => new UsageError(m)),
    },
    ...boundsOptions(values),
  });
  if ((await server.store.apps.count()) === 0) {
    const { app, tokens } = await server.apps.create({ name: 'Development app', domains: ['localhost', '127.0.0.1'] });
    const web = tokens.filter((t) => t.type === 'web');
    const sandbox = web.find((t) => t.environment === 'sandbox')!;
    // The markup-only demo at / signs in with this token (see routes/assets.ts).
    writeFileSync(join(dataDir(values), DEMO_TOKEN_FILE), `${sandbox.token}\n`, { mode: 0o600 });
    print(
      `\nCreated a development app for localhost and 127.0.0.1 (any port).\n` +
        `App ID: ${app.id}\nWeb tokens (shown once; keep them):\n${tokenLines(web)}\n\n` +
        `Demo: ${server.url}/ (signs in with the sandbox token; open it in two tabs)\n`,
    );
  }
  print(`oovoo-server listening on ${server.url} (data: ${dataDir(values)}); developer portal: ${server.url}/portal`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function appCommand(sub: string | undefined, rest: string[], values: Values, print: Print): Promise<void> {
  const json = values.json === true;
  const out = (data: unknown, text: string) => print(json ? JSON.stringify(data) : text);
  switch (sub) {
    case 'create': {
      const name = required(values, 'name');
      const domains = values.domain ?? [];
      if (domains.length === 0) throw new UsageError('at least one --domain is required');
      const { app, tokens } = await withApps(values, (apps) =>
        apps.create({ name, domains, clientLogin: values['client-login'] as ClientLoginPolicy | undefined }),
      );
      out(
        {
          appId: app.id,
          name: app.name,
          domains: app.domains,
          tokens: tokens.map(({ token, type, environment }) => ({ token, type, environment })),
        },
        `App ID: ${app.id}\nName: ${app.name}\nDomains: ${app.domains.join(', ')}\nTokens (shown once; keep them):\n${tokenLines(tokens)}`,
      );
      return;
    }
    case 'list': {
      const list = await withApps(values, (apps) => apps.list());
      out(
        list.map(appSummary),
        list.length === 0
          ? 'No apps.'
          : list
              .map(
                (a) =>
                  `${a.id}  ${a.name}  [${a.domains.join(', ')}]${a.blocked ? '  BLOCKED' : ''}  client-login=${a.clientLogin}`,
              )
              .join('\n'),
      );
      return;
    }
    case 'domain': {
      const action = rest[0];
      if (action !== 'add' && action !== 'remove') throw new UsageError('app domain takes add or remove');
      const appId = required(values, 'app', rest[1]);
      const domains = values.domain ?? [];
      if (domains.length === 0) throw new UsageError('--domain is required');
      const app = await withApps(values, async (apps) => {
        let updated: AppRecord | undefined;
        for (const d of domains)
          updated = action === 'add' ? await apps.addDomain(appId, d) : await apps.removeDomain(appId, d);
        return updated!;
      });
      out(appSummary(app), `Domains of ${app.id}: ${app.domains.join(', ') || '(none)'}`);
      return;
    }
    case 'block':
    case 'unblock': {
      const appId = required(values, 'app', rest[0]);
      const app = await withApps(values, (apps) => apps.setBlocked(appId, sub === 'block'));
      out(appSummary(app), `${app.id} is ${app.blocked ? 'blocked' : 'not blocked'}`);
      return;
    }
    case 'client-login': {
      const appId = required(values, 'app', rest[0]);
      const policy = required(values, 'policy', rest[1]) as ClientLoginPolicy;
      const app = await withApps(values, (apps) => apps.setClientLogin(appId, policy));
      out(appSummary(app), `Client-side login for ${app.id}: ${app.clientLogin}`);
      return;
    }
    case 'message-ttl': {
      const appId = required(values, 'app', rest[0]);
      const days = messageTtlDaysFromCli(values, (m) => new UsageError(m));
      const app = await withApps(values, (apps) => apps.setMessageTtl(appId, days));
      out(
        appSummary(app),
        `Undelivered messages of ${app.id} wait ${app.messageTtlDays === undefined ? "the server's default" : `${app.messageTtlDays} days`}`,
      );
      return;
    }
    default:
      throw new UsageError(`unknown app command ${sub ?? '(none)'}`);
  }
}

async function tokenCommand(sub: string | undefined, rest: string[], values: Values, print: Print): Promise<void> {
  const json = values.json === true;
  const out = (data: unknown, text: string) => print(json ? JSON.stringify(data) : text);
  const appId = required(values, 'app', rest[0]);
  switch (sub) {
    case 'create': {
      const type = required(values, 'type') as TokenType;
      const env = required(values, 'env') as Environment;
      const t = await withApps(values, (apps) => apps.createToken(appId, type, env));
      out(
        { appId, id: t.id, token: t.token, type: t.type, environment: t.environment },
        `Token (shown once; keep it):\n${tokenLines([t])}`,
      );
      return;
    }
    case 'revoke': {
      const token = required(values, 'token', rest[1]);
      await withApps(values, (apps) => apps.revokeToken(appId, token));
      out({ appId, revoked: true }, 'Token revoked.');
      return;
    }
    case 'list': {
      const list = await withApps(values, (apps) => apps.listTokens(appId));
      const rows = list.map((t) => ({
        id: t.id,
        type: t.type,
        environment: t.environment,
        createdAt: t.createdAt,
        revoked: t.revokedAt !== null,
      }));
      out(
        rows,
        rows
          .map((r) => `${r.id}  ${r.type.padEnd(6)} ${r.environment.padEnd(10)} ${r.revoked ? 'revoked' : 'live'}`)
          .join('\n') || 'No tokens.',
      );
      return;
    }
    default:
      throw new UsageError(`unknown token command ${sub ?? '(none)'}`);
  }
}

/** Runs the CLI; returns the exit code (start keeps the process alive). */
export async function main(
  argv: string[],
  print: Print = (t) => process.stdout.write(`${t}\n`),
  printError: Print = (t) => process.stderr.write(`${t}\n`),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    printError(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    print(USAGE);
    return command ? 0 : 2;
  }
  try {
    if (command === 'start') await start(values, print);
    else if (command === 'app') await appCommand(sub, rest, values, print);
    else if (command === 'token') await tokenCommand(sub, rest, values, print);
    else if (command === 'admin')
      await adminCommand(
        sub,
        {
          dataDir: dataDir(values),
          email: values.email,
          password: values.password ?? process.env.OOVOO_ADMIN_PASSWORD,
          json: values.json === true,
        },
        print,
        (m) => new UsageError(m),
      );
    else throw new UsageError(`unknown command ${command}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      printError(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ApiError) {
      const err = e.envelope.error;
      printError(values.json ? JSON.stringify(e.envelope) : `error ${err.code} ${err.name}: ${err.description}`);
      return 1;
    }
    printError(`error: ${(e as Error).message}`);
    return 1;
  }
}
