// The `oovoo-server` command line: its flags and how each turns into a server option.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConferenceOptions, type ConferenceOptions } from './conference/index.js';
import type { SfuOptions } from './conference/sfu-media.js';
import { AUTO_JANUS, type LocalJanusOptions } from './sfu/janus-supervisor.js';
import { PUSH_CLI_OPTIONS } from './messaging/push/push-cli.js';
import { NATIVE_PUSH_CLI_OPTIONS } from './messaging/push/native-push-cli.js';
import { STORAGE_CLI_OPTIONS } from './messaging/storage-cli.js';
import type { ServerOptions } from './server.js';
import { isPostgresUrl } from './store/postgres.js';
import { fastifyTrustProxy } from './trust-proxy.js';

/** A wrong flag or command: the CLI prints it with the usage and exits with 2. */
export class UsageError extends Error {}

export type Print = (text: string) => void;

export const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  store: { type: 'string' },
  redis: { type: 'string' },
  'session-ttl': { type: 'string' },
  'log-level': { type: 'string' },
  'mesh-max': { type: 'string' },
  grace: { type: 'string' },
  'stun-url': { type: 'string', multiple: true },
  'turn-url': { type: 'string', multiple: true },
  'turn-secret': { type: 'string' },
  janus: { type: 'string' },
  'janus-admin-key': { type: 'string' },
  'janus-rtp-ports': { type: 'string' },
  'janus-ice-interface': { type: 'string', multiple: true },
  'janus-public-ip': { type: 'string' },
  'sfu-from': { type: 'string' },
  'sfu-max': { type: 'string' },
  ...STORAGE_CLI_OPTIONS,
  ...PUSH_CLI_OPTIONS,
  ...NATIVE_PUSH_CLI_OPTIONS,
  'max-connections-per-address': { type: 'string' },
  'connection-timeout': { type: 'string' },
  'upload-timeout': { type: 'string' },
  'upload-idle-timeout': { type: 'string' },
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
  user: { type: 'string' },
  role: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Joins `--flag value` into `--flag=value` where the value starts with a dash and is not itself a
 * flag: parseArgs refuses such a value as ambiguous, and a token id is base64url, so one in 64
 * starts with "-".
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const takesValue = (arg: string) => {
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    return name !== undefined && (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string';
  };
  const isFlag = (arg: string) =>
    arg.startsWith('--') ? arg.slice(2).split('=')[0]! in OPTIONS : /^-[a-zA-Z]$/.test(arg);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (takesValue(arg) && next !== undefined && next.startsWith('-') && next !== '--' && !isFlag(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export function dataDir(values: Values): string {
  return resolve(values.data ?? process.env.OOVOO_DATA_DIR ?? '.oovoo-data');
}

/**
 * --redis or $OOVOO_REDIS_URL: a redis:// (or rediss://) URL making this node one of a cluster, which
 * needs the shared PostgreSQL store too; undefined for a single node.
 */
export function redisUrl(values: Values, store: string | undefined): string | undefined {
  const url = values.redis ?? process.env.OOVOO_REDIS_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new UsageError('--redis must be a redis:// or rediss:// URL');
  if (!store)
    throw new UsageError(
      '--redis joins this node to a cluster, whose nodes share one PostgreSQL store: give --store postgres://… too',
    );
  return url;
}

/** --store or $OOVOO_STORE_URL: a postgres:// URL, or undefined for SQLite in the data folder. */
export function storeUrl(values: Values): string | undefined {
  const url = values.store ?? process.env.OOVOO_STORE_URL;
  if (url === undefined || url === '') return undefined;
  if (!isPostgresUrl(url))
    throw new UsageError('--store must be a postgres:// URL (without it the store is SQLite in the data folder)');
  return url;
}

export function required(
  values: Values,
  name: 'name' | 'app' | 'type' | 'env' | 'token' | 'policy' | 'user',
  positional?: string,
): string {
  const v = (values[name] as string | undefined) ?? positional;
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

export function intOption(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
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

export function conferenceOptions(values: Values): ConferenceOptions {
  const options: ConferenceOptions = {
    meshMax: intOption(values['mesh-max'] ?? process.env.OOVOO_MESH_MAX, 'mesh-max', 6, 2, 64),
    graceMs: intOption(values.grace ?? process.env.OOVOO_GRACE_SECONDS, 'grace', 15, 0, 3600) * 1000,
    stunUrls: urlList(values['stun-url'], process.env.OOVOO_STUN_URLS),
    turnUrls: urlList(values['turn-url'], process.env.OOVOO_TURN_URLS),
    turnSecret: values['turn-secret'] ?? process.env.OOVOO_TURN_SECRET,
    maxRoomsPerConnection: intOption(values['max-rooms-per-connection'], 'max-rooms-per-connection', 8, 1, 10_000),
    maxRoomsPerUser: intOption(values['max-rooms-per-user'], 'max-rooms-per-user', 16, 1, 10_000),
    sfu: sfuOptions(values),
  };
  try {
    resolveConferenceOptions(options);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return options;
}

function sfuOptions(values: Values): SfuOptions | undefined {
  const janusUrl = values.janus ?? process.env.OOVOO_JANUS_URL;
  if (!janusUrl) return undefined;
  return {
    janusUrl,
    local: localJanusOptions(values, janusUrl),
    adminKey: values['janus-admin-key'] ?? process.env.OOVOO_JANUS_ADMIN_KEY,
    sfuFrom: intOption(values['sfu-from'], 'sfu-from', 5, 1, 1000),
    maxParticipants: intOption(values['sfu-max'], 'sfu-max', 50, 1, 1000),
  };
}

/** --janus-rtp-ports, --janus-ice-interface and --janus-public-ip (or $OOVOO_ variables), for --janus auto only. */
function localJanusOptions(values: Values, janusUrl: string): LocalJanusOptions | undefined {
  const ports = values['janus-rtp-ports'] ?? process.env.OOVOO_JANUS_RTP_PORTS;
  const iceInterfaces = urlList(values['janus-ice-interface'], process.env.OOVOO_JANUS_ICE_INTERFACES);
  const publicIp = values['janus-public-ip'] ?? process.env.OOVOO_JANUS_PUBLIC_IP;
  if (janusUrl !== AUTO_JANUS) {
    if (LOCAL_JANUS_FLAGS.some((flag) => values[flag] !== undefined))
      throw new UsageError(
        `${LOCAL_JANUS_FLAGS.map((f) => `--${f}`).join(', ')} are for --janus auto (a Janus we start)`,
      );
    return undefined;
  }
  if (publicIp !== undefined && isIP(publicIp) === 0)
    throw new UsageError('--janus-public-ip must be an IP address (the one browsers reach this machine at)');
  return {
    rtpPortRange: ports === undefined ? undefined : portRange(ports),
    iceInterfaces,
    ...(publicIp === undefined ? {} : { publicIp }),
  };
}

const LOCAL_JANUS_FLAGS = ['janus-rtp-ports', 'janus-ice-interface', 'janus-public-ip'] as const;

function portRange(raw: string): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(raw.trim());
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || min < 1024 || max > 65535 || max < min)
    throw new UsageError('--janus-rtp-ports must be a UDP port range like 20000-20199 (from 1024 to 65535)');
  return [min, max];
}

/** Connection and socket bounds from the start flags; what is not given keeps the server's default. */
export function boundsOptions(values: Values): Pick<ServerOptions, 'connectionLimits' | 'sockets'> {
  const timeoutS = values['connection-timeout'];
  const timeoutMs = timeoutS === undefined ? undefined : intOption(timeoutS, 'connection-timeout', 0, 1, 3600) * 1000;
  const seconds = (name: 'upload-timeout' | 'upload-idle-timeout', max: number) => {
    const raw = values[name];
    return raw === undefined ? undefined : intOption(raw, name, 0, 1, max) * 1000;
  };
  // At most 30 min: a partial upload's bytes untouched for an hour are a crash's (files/file-service.ts).
  const uploadTimeoutMs = seconds('upload-timeout', 1800);
  const uploadIdleTimeoutMs = seconds('upload-idle-timeout', 600);
  const perAddress = values['max-connections-per-address'];
  const bufferMax = values['send-buffer-max'];
  const rate = values['frame-rate'];
  const perSecond = rate === undefined ? undefined : intOption(rate, 'frame-rate', 0, 1, 1_000_000);
  return {
    connectionLimits: {
      uploadTimeoutMs,
      uploadIdleTimeoutMs,
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

/** --trust-proxy or $OOVOO_TRUST_PROXY, checked; undefined (off) when neither is set. */
export function trustProxyOption(values: Values): string[] | undefined {
  const raw = values['trust-proxy'] ?? process.env.OOVOO_TRUST_PROXY;
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return fastifyTrustProxy(raw) || undefined;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
