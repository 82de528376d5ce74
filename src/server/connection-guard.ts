import type { Server as HttpServer, ServerOptions as HttpServerOptions, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Bounds on TCP connections before they are WebSockets (reliability B2, F5): a connection that
 * is silent, drips its headers or body, or never completes its upgrade is closed within 10 s by
 * default, and one address may hold only so many connections at once. An upload's body alone may
 * take longer (a 10 MB file over a slow phone link): up to 10 min, as long as bytes keep coming.
 */
export interface ConnectionLimitOptions {
  /** A connection with no traffic either way for this long (before it is a WebSocket) is closed. Default 8 000 ms. */
  idleTimeoutMs?: number;
  /** Request headers (an upgrade's too) must have arrived within this. Default 8 000 ms. */
  headersTimeoutMs?: number;
  /** A whole request, body included, must have arrived within this (its body within this of its headers). Default 9 000 ms. */
  requestTimeoutMs?: number;
  /** An upload (`POST /1.0/files`) must have arrived whole within this. Default 600 000 ms (CLI: --upload-timeout). */
  uploadTimeoutMs?: number;
  /** An upload that sends no byte for this long is cut (408, nothing kept). Default 30 000 ms. */
  uploadIdleTimeoutMs?: number;
  /** A keep-alive connection idle between requests is closed after this. Default 5 000 ms. */
  keepAliveTimeoutMs?: number;
  /** An upgrade request must have become a WebSocket this long after its headers arrived. Default 9 000 ms. */
  upgradeTimeoutMs?: number;
  /** How often Node checks the header and request timeouts (they can be late by up to this). Default 1 000 ms. */
  timeoutCheckIntervalMs?: number;
  /** Most TCP connections open at once from one address; 0 for no cap. Default 1 000 (CLI: --max-connections-per-address). */
  maxPerAddress?: number;
}

export type ResolvedConnectionLimits = Required<ConnectionLimitOptions>;

export const CONNECTION_LIMIT_DEFAULTS: ResolvedConnectionLimits = {
  idleTimeoutMs: 8_000,
  headersTimeoutMs: 8_000,
  requestTimeoutMs: 9_000,
  uploadTimeoutMs: 600_000,
  uploadIdleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  upgradeTimeoutMs: 9_000,
  timeoutCheckIntervalMs: 1_000,
  maxPerAddress: 1_000,
};

/** Fills in defaults and checks the values; throws on one that cannot work. */
export function resolveConnectionLimits(options: ConnectionLimitOptions = {}): ResolvedConnectionLimits {
  const resolved = { ...CONNECTION_LIMIT_DEFAULTS, ...withoutUndefined(options) };
  for (const [name, value] of Object.entries(resolved)) {
    const min = name === 'maxPerAddress' ? 0 : 1;
    if (!Number.isInteger(value) || value < min)
      throw new Error(`connection limit ${name} must be an integer of at least ${min}`);
  }
  // Node refuses a headers timeout longer than the request timeout.
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs)
    throw new Error('headersTimeoutMs must not be longer than requestTimeoutMs');
  if (resolved.uploadIdleTimeoutMs > resolved.uploadTimeoutMs)
    throw new Error('uploadIdleTimeoutMs must not be longer than uploadTimeoutMs');
  return resolved;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Node's request timeout: the longer of a request's and an upload's. Other requests are held to
 * theirs by request-timeouts.ts (Node has one timeout for the whole server).
 */
export function nodeRequestTimeoutMs(limits: ResolvedConnectionLimits): number {
  return Math.max(limits.requestTimeoutMs, limits.uploadTimeoutMs);
}

/** The Fastify constructor options that carry the HTTP timeouts. */
export function fastifyTimeoutOptions(limits: ResolvedConnectionLimits): {
  connectionTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  http: HttpServerOptions;
} {
  return {
    // server.setTimeout: a socket without traffic is destroyed. ws clears it once a socket is a WebSocket.
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: nodeRequestTimeoutMs(limits),
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: nodeRequestTimeoutMs(limits),
      // Node checks the two timeouts above only this often (30 s by default, which let drips live 60–90 s).
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
  };
}

/**
 * Counts open TCP connections per remote address and cuts the ones past the cap at once; cuts an
 * upgrade that has not become a WebSocket in time (its socket left Node's HTTP timeouts when the
 * upgrade began). Install once, after the WebSocket plugin is registered.
 */
export function installConnectionGuard(
  server: HttpServer,
  websockets: WebSocketServer,
  limits: ResolvedConnectionLimits,
  log: FastifyBaseLogger,
  /** Peers the cap does not apply to: trusted proxies, whose connections carry many clients. */
  exempt: (address: string | undefined) => boolean = () => false,
): { openFrom(address: string): number } {
  const perAddress = new Map<string, number>();
  let refusedSinceLog = 0;
  let lastRefusalLog = 0;

  server.on('connection', (socket: Socket) => {
    if (limits.maxPerAddress === 0 || exempt(socket.remoteAddress)) return;
    const address = normalizeAddress(socket.remoteAddress);
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxPerAddress) {
      socket.destroy();
      refusedSinceLog++;
      // One line per 10 s at most: a flood must not flood the log too.
      const now = Date.now();
      if (now - lastRefusalLog > 10_000) {
        log.warn(
          { address, cap: limits.maxPerAddress, refused: refusedSinceLog },
          'connections refused: per-address cap reached',
        );
        lastRefusalLog = now;
        refusedSinceLog = 0;
      }
      return;
    }
    perAddress.set(address, open + 1);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });

  const upgradeTimers = new WeakMap<Duplex, NodeJS.Timeout>();
  server.prependListener('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    const timer = setTimeout(() => socket.destroy(), limits.upgradeTimeoutMs);
    timer.unref();
    upgradeTimers.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  websockets.on('connection', (_ws: WebSocket, request: IncomingMessage) => {
    clearTimeout(upgradeTimers.get(request.socket));
  });

  return { openFrom: (address) => perAddress.get(normalizeAddress(address)) ?? 0 };
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same peer. */
function normalizeAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
