import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validate, type Check } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';

export const SESSION_COOKIE = 'oovoo_portal';
export const CSRF_HEADER = 'x-csrf-token';

/** One cookie's value from the Cookie header. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: httpOnly (scripts never see it), SameSite=Strict (no cross-site request carries it). */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** This server's own origin as browsers see it: the configured public URL, else scheme and Host of the request. */
export function ownOrigin(request: FastifyRequest, publicOrigin: string | undefined): string {
  return publicOrigin ?? `${request.protocol}://${request.host}`;
}

/**
 * Refuses requests a browser sent from another site. Browsers put Origin on every state-changing
 * fetch; scripts (curl) send none and are let through to the CSRF token check, which they pass only
 * with a session they signed in to themselves.
 */
export function checkSameOrigin(request: FastifyRequest, publicOrigin: string | undefined): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(request, publicOrigin)) {
    throw ApiError.notAuthorized('Cross-origin requests may not change anything here.');
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw ApiError.notAuthorized('Cross-site requests may not change anything here.');
  }
}

/** The double-submit check: the header must carry the session's CSRF token. */
export function checkCsrf(request: FastifyRequest, expected: string): void {
  const sent = request.headers[CSRF_HEADER];
  const a = Buffer.from(typeof sent === 'string' ? sent : '');
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw ApiError.notAuthorized(`Missing or wrong ${CSRF_HEADER} header; read the token from GET /api/v1/session.`);
  }
}

/**
 * A JSON body checked against a schema. Only application/json is taken: a cross-site form cannot
 * send it without a preflight, which this API never answers.
 */
export function jsonBody<T>(request: FastifyRequest, check: Check<T>): T {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw ApiError.badRequest('Send the body as application/json.');
  let value: unknown;
  try {
    value = JSON.parse(typeof request.body === 'string' ? request.body : '');
  } catch {
    throw ApiError.badRequest('The body is not valid JSON.');
  }
  const result = validate(check, value);
  if (!result.ok) throw ApiError.badRequest(`Invalid body: ${result.error.message}.`);
  return result.value;
}

/** A query string checked against a schema. */
export function queryOf<T>(request: FastifyRequest, check: Check<T>): T {
  const result = validate(check, { ...(request.query as object) });
  if (!result.ok) throw ApiError.badRequest(`Invalid query: ${result.error.message}.`);
  return result.value;
}

export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store');
}
