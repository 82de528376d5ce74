import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import JSON5 from 'json5';
import {
  ErrorCode,
  Limits,
  Paths,
  object,
  optional,
  str,
  oneOf,
  bool,
  validate,
  trimmed,
  userIdField,
  CONFERENCE_ROLES,
  type ErrorInfo,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { appTokenId } from '../app-tokens.js';
import type { ServerContext } from '../context.js';
import { checkCallbackUrl, originAllowed } from '../domains.js';
import { errorPage } from '../html.js';
import { secondsToWait } from '../rate-limit.js';
import { SessionTokenError } from '../session-tokens.js';
import type { AppRecord } from '../store/types.js';

// Trimmed, a number accepted: the same user id the SDK names (protocol/user-id.ts).
const userId = userIdField;
const shortParam = optional(str({ max: 32 }));

/** The redirect login: the spec's `ooVooClient.authorization` fields. */
const clientLoginFields = object({
  token: str({ min: 1, max: 200 }),
  userId,
  isSandbox: optional(oneOf(['true', 'false', '1', '0'])),
  callbackUrl: str({ min: 1, max: Limits.maxCallbackUrlLength }),
});

const directLoginBody = object({ token: str({ min: 1, max: 200 }), userId, isSandbox: optional(bool) });
const s2sQuery = object({
  // The spec's sample URL has a space after the token (`at={token} &ct=1`): trimmed like a user id.
  at: trimmed(str({ min: 1, max: 200 })),
  ct: shortParam,
  cst: shortParam,
  sv: shortParam,
  cv: shortParam,
});
// `role` is our addition beside the spec's `user_id`: host or participant (the default).
const s2sBody = object({ payload: object({ user_id: userId, role: optional(oneOf(CONFERENCE_ROLES)) }) });
const verifyBody = object({
  token: str({ min: 1, max: 4096 }),
  userId: optional(userId),
  appId: optional(str({ max: 64 })),
});

function clientAddress(request: FastifyRequest): string {
  return request.ip;
}

/** Counts a request against the per-address login limit (for the whole cluster). */
export async function limitAddress(ctx: ServerContext, request: FastifyRequest, route: string): Promise<void> {
  const waitMs = await ctx.limits.loginPerAddress.takeMs(`${route}|${clientAddress(request)}`);
  if (waitMs > 0) throw ApiError.tooManyRequests(secondsToWait(waitMs));
}

/**
 * Failed logins are limited per app and address, so one app's bad requests never lock out
 * another app's users behind the same address. Tokens we cannot place share one bucket.
 */
async function failureKey(
  ctx: ServerContext,
  request: FastifyRequest,
  route: string,
  appToken: string,
): Promise<string> {
  const id = appTokenId(appToken);
  const record = id ? await ctx.store.tokens.get(id) : undefined;
  return `${route}|${record?.appId ?? 'unknown-app'}|${clientAddress(request)}`;
}

/** Refuses while the key is throttled; otherwise runs the step, counting a failure against the key. */
async function limitingFailures<T>(ctx: ServerContext, key: string, step: () => Promise<T>): Promise<T> {
  // Peek: a throttled key stays throttled until its bucket refills.
  const waitMs = await ctx.limits.failedLogin.peekMs(key);
  if (waitMs > 0) throw ApiError.tooManyRequests(secondsToWait(waitMs));
  try {
    return await step();
  } catch (e) {
    if (e instanceof ApiError && e.status !== 429) await ctx.limits.failedLogin.takeMs(key);
    throw e;
  }
}

function sendError(reply: FastifyReply, e: unknown, asPage: boolean): FastifyReply {
  const error = e instanceof ApiError ? e : new ApiError(500, ErrorCode.UnspecifiedError);
  if (error.retryAfter !== undefined) void reply.header('Retry-After', String(error.retryAfter));
  void reply.code(error.status).header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
  if (asPage) return reply.type('text/html; charset=utf-8').send(errorPage(error.envelope.error as ErrorInfo));
  return reply.send(error.envelope);
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Adds t=<token> to a callback URL, keeping the rest of its query as written. */
function withSessionToken(url: URL, token: string): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !/^t(=|$)/.test(pair));
  kept.push(`t=${token}`);
  url.search = `?${kept.join('&')}`;
  return url.href;
}

