import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import {
  CloseCode,
  Limits,
  Paths,
  SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  literal,
  num,
  object,
  oneOf,
  optional,
  str,
  tokenFromProtocols,
  validate,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { ClientConnection } from '../connections.js';
import type { ServerContext } from '../context.js';
import { FrameGuard } from '../frame-guard.js';
import type { SessionClaims } from '../session-tokens.js';
import { authenticateSession } from './login.js';

const socketQuery = object({
  uid: str({ min: 1, max: Limits.maxUserIdLength }),
  app: optional(str({ max: 64 })),
  messaging: optional(oneOf(['0', '1'])),
});

declare module 'fastify' {
  interface FastifyRequest {
    oovooSession?: { claims: SessionClaims; messaging: boolean };
  }
}

function splitProtocols(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function registerSocketRoute(app: FastifyInstance, ctx: ServerContext): void {
  const frameGuard = new FrameGuard(ctx.options.sockets);
  ctx.router.on('ping', object({ t: literal('ping'), ts: num() }), (connection, frame) => {
    connection.send({ t: 'pong', ts: frame.ts });
  });
  ctx.router.on('pong', object({ t: literal('pong'), ts: num() }), () => undefined);

  app.register(async (scope) => {
    // Authentication happens here, before the upgrade: a refused socket gets an HTTP status and no WebSocket.
    scope.addHook('preValidation', async (request: FastifyRequest) => {
      const query = validate(socketQuery, request.query);
      if (!query.ok) throw ApiError.badRequest(`Invalid socket query: ${query.error.message}.`);
      const protocols = splitProtocols(request.headers['sec-websocket-protocol']);
      if (!protocols.includes(SUBPROTOCOL))
        throw ApiError.badRequest(`The WebSocket subprotocol must include ${SUBPROTOCOL}.`);
      const token = tokenFromProtocols(protocols, TOKEN_SUBPROTOCOL_PREFIX);
      if (!token) throw ApiError.invalidToken('No session token was given.');
      const claims = await authenticateSession(ctx, token, {
        uid: query.value.uid,
        appId: query.value.app,
        origin: request.headers.origin,
      });
      request.oovooSession = { claims, messaging: query.value.messaging === '1' };
    });

    scope.get(Paths.socket, { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
      const session = request.oovooSession;
      if (!session) {
        socket.close(CloseCode.PolicyViolation, 'not authenticated');
        return;
      }
      const connection = new ClientConnection(socket, session.claims, session.messaging, ctx.options.sockets);
      ctx.connections.add(connection);
      connection.send({
        t: 'welcome',
        uid: connection.uid,
        app: connection.appId,
        env: session.claims.env,
        connectionId: connection.id,
        messaging: connection.messaging,
        pingInterval: ctx.options.pingIntervalMs,
        pingTimeout: ctx.options.pingTimeoutMs,
        expiresAt: session.claims.exp,
      });
      socket.on('message', (data: RawData, isBinary: boolean) => onFrame(connection, data, isBinary));
      socket.on('pong', () => {
        connection.lastSeen = Date.now();
      });
      socket.on('error', (err) => ctx.log.debug({ err: err.message, connection: connection.id }, 'socket error'));
      socket.on('close', () => {
        connection.dispose();
        frameGuard.forget(connection);
        ctx.connections.remove(connection);
        ctx.router.closed(connection);
      });
      ctx.router.opened(connection);
    });
  });

  function onFrame(connection: ClientConnection, data: RawData, isBinary: boolean): void {
    connection.lastSeen = Date.now();
    // Frames still arriving after the server closed the socket are not handled.
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    if (isBinary) {
      connection.close(CloseCode.UnsupportedData, 'binary frames are not accepted');
      return;
    }
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      connection.close(CloseCode.InvalidPayload, 'frames must be JSON');
      return;
    }
    if (!frameGuard.admit(connection, value)) return;
    void ctx.router.dispatch(connection, value);
  }
}

/** Pings every socket; one that stayed silent past the timeout is terminated. Returns a stop function. */
export function startLivenessSweep(ctx: ServerContext): () => void {
  const timer = setInterval(() => {
    const deadline = Date.now() - ctx.options.pingIntervalMs - ctx.options.pingTimeoutMs;
    for (const connection of ctx.connections.all()) {
      if (connection.lastSeen < deadline) {
        connection.socket.terminate();
        continue;
      }
      try {
        connection.socket.ping();
      } catch {
        connection.socket.terminate();
      }
    }
  }, ctx.options.pingIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
