import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CONFERENCE_ROLES, object, oneOf, optional, userIdField } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { ENVIRONMENTS } from '../apps.js';
import type { ServerContext } from '../context.js';
import type { AppRecord } from '../store/types.js';
import { jsonBody } from './http.js';

const sessionBody = object({
  userId: userIdField,
  role: optional(oneOf(CONFERENCE_ROLES)),
  environment: optional(oneOf(ENVIRONMENTS)),
});

type OwnedApp = (request: FastifyRequest<{ Params: { appId: string } }>) => Promise<AppRecord>;

/**
 * `POST /apps/:appId/sessions`: a session token for testing, minted for the app's owner (a host's,
 * to try the host controls). Issued as a server-to-server login would, for the newest live web
 * token of that environment, so revoking that token ends it.
 */
export function registerTestSessions(api: FastifyInstance, ctx: ServerContext, ownedApp: OwnedApp): void {
  api.post<{ Params: { appId: string } }>('/apps/:appId/sessions', async (request, reply) => {
    const app = await ownedApp(request);
    const body = jsonBody(request, sessionBody);
    const environment = body.environment ?? 'sandbox';
    const role = body.role ?? 'participant';
    const live = (await ctx.apps.listTokens(app.id)).filter(
      (t) => t.type === 'web' && t.environment === environment && t.revokedAt === null,
    );
    const appToken = live.at(-1);
    if (!appToken) throw ApiError.badRequest(`The app has no live ${environment} web token; create one first.`);
    const token = await ctx.sessions.issue({
      app: app.id,
      uid: body.userId,
      env: environment,
      tt: 'web',
      appToken: appToken.id,
      role,
    });
    const { exp } = await ctx.sessions.verify(token);
    return reply.code(201).send({ session: { token, userId: body.userId, role, environment, expiresAt: exp } });
  });
}
