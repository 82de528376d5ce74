import { appId, csrf, errors, json, ok } from './openapi-parts.js';

// The native push settings' part of the OpenAPI document (push-settings.ts).

const pushAnswer = {
  type: 'object',
  properties: {
    push: {
      type: 'object',
      description: 'What is set; private keys are never answered',
      properties: {
        fcm: {
          type: ['object', 'null'],
          properties: {
            projectId: { type: 'string' },
            clientEmail: { type: 'string' },
            updatedAt: { type: 'integer' },
          },
        },
        apns: {
          type: ['object', 'null'],
          properties: {
            keyId: { type: 'string' },
            teamId: { type: 'string' },
            bundleId: { type: 'string' },
            updatedAt: { type: 'integer' },
          },
        },
      },
    },
  },
};

const clear = (name: string) => ({
  summary: `Clear the app's ${name} credentials: its phones get no more pushes through ${name}`,
  security: csrf,
  responses: { ...ok(pushAnswer), ...errors(401, 403, 404) },
});

export const pushPaths = {
  '/apps/{appId}/push': {
    parameters: [appId],
    get: {
      summary: 'The native push settings (FCM, APNs) of the app',
      responses: { ...ok(pushAnswer), ...errors(401, 403, 404) },
    },
  },
  '/apps/{appId}/push/fcm': {
    parameters: [appId],
    put: {
      summary: 'Set Firebase Cloud Messaging: the service-account JSON (as a string) that sends to the app’s phones',
      security: csrf,
      requestBody: json({
        type: 'object',
        required: ['serviceAccount'],
        properties: { serviceAccount: { type: 'string', maxLength: 16384 } },
      }),
      responses: { ...ok(pushAnswer), ...errors(400, 401, 403, 404) },
    },
    delete: clear('FCM'),
  },
  '/apps/{appId}/push/apns': {
    parameters: [appId],
    put: {
      summary: 'Set APNs: the token-based provider key (.p8 text), its key id, the team id and the app’s bundle id',
      security: csrf,
      requestBody: json({
        type: 'object',
        required: ['key', 'keyId', 'teamId', 'bundleId'],
        properties: {
          key: { type: 'string', maxLength: 16384 },
          keyId: { type: 'string', pattern: '^[A-Z0-9]{10}$' },
          teamId: { type: 'string', pattern: '^[A-Z0-9]{10}$' },
          bundleId: { type: 'string' },
        },
      }),
      responses: { ...ok(pushAnswer), ...errors(400, 401, 403, 404) },
    },
    delete: clear('APNs'),
  },
} as const;
