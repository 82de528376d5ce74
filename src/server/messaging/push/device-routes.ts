import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import JSON5 from 'json5';
import { ENVIRONMENTS } from '../../apps.js';
import { Paths, object, oneOf, optional, str, validate, type Environment } from '../../../protocol/index.js';
import { ApiError } from '../../api-error.js';
import type { ServerContext } from '../../context.js';
import { authenticateSession, limitAddress } from '../../routes/login.js';
import { APNS_TOKEN, FCM_TOKEN, nativeEndpoint, type NativeDevice } from './native-device.js';

/** The header carrying the app's native token (the session token goes in `Authorization: Bearer`). */
export const APP_TOKEN_HEADER = 'x-oovoo-app-token';

const deviceBody = object({
  platform: oneOf(['fcm', 'apns'] as const),
  token: str({ min: 1, max: 2000 }),
  environment: optional(oneOf(ENVIRONMENTS)),
});

/** Registration times that never repeat, so "the oldest subscription" is always one. */
function registrationClock(): () => number {
  let last = 0;
  return () => (last = Math.max(Date.now(), last + 1));
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The caller: the app's native token and a session token of that app and environment. */
async function authenticate(ctx: ServerContext, request: FastifyRequest) {
  await limitAddress(ctx, request, 'push-devices');
  const { app, token } = await ctx.apps.authenticate(header(request, APP_TOKEN_HEADER));
  if (token.type !== 'native') throw ApiError.notAuthorized('Registering a device needs a native app token.');
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
  if (!bearer) throw ApiError.invalidToken('Send the user\'s session token as "Authorization: Bearer TOKEN".');
  const session = await authenticateSession(ctx, bearer, { appId: app.id, nativeApp: true });
  if (session.env !== token.environment)
    throw ApiError.wrongEnvironment(`The session is for ${session.env}, the app token for ${token.environment}.`);
  return { appId: app.id, uid: session.uid, environment: token.environment };
}

/** The body's device; -40000 with what is wrong. */
function deviceOf(body: unknown, appEnvironment: Environment): NativeDevice {
  let json: unknown;
  try {
    json = typeof body === 'string' ? JSON5.parse(body) : undefined;
  } catch {
    throw ApiError.badRequest('The body is not valid JSON.');
  }
  const parsed = validate(deviceBody, json);
  if (!parsed.ok) throw ApiError.badRequest(`Invalid body: ${parsed.error.message}.`);
  const { platform, token, environment } = parsed.value;
  if (platform === 'fcm') {
    if (environment !== undefined) throw ApiError.badRequest('environment is for APNs device tokens only.');
    if (!FCM_TOKEN.test(token)) throw ApiError.badRequest('token is not an FCM registration token.');
    return { platform, token };
  }
  if (!APNS_TOKEN.test(token)) throw ApiError.badRequest('token is not an APNs device token (hex).');
  // A development build's token works only with APNs's sandbox: by default, the app token's environment.
  return { platform, token, environment: environment ?? appEnvironment };
}

function answer(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store').send({ result: 0 });
}

/**
 * `POST /1.0/push/devices` registers a phone's device token for the signed-in user (FCM or APNs),
 * kept like a browser's subscription (at most `maxSubscriptionsPerUser`, the oldest evicted);
 * `DELETE` with the same body withdraws it. Both answer the spec's `{ result: 0 }`.
 */
export function registerDeviceRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: { maxSubscriptionsPerUser: number },
): void {
  const now = registrationClock();
  app.post(Paths.pushDevices, async (request, reply) => {
    const caller = await authenticate(ctx, request);
    const device = deviceOf(request.body, caller.environment);
    await ctx.store.push.save(
      {
        appId: caller.appId,
        uid: caller.uid,
        endpoint: nativeEndpoint(device),
        kind: device.platform,
        p256dh: '',
        auth: '',
        createdAt: now(),
      },
      opts.maxSubscriptionsPerUser,
    );
    return answer(reply);
  });
  app.delete(Paths.pushDevices, async (request, reply) => {
    const caller = await authenticate(ctx, request);
    const device = deviceOf(request.body, caller.environment);
    await ctx.store.push.remove(caller.appId, nativeEndpoint(device), caller.uid);
    return answer(reply);
  });
}
