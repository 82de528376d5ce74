import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ErrorCode,
  FileLimits,
  arrayOf,
  bool,
  num,
  object,
  oneOf,
  optional,
  str,
  type Check,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { CLIENT_LOGIN_POLICIES, ENVIRONMENTS, MAX_FILE_QUOTA, MESSAGE_TTL_DAYS, TOKEN_TYPES } from '../apps.js';
import type { ServerContext } from '../context.js';
import { RateLimiter } from '../rate-limit.js';
import { HISTORY_DAYS } from '../store/history-store.js';
import type { AccountRecord, PortalSessionRecord } from '../store/portal-store.js';
import type { AppRecord } from '../store/types.js';
import { AccountService, PASSWORD_MAX, SESSION_TTL_MS, accountView, normalizeEmail } from './accounts.js';
import {
  SESSION_COOKIE,
  checkCsrf,
  checkSameOrigin,
  jsonBody,
  noStore,
  ownOrigin,
  queryOf,
  readCookie,
  sessionCookie,
} from './http.js';
import type { PortalOptions, PortalRate } from './options.js';
import type { PasswordResets } from './password-reset.js';
import { listeningOrigin, parsePublicUrl } from './public-url.js';
import { USAGE_RANGES, usageCsv, usageReport, type UsageRange } from './usage.js';
import { registerTestSessions } from './test-sessions.js';
import { registerPushSettings } from './push-settings.js';
import { appView, tokenView } from './views.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const credentials = object({ email: str({ min: 1, max: 254 }), password: str({ min: 1, max: PASSWORD_MAX }) });
const appName = str({ min: 1, max: 200 });
const domain = str({ min: 1, max: 262 });
const createAppBody = object({ name: appName, domains: optional(arrayOf(domain, { max: 50 })) });
const ttlDays = num({ ...MESSAGE_TTL_DAYS, integer: true });
/** Days undelivered messages wait; null: the server's default. */
const messageTtlDays: Check<number | null> = (v, path) => (v === null ? null : ttlDays(v, path));
const patchAppBody = object({
  name: optional(appName),
  clientLogin: optional(oneOf(CLIENT_LOGIN_POLICIES)),
  messageTtlDays: optional(messageTtlDays),
  /** Days conversations' history is kept; 0 keeps none. */
  historyDays: optional(num({ min: HISTORY_DAYS.min, max: HISTORY_DAYS.max, integer: true })),
  /** The largest chat file and what one user may keep, in bytes (files/). */
  fileMaxBytes: optional(num({ min: 1, max: FileLimits.maxMaxBytes, integer: true })),
  fileQuotaBytes: optional(num({ min: 0, max: MAX_FILE_QUOTA, integer: true })),
});
const domainBody = object({ domain });
const tokenBody = object({ type: oneOf(TOKEN_TYPES), environment: oneOf(ENVIRONMENTS) });
const blockedBody = object({ blocked: bool });
const usageQuery = object({ days: optional(oneOf(USAGE_RANGES.map(String))) });
const verifyQuery = object({ token: str({ min: 1, max: 200 }) });
const resetRequestBody = object({ email: str({ min: 1, max: 254 }) });
const resetBody = object({ token: str({ min: 1, max: 200 }), password: str({ min: 1, max: PASSWORD_MAX }) });
const APP_ID = /^[\w-]{1,64}$/;

interface SignedIn {
  readonly account: AccountRecord;
  readonly session: PortalSessionRecord;
}

/** The account rules the routes call. */
export interface PortalServices {
  readonly accounts: AccountService;
  readonly resets: PasswordResets;
}

function limiter(rate: PortalRate, now: () => number): RateLimiter {
  return new RateLimiter(rate.burst, rate.perSecond, 100_000, now);
}

