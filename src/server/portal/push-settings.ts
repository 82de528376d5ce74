import type { FastifyInstance, FastifyRequest } from 'fastify';
import { object, str } from '../../protocol/index.js';
import type { ServerContext } from '../context.js';
import { NativePushSettings } from '../messaging/push/native-credentials.js';
import type { AppRecord } from '../store/types.js';
import { jsonBody } from './http.js';

/** A service-account JSON or a .p8 key is a few KB. */
const SECRET = str({ min: 1, max: 16_384 });
const fcmBody = object({ serviceAccount: SECRET });
const apnsBody = object({
  key: SECRET,
  keyId: str({ max: 64 }),
  teamId: str({ max: 64 }),
  bundleId: str({ max: 255 }),
});

type AppRequest = FastifyRequest<{ Params: { appId: string } }>;
type OwnedApp = (request: AppRequest) => Promise<AppRecord>;

/**
 * An app's native push settings: `GET /apps/:appId/push` shows what is set (never a private key),
 * `PUT /apps/:appId/push/fcm` takes a service-account JSON, `PUT /apps/:appId/push/apns` a .p8 key
 * and its ids, `DELETE` of either clears it. Every answer is the settings as shown.
 */
export function registerPushSettings(api: FastifyInstance, ctx: ServerContext, ownedApp: OwnedApp): void {
  const settings = new NativePushSettings(ctx.store.pushCredentials);

  api.get<{ Params: { appId: string } }>('/apps/:appId/push', async (request) => {
    const app = await ownedApp(request);
    return { push: await settings.view(app.id) };
  });

  api.put<{ Params: { appId: string } }>('/apps/:appId/push/fcm', async (request) => {
    const app = await ownedApp(request);
    const body = jsonBody(request, fcmBody);
    return { push: await settings.setFcm(app.id, body.serviceAccount) };
  });

  api.put<{ Params: { appId: string } }>('/apps/:appId/push/apns', async (request) => {
    const app = await ownedApp(request);
    return { push: await settings.setApns(app.id, jsonBody(request, apnsBody)) };
  });

  for (const provider of ['fcm', 'apns'] as const) {
    api.delete<{ Params: { appId: string } }>(`/apps/:appId/push/${provider}`, async (request) => {
      const app = await ownedApp(request);
      return { push: await settings.clear(app.id, provider) };
    });
  }
}
