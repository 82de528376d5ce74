import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FilePaths } from '../protocol/index.js';
import { nodeRequestTimeoutMs, type ResolvedConnectionLimits } from './connection-guard.js';

/** What Node itself writes when a request times out (the socket closes after it). */
const REQUEST_TIMEOUT_RESPONSE = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/** `POST /1.0/files`: the one request whose body may take minutes (files/file-routes.ts). */
export function isUpload(request: FastifyRequest): boolean {
  return request.method === 'POST' && request.routeOptions.url === FilePaths.upload;
}

/**
 * Node has one request timeout per server, raised to the upload allowance (connection-guard.ts);
 * this holds every other request to the connection timeout as before: a body not whole
 * `requestTimeoutMs` after its headers gets Node's own answer (408) and the socket closes. An
 * upload instead may last as long as it keeps moving: the socket's idle timeout gives way to the
 * upload's own idle limit (file-routes.ts), which answers 408 itself.
 */
export function installRequestTimeouts(app: FastifyInstance, limits: ResolvedConnectionLimits): void {
  const nodeCovers = limits.requestTimeoutMs >= nodeRequestTimeoutMs(limits);
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    // An upgrade has its own timer (connection-guard.ts) and then lives long as a WebSocket.
    if (raw.complete || raw.headers.upgrade !== undefined) return done();
    if (isUpload(request)) {
      // A backstop only: the route's idle limit answers first. The socket closes after the answer.
      raw.socket.setTimeout(limits.uploadIdleTimeoutMs * 2);
      return done();
    }
    if (nodeCovers) return done();
    const timer = setTimeout(() => {
      const socket = raw.socket;
      if (raw.complete || socket.destroyed) return;
      if (reply.raw.headersSent) socket.destroy();
      else socket.end(REQUEST_TIMEOUT_RESPONSE, () => socket.destroy());
    }, limits.requestTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
    done();
  });
}