/** The portal's HTTP API under /api/v1: accounts and sessions, the signed-in developer's apps, usage. */
export function registerPortalApi(
  app: FastifyInstance,
  ctx: ServerContext,
  services: PortalServices,
  options: PortalOptions,
): void {
  const { accounts, resets } = services;
  const publicOrigin = options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  const now = options.now ?? Date.now;
  const perAddress = limiter(options.signInRate ?? { burst: 30, perSecond: 0.5 }, now);
  const failures = limiter(options.failedSignInRate ?? { burst: 5, perSecond: 1 / 60 }, now);
  const resetsPerAddress = limiter(options.passwordResetRate ?? { burst: 10, perSecond: 10 / 3600 }, now);
  const resetsPerEmail = limiter(options.passwordResetMailRate ?? { burst: 3, perSecond: 3 / 3600 }, now);

  // Links in mail name the configured public origin, else the listening address: never the
  // request's Host (or X-Forwarded-Host), which whoever sends the request chooses.
  const mailOrigin = () => publicOrigin ?? listeningOrigin(app.server.address());
  const secure = (request: FastifyRequest) => ownOrigin(request, publicOrigin).startsWith('https:');

  function limit(limiter: RateLimiter, key: string, peek = false): void {
    const wait = peek ? limiter.peek(key) : limiter.take(key);
    if (wait > 0) throw ApiError.tooManyRequests(wait);
  }

  async function signedIn(request: FastifyRequest): Promise<SignedIn> {
    const who = await accounts.session(readCookie(request, SESSION_COOKIE));
    if (!who) throw ApiError.invalidToken('Sign in to the portal first.');
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request, who.session.csrf);
    return who;
  }

  async function verified(request: FastifyRequest): Promise<SignedIn> {
    const who = await signedIn(request);
    if (who.account.verifiedAt === null)
      throw ApiError.notAuthorized('Verify your email address first (see the mail we sent).');
    return who;
  }

  /** The app, if this account may see it: its owner, or an operator. Others get the same 404 as for no app. */
  async function ownedApp(who: SignedIn, appId: string): Promise<AppRecord> {
    const found = APP_ID.test(appId) ? await ctx.store.apps.get(appId) : undefined;
    const mine =
      found && (who.account.role === 'operator' || (await ctx.store.portal.owners.ownerOf(appId)) === who.account.id);
    if (!found || !mine) throw new ApiError(404, ErrorCode.InvalidResource, 'No such app in your account.');
    return found;
  }

  async function viewFor(who: SignedIn, record: AppRecord) {
    if (who.account.role !== 'operator') return appView(record);
    const owner = await ctx.store.portal.owners.ownerOf(record.id);
    const emails = await ctx.store.portal.accounts.emails(owner ? [owner] : []);
    return appView(record, (owner && emails.get(owner)) ?? null);
  }

  async function startSession(reply: FastifyReply, request: FastifyRequest, account: AccountRecord) {
    const { cookie, session } = await accounts.startSession(account.id);
    void reply.header('Set-Cookie', sessionCookie(cookie, SESSION_TTL_MS / 1000, secure(request)));
    return { account: accountView(account), csrfToken: session.csrf };
  }

  void app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        noStore(reply);
        if (!SAFE_METHODS.has(request.method)) checkSameOrigin(request, publicOrigin);
      });

      // Accounts and sessions.
      api.post('/accounts', async (request, reply) => {
        limit(perAddress, `signup|${request.ip}`);
        const body = jsonBody(request, credentials);
        const account = await accounts.signUp(body.email, body.password, mailOrigin());
        return reply.code(201).send(await startSession(reply, request, account));
      });

      api.post('/session', async (request, reply) => {
        limit(perAddress, `signin|${request.ip}`);
        const body = jsonBody(request, credentials);
        const failureKey = `${body.email.trim().toLowerCase()}|${request.ip}`;
        limit(failures, failureKey, true);
        let account: AccountRecord;
        try {
          account = await accounts.signIn(body.email, body.password);
        } catch (e) {
          failures.take(failureKey);
          throw e;
        }
        return reply.send(await startSession(reply, request, account));
      });

      api.get('/session', async (request) => {
        const who = await signedIn(request);
        return { account: accountView(who.account), csrfToken: who.session.csrf };
      });

      api.delete('/session', async (request, reply) => {
        await signedIn(request);
        await accounts.endSession(readCookie(request, SESSION_COOKIE)!);
        return reply
          .header('Set-Cookie', sessionCookie('', 0, secure(request)))
          .code(204)
          .send();
      });

      // The link in the verification mail. A browser lands back on the portal; scripts get JSON.
      api.get('/verify', async (request, reply) => {
        const wantsPage = (request.headers.accept ?? '').includes('text/html');
        try {
          const { token } = queryOf(request, verifyQuery);
          const account = await accounts.verify(token);
          return wantsPage ? reply.redirect('/portal?verified=1', 303) : { account: accountView(account) };
        } catch (e) {
          if (wantsPage && e instanceof ApiError) return reply.redirect('/portal?verified=0', 303);
          throw e;
        }
      });

      api.post('/account/verification', async (request, reply) => {
        limit(perAddress, `resend|${request.ip}`);
        const who = await signedIn(request);
        await accounts.sendVerification(who.account, mailOrigin());
        return reply.code(202).send({ sent: true });
      });

      // Password reset. The request gets the same answer, as fast, whether or not the address has an
      // account: the lookup and the mail happen after the answer.
      api.post('/password-reset/request', async (request, reply) => {
        limit(resetsPerAddress, request.ip);
        const email = normalizeEmail(jsonBody(request, resetRequestBody).email);
        limit(resetsPerEmail, email);
        const origin = mailOrigin();
        void resets.request(email, origin).catch((err: unknown) => {
          request.log.error(
            { err: { message: err instanceof Error ? err.message : String(err) } },
            'password reset mail failed',
          );
        });
        return reply.code(202).send({ accepted: true });
      });

      api.post('/password-reset', async (request, reply) => {
        limit(perAddress, `reset|${request.ip}`);
        const body = jsonBody(request, resetBody);
        await resets.reset(body.token, body.password);
        return reply.code(204).send();
      });

      // Apps.
      api.get('/apps', async (request) => {
        const who = await verified(request);
        if (who.account.role === 'operator') {
          const [all, owners] = await Promise.all([ctx.apps.list(), ctx.store.portal.owners.all()]);
          const emails = await ctx.store.portal.accounts.emails([...new Set(owners.values())]);
          return { apps: all.map((a) => appView(a, emails.get(owners.get(a.id) ?? '') ?? null)) };
        }
        const ids = new Set(await ctx.store.portal.owners.appsOf(who.account.id));
        const mine = (await ctx.apps.list()).filter((a) => ids.has(a.id));
        return { apps: mine.map((a) => appView(a)) };
      });

      api.post('/apps', async (request, reply) => {
        const who = await verified(request);
        const body = jsonBody(request, createAppBody);
        const { app: created, tokens } = await ctx.apps.create({ name: body.name, domains: body.domains ?? [] });
        try {
          await ctx.store.portal.owners.set(created.id, who.account.id);
        } catch (e) {
          await ctx.apps.delete(created.id);
          throw e;
        }
        return reply.code(201).send({ app: await viewFor(who, created), tokens });
      });

      api.get<{ Params: { appId: string } }>('/apps/:appId', async (request) => {
        const who = await verified(request);
        return { app: await viewFor(who, await ownedApp(who, request.params.appId)) };
      });

      api.patch<{ Params: { appId: string } }>('/apps/:appId', async (request) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        const body = jsonBody(request, patchAppBody);
        if (
          body.name === undefined &&
          body.clientLogin === undefined &&
          body.messageTtlDays === undefined &&
          body.historyDays === undefined &&
          body.fileMaxBytes === undefined &&
          body.fileQuotaBytes === undefined
        ) {
          throw ApiError.badRequest(
            'Send a name or a clientLogin (or a messageTtlDays, historyDays, fileMaxBytes or fileQuotaBytes) to change.',
          );
        }
        if (body.name !== undefined) await ctx.apps.rename(target.id, body.name);
        if (body.clientLogin !== undefined) await ctx.apps.setClientLogin(target.id, body.clientLogin);
        if (body.messageTtlDays !== undefined) await ctx.apps.setMessageTtl(target.id, body.messageTtlDays);
        if (body.historyDays !== undefined) await ctx.apps.setHistoryDays(target.id, body.historyDays);
        if (body.fileMaxBytes !== undefined || body.fileQuotaBytes !== undefined)
          await ctx.apps.setFileLimits(target.id, { maxBytes: body.fileMaxBytes, quotaBytes: body.fileQuotaBytes });
        return { app: await viewFor(who, await ctx.apps.get(target.id)) };
      });

      api.delete<{ Params: { appId: string } }>('/apps/:appId', async (request, reply) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        // AppService ends the app's open sessions before this returns (access-watcher.ts).
        await ctx.apps.delete(target.id);
        return reply.code(204).send();
      });

      api.put<{ Params: { appId: string } }>('/apps/:appId/blocked', async (request) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        if (who.account.role !== 'operator') throw ApiError.notAuthorized('Only operators block and unblock apps.');
        const { blocked } = jsonBody(request, blockedBody);
        // Blocking closes the app's sockets with -30004 before this returns (access-watcher.ts).
        const updated = await ctx.apps.setBlocked(target.id, blocked);
        return { app: await viewFor(who, updated) };
      });

      // Domains.
      api.post<{ Params: { appId: string } }>('/apps/:appId/domains', async (request, reply) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        const body = jsonBody(request, domainBody);
        if (target.domains.length >= 50) throw ApiError.badRequest('An app has at most 50 domains.');
        return reply.code(201).send({ app: await viewFor(who, await ctx.apps.addDomain(target.id, body.domain)) });
      });

      api.delete<{ Params: { appId: string; domain: string } }>('/apps/:appId/domains/:domain', async (request) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        return { app: await viewFor(who, await ctx.apps.removeDomain(target.id, request.params.domain)) };
      });

      // Tokens: the secret is in the creation answer only.
      api.get<{ Params: { appId: string } }>('/apps/:appId/tokens', async (request) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        return { tokens: (await ctx.apps.listTokens(target.id)).map(tokenView) };
      });

      api.post<{ Params: { appId: string } }>('/apps/:appId/tokens', async (request, reply) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        const body = jsonBody(request, tokenBody);
        const live = (await ctx.apps.listTokens(target.id)).filter((t) => t.revokedAt === null);
        if (live.length >= 50) throw ApiError.badRequest('An app has at most 50 live tokens; revoke some first.');
        return reply.code(201).send({ token: await ctx.apps.createToken(target.id, body.type, body.environment) });
      });

      api.delete<{ Params: { appId: string; tokenId: string } }>(
        '/apps/:appId/tokens/:tokenId',
        async (request, reply) => {
          const who = await verified(request);
          const target = await ownedApp(who, request.params.appId);
          if (!/^[\w-]{1,64}$/.test(request.params.tokenId))
            throw new ApiError(404, ErrorCode.InvalidResource, 'No such token for this app.');
          await ctx.apps.revokeToken(target.id, request.params.tokenId);
          return reply.code(204).send();
        },
      );

      registerTestSessions(api, ctx, async (request) => ownedApp(await verified(request), request.params.appId));
      registerPushSettings(api, ctx, async (request) => ownedApp(await verified(request), request.params.appId));

      // Usage.
      const usageOf = async (request: FastifyRequest<{ Params: { appId: string } }>) => {
        const who = await verified(request);
        const target = await ownedApp(who, request.params.appId);
        const { days } = queryOf(request, usageQuery);
        return usageReport(ctx.store, target.id, Number(days ?? 30) as UsageRange);
      };
      api.get<{ Params: { appId: string } }>('/apps/:appId/usage', async (request) => usageOf(request));
      api.get<{ Params: { appId: string } }>('/apps/:appId/usage.csv', async (request, reply) => {
        const report = await usageOf(request);
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="usage-${report.appId}-${report.from}-${report.to}.csv"`)
          .send(usageCsv(report));
      });
    },
    { prefix: '/api/v1' },
  );
}