export function registerLoginRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Client-side login. The SDK posts a form (no token in a URL); GET is accepted for hand-written links.
  const clientLogin = async (request: FastifyRequest, reply: FastifyReply) => {
    const asPage = !wantsJson(request);
    try {
      await limitAddress(ctx, request, 'client');
      const raw = request.method === 'GET' ? request.query : request.body;
      const parsed = validate(clientLoginFields, raw ?? {});
      if (!parsed.ok) throw ApiError.badRequest(`Invalid login request: ${parsed.error.message}.`);
      const fields = parsed.value;
      const key = await failureKey(ctx, request, 'client', fields.token);
      const redirect = await limitingFailures(ctx, key, async () => {
        const { app, token } = await ctx.apps.authenticate(fields.token);
        if (token.type !== 'web') throw ApiError.notAuthorized('Client-side login needs a web token.');
        // The spec's default for isSandbox is true.
        const sandbox = fields.isSandbox === undefined || fields.isSandbox === 'true' || fields.isSandbox === '1';
        if ((token.environment === 'sandbox') !== sandbox) {
          throw ApiError.wrongEnvironment(`This is a ${token.environment} token, but isSandbox is ${sandbox}.`);
        }
        assertClientLoginAllowed(app, token.environment);
        const callback = checkCallbackUrl(fields.callbackUrl, app.domains);
        if (!callback)
          throw ApiError.notAuthorized('callbackUrl is not an http(s) URL under a permitted domain of this app.');
        const session = await ctx.sessions.issue({
          app: app.id,
          uid: fields.userId,
          env: token.environment,
          tt: 'web',
          appToken: token.id,
        });
        return withSessionToken(callback, session);
      });
      return reply
        .code(302)
        .header('Location', redirect)
        .header('Referrer-Policy', 'no-referrer')
        .header('Cache-Control', 'no-store')
        .send();
    } catch (e) {
      return sendError(reply, e, asPage);
    }
  };
  app.get(Paths.clientLogin, clientLogin);
  app.post(Paths.clientLogin, { bodyLimit: Limits.maxLoginBodyBytes }, clientLogin);

  // Direct login: the client-side login without navigation. Same checks as the redirect flow, with
  // the page's Origin in place of the callback URL. Errors are readable cross-origin (they carry
  // nothing secret); a session token is only ever sent to a permitted origin.
  app.options(Paths.directLogin, async (request, reply) => corsPreflight(request, reply));
  app.post(Paths.directLogin, { bodyLimit: Limits.maxLoginBodyBytes }, async (request, reply) => {
    void reply.header('Access-Control-Allow-Origin', request.headers.origin ?? '*').header('Vary', 'Origin');
    try {
      await limitAddress(ctx, request, 'direct');
      const body = validate(directLoginBody, parseLenientJson(request.body));
      if (!body.ok) throw ApiError.badRequest(`Invalid body: ${body.error.message}.`);
      const key = await failureKey(ctx, request, 'direct', body.value.token);
      const session = await limitingFailures(ctx, key, async () => {
        const { app, token } = await ctx.apps.authenticate(body.value.token);
        if (token.type !== 'web') throw ApiError.notAuthorized('Direct login needs a web token.');
        const sandbox = body.value.isSandbox ?? true;
        if ((token.environment === 'sandbox') !== sandbox) {
          throw ApiError.wrongEnvironment(`This is a ${token.environment} token, but isSandbox is ${sandbox}.`);
        }
        assertClientLoginAllowed(app, token.environment);
        if (!originAllowed(request.headers.origin, app.domains, { allowBareHost: false })) {
          throw ApiError.notAuthorized('This page origin is not a permitted domain of the app.');
        }
        return ctx.sessions.issue({
          app: app.id,
          uid: body.value.userId,
          env: token.environment,
          tt: 'web',
          appToken: token.id,
        });
      });
      return reply.header('Cache-Control', 'no-store').send({ payload: { token: session } });
    } catch (e) {
      return sendError(reply, e, false);
    }
  });

  // Server-to-server login, as the spec's ASP.NET sample calls it.
  app.post(Paths.serverLogin, { bodyLimit: Limits.maxLoginBodyBytes }, async (request, reply) => {
    try {
      await limitAddress(ctx, request, 's2s');
      const query = validate(s2sQuery, request.query);
      if (!query.ok) throw ApiError.badRequest(`Invalid query: ${query.error.message}.`);
      const body = validate(s2sBody, parseLenientJson(request.body));
      if (!body.ok) throw ApiError.badRequest(`Invalid body: ${body.error.message}.`);
      const key = await failureKey(ctx, request, 's2s', query.value.at);
      const session = await limitingFailures(ctx, key, async () => {
        const { app, token } = await ctx.apps.authenticate(query.value.at);
        if (token.type !== 'web') throw ApiError.notAuthorized('Server-to-server login needs a web token.');
        const origin = request.headers.origin;
        if (!originAllowed(origin, app.domains, { allowBareHost: true })) {
          throw ApiError.notAuthorized('The Origin header is not a permitted domain of this app.');
        }
        const role = body.value.payload.role ?? 'participant';
        if (role === 'host') assertHostGrantable(app, token.environment);
        return ctx.sessions.issue({
          app: app.id,
          uid: body.value.payload.user_id,
          env: token.environment,
          tt: 'web',
          appToken: token.id,
          role,
        });
      });
      return reply.header('Cache-Control', 'no-store').send({ payload: { token: session } });
    } catch (e) {
      return sendError(reply, e, false);
    }
  });

  // Why a session token would be refused; a refused WebSocket upgrade tells scripts nothing.
  // Answered to any origin: it only judges a token the caller already holds.
  app.options(Paths.sessionVerify, async (request, reply) => corsPreflight(request, reply));
  app.post(Paths.sessionVerify, { bodyLimit: Limits.maxLoginBodyBytes }, async (request, reply) => {
    void reply.header('Access-Control-Allow-Origin', request.headers.origin ?? '*').header('Vary', 'Origin');
    try {
      await limitAddress(ctx, request, 'verify');
      const body = validate(verifyBody, parseLenientJson(request.body));
      if (!body.ok) throw ApiError.badRequest(`Invalid body: ${body.error.message}.`);
      const session = await authenticateSession(ctx, body.value.token, {
        uid: body.value.userId,
        appId: body.value.appId,
        origin: request.headers.origin,
      });
      return reply.header('Cache-Control', 'no-store').send({
        payload: { app: session.app, uid: session.uid, env: session.env, expiresAt: session.exp },
      });
    } catch (e) {
      return sendError(reply, e, false);
    }
  });
}

