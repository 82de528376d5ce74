import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from './api-error.js';
import { appCommand, tokenCommand, tokenLines } from './cli-apps.js';
import { SESSION_CLI_USAGE, sessionCommand } from './cli-sessions.js';
import {
  OPTIONS,
  UsageError,
  joinDashValues,
  boundsOptions,
  conferenceOptions,
  dataDir,
  intOption,
  storeUrl,
  redisUrl,
  trustProxyOption,
  type Print,
  type Values,
} from './cli-options.js';
import { DEMO_TOKEN_FILE } from './routes/assets.js';
import { createServer } from './server.js';
import { adminCommand } from './portal/admin-command.js';
import { PUSH_CLI_USAGE_NOTES, PUSH_CLI_USAGE_START, pushOptionsFromCli } from './messaging/push/push-cli.js';
import { NATIVE_PUSH_CLI_USAGE, pushCommand } from './messaging/push/native-push-cli.js';
import {
  STORAGE_CLI_USAGE_APP,
  STORAGE_CLI_USAGE_NOTES,
  STORAGE_CLI_USAGE_START,
  storageOptionsFromCli,
} from './messaging/storage-cli.js';
import { parsePublicUrl } from './portal/public-url.js';

const USAGE = `oovoo-server: the oovoo-elements server

Usage:
  oovoo-server start [--port 8080] [--host 127.0.0.1] [--data DIR] [--store postgres://…] [--redis redis://…] [--session-ttl SECONDS] [--log-level info]
                     [--mesh-max 6] [--grace SECONDS] [--stun-url URL ...] [--turn-url URL ...] [--turn-secret SECRET]
                     [--public-url https://chat.example.com] [--trust-proxy ADDRESS|CIDR[,...]]
                     [--max-connections-per-address 1000] [--connection-timeout SECONDS] [--send-buffer-max BYTES]
                     [--upload-timeout 600] [--upload-idle-timeout 30]
                     [--frame-rate PER_SECOND] [--max-rooms-per-connection 8] [--max-rooms-per-user 16]
                     [--janus ws://127.0.0.1:8188|auto] [--janus-admin-key KEY] [--sfu-from 5] [--sfu-max 50]
                     [--janus-rtp-ports 20000-40000] [--janus-ice-interface NAME ...] [--janus-public-ip IP]
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
${SESSION_CLI_USAGE}
${NATIVE_PUSH_CLI_USAGE}
  oovoo-server admin create --email EMAIL --password PASSWORD [--json]   (a portal operator: sees every app, can block one)

Every command takes --data DIR (default: $OOVOO_DATA_DIR or ./.oovoo-data) and --store URL (or $OOVOO_STORE_URL):
a postgres:// URL keeps everything in that PostgreSQL database, which several server nodes may share; it needs
$OOVOO_SESSION_SECRET (the same on every node, 32+ bytes hex or base64). Without it the store is SQLite in --data.
--redis (or $OOVOO_REDIS_URL) makes this node one of several behind a load balancer, sharing that Redis (messages
between nodes, which node holds each conference, presence, rate limits) and the --store PostgreSQL database.
A domain without a port permits every port of that host.
Conference options also come from $OOVOO_MESH_MAX, $OOVOO_GRACE_SECONDS, $OOVOO_STUN_URLS and $OOVOO_TURN_URLS
(comma-separated) and $OOVOO_TURN_SECRET (coturn's static-auth-secret: clients get TURN REST credentials).
${STORAGE_CLI_USAGE_NOTES}
${PUSH_CLI_USAGE_NOTES}
--janus (or $OOVOO_JANUS_URL) names Janus's WebSocket transport (loopback or a private address): a conference whose
joins reach --sfu-from participants moves from the mesh to Janus, up to --sfu-max; without it rooms stay a mesh
within --mesh-max. --janus-admin-key (or $OOVOO_JANUS_ADMIN_KEY) is the VideoRoom plugin's admin_key.
--janus auto starts Janus here (the Debian package janus) with a config in DATA/janus, on a free loopback port
with a generated admin key, restarts it if it exits and stops it with the server; --janus-rtp-ports (or
$OOVOO_JANUS_RTP_PORTS) is its UDP media range, open it to browsers; --janus-ice-interface (or
$OOVOO_JANUS_ICE_INTERFACES, comma-separated) names the only interfaces it offers candidates on;
--janus-public-ip (or $OOVOO_JANUS_PUBLIC_IP) is the address browsers reach this machine at behind 1:1 NAT
(a cloud VM): Janus puts it in its candidates (nat_1_1_mapping).
--public-url (or $OOVOO_PUBLIC_URL) is the origin browsers use (behind a proxy): links in portal mail name it;
without it they name the listening address.
--trust-proxy (or $OOVOO_TRUST_PROXY) names the reverse proxies (addresses, CIDRs, loopback) whose X-Forwarded-For
gives the client's address for per-address limits; off by default, so no client can choose its own address.
Bounds: --max-connections-per-address caps open TCP connections from one address (0: no cap; raise it behind a
proxy that is not trusted, or for load tests from one machine); --connection-timeout closes a connection that is
silent, slow to send its request or its upgrade (default: within 10 s); a file upload (POST /1.0/files) may
instead take up to --upload-timeout seconds (default 600, at most 1800) while it never stops for
--upload-idle-timeout seconds (default 30); --send-buffer-max closes a WebSocket whose
reader falls that far behind (default 1048576); --frame-rate limits frames per connection (default 500/s, burst 2 s).
`;

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
    storeUrl: storeUrl(values),
    redisUrl: redisUrl(values, storeUrl(values)),
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

/** Runs the CLI; returns the exit code (start keeps the process alive). */
export async function main(
  argv: string[],
  print: Print = (t) => process.stdout.write(`${t}\n`),
  printError: Print = (t) => process.stderr.write(`${t}\n`),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: joinDashValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
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
    else if (command === 'session') await sessionCommand(sub, values, print);
    else if (command === 'push') await pushCommand(sub, rest, values, print);
    else if (command === 'admin')
      await adminCommand(
        sub,
        {
          dataDir: dataDir(values),
          storeUrl: storeUrl(values),
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