function corsPreflight(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(204)
    .header('Access-Control-Allow-Origin', request.headers.origin ?? '*')
    .header('Access-Control-Allow-Methods', 'POST')
    .header('Access-Control-Allow-Headers', 'content-type')
    .header('Access-Control-Max-Age', '600')
    .header('Vary', 'Origin')
    .send();
}

function assertClientLoginAllowed(app: AppRecord, environment: string): void {
  if (app.clientLogin === 'none') {
    throw ApiError.notAuthorized('Client-side login is turned off for this app; log users in server-to-server.');
  }
  if (app.clientLogin === 'sandbox' && environment !== 'sandbox') {
    throw ApiError.notAuthorized('Client-side login is allowed for sandbox tokens only in this app.');
  }
}

/**
 * A host session only from a token that client-side login refuses: a token client-side login
 * takes sits in the app's pages, and anyone holding it could make themselves a host.
 */
function assertHostGrantable(app: AppRecord, environment: string): void {
  if (app.clientLogin === 'none' || (app.clientLogin === 'sandbox' && environment !== 'sandbox')) return;
  throw ApiError.notAuthorized(
    `A host session needs a token that client-side login refuses (this ${environment} token can log in from a page, ` +
      'where anyone may read it): set the app\'s client-side login to "none", or to "sandbox" and use a production token.',
  );
}

/** Bodies arrive as text: JSON, or JSON5 (the spec's own sample uses single quotes). */
function parseLenientJson(body: unknown): unknown {
  if (typeof body !== 'string') throw ApiError.badRequest('The body must be JSON.');
  if (body.trim() === '') throw ApiError.badRequest('The body is empty.');
  try {
    return JSON.parse(body);
  } catch {
    try {
      return JSON5.parse(body);
    } catch {
      throw ApiError.badRequest('The body is not valid JSON.');
    }
  }
}

/**
 * Checks a session token as every entry point must: signature and expiry, the app still there
 * and not blocked, the app token that issued it not revoked, the user id it names, and for web tokens the page's origin
 * (unless `nativeApp`: the caller presented the app's native token, which stands in for a page's origin).
 */
export async function authenticateSession(
  ctx: ServerContext,
  token: string,
  expect: { uid?: string | undefined; appId?: string | undefined; origin?: string | undefined; nativeApp?: boolean },
) {
  let claims;
  try {
    claims = await ctx.sessions.verify(token);
  } catch (e) {
    if (e instanceof SessionTokenError) {
      throw ApiError.invalidToken(
        e.reason === 'expired' ? 'The session token has expired.' : 'The session token is not valid.',
      );
    }
    throw e;
  }
  if (expect.appId !== undefined && expect.appId !== claims.app)
    throw ApiError.invalidToken('The session token is for another app.');
  const app = await ctx.store.apps.get(claims.app);
  if (!app) throw ApiError.invalidToken('The session token is for an app that no longer exists.');
  if (app.blocked) throw ApiError.blockedApp();
  // Revoking the app token that issued a session ends the session (and refuses its reconnects).
  const issuer = await ctx.store.tokens.get(claims.atk);
  if (!issuer || issuer.appId !== claims.app || issuer.revokedAt !== null) {
    throw ApiError.invalidToken('The app token that issued this session was revoked.');
  }
  if (expect.uid !== undefined && expect.uid !== claims.uid) {
    throw ApiError.notAuthorized('The user id is not the one the session token was issued for.');
  }
  if (
    claims.tt === 'web' &&
    !expect.nativeApp &&
    !originAllowed(expect.origin, app.domains, { allowBareHost: false })
  ) {
    throw ApiError.notAuthorized('This page origin is not a permitted domain of the app.');
  }
  return claims;
}
