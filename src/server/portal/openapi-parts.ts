// The pieces of the portal's OpenAPI document (openapi.ts): shared schemas, responses and parameters.

const error = { $ref: '#/components/schemas/Error' };
export const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: STATUS[s], content: { 'application/json': { schema: error } } }]),
  );
const STATUS: Record<number, string> = {
  400: 'Bad input (-40000), or a link that is not valid, was used or expired (-60401); nothing changed',
  401: 'Not signed in (-30001) or wrong email or password (-30000)',
  403: 'CSRF token missing, cross-origin request, email not verified or not an operator (-35001)',
  404: 'No such app in your account, or no such token or domain (-50001)',
  409: 'Email already taken (-60303): verified, or unverified with a verification link still valid',
  429: 'Too many attempts; see Retry-After',
};
export const json = (schema: object) => ({ content: { 'application/json': { schema } } });
export const ok = (schema: object, status = '200', description = 'OK') => ({
  [status]: { description, ...json(schema) },
});
export const appId = { name: 'appId', in: 'path', required: true, schema: { type: 'string' } };
export const days = { name: 'days', in: 'query', schema: { type: 'string', enum: ['7', '30', '90'], default: '30' } };
export const csrf = [{ session: [], csrf: [] }];
export const appRef = { $ref: '#/components/schemas/App' };
export const appAnswer = { type: 'object', properties: { app: appRef } };

/** The document's `components`: security schemes and the schemas the paths refer to. */
export const components = {
  securitySchemes: {
    session: { type: 'apiKey', in: 'cookie', name: 'oovoo_portal' },
    csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
    // A user's session token (the chat files' endpoints, openapi-files.ts).
    sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
  },
  schemas: {
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: { code: { type: 'integer' }, name: { type: 'string' }, description: { type: 'string' } },
        },
      },
    },
    Credentials: {
      type: 'object',
      required: ['email', 'password'],
      additionalProperties: false,
      properties: {
        email: { type: 'string', format: 'email' },
        password: { type: 'string', minLength: 8, maxLength: 200 },
      },
    },
    Session: {
      type: 'object',
      properties: {
        account: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            email: { type: 'string' },
            role: { enum: ['developer', 'operator'] },
            verified: { type: 'boolean' },
          },
        },
        csrfToken: { type: 'string' },
      },
    },
    App: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        domains: { type: 'array', items: { type: 'string' } },
        blocked: { type: 'boolean' },
        clientLogin: { enum: ['all', 'sandbox', 'none'] },
        messageTtlDays: {
          type: ['integer', 'null'],
          minimum: 1,
          maximum: 3650,
          description: "Days undelivered messages wait; null: the server's default (30)",
        },
        historyDays: {
          type: 'integer',
          minimum: 0,
          maximum: 3650,
          description: "Days conversations' history is kept (default 30); 0 keeps none",
        },
        fileMaxBytes: {
          type: 'integer',
          minimum: 1,
          maximum: 104857600,
          description: 'Largest chat file a user may upload, in bytes (default 10 MB)',
        },
        fileQuotaBytes: {
          type: 'integer',
          minimum: 0,
          description: 'Bytes of chat files one user may keep (default 200 MB); 0 refuses uploads',
        },
        createdAt: { type: 'string', format: 'date-time' },
        owner: { type: ['string', 'null'], description: 'Owner email (operators only)' },
      },
    },
    IssuedToken: {
      type: 'object',
      description: 'The token itself is in this answer only; keep it.',
      properties: {
        id: { type: 'string' },
        token: { type: 'string' },
        type: { enum: ['web', 'native'] },
        environment: { enum: ['sandbox', 'production'] },
      },
    },
    Token: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        type: { enum: ['web', 'native'] },
        environment: { enum: ['sandbox', 'production'] },
        createdAt: { type: 'string', format: 'date-time' },
        revokedAt: { type: ['string', 'null'], format: 'date-time' },
      },
    },
    UsageDay: {
      type: 'object',
      properties: {
        day: { type: 'string', format: 'date' },
        participantMinutes: { type: 'number' },
        conferences: { type: 'integer' },
        peakParticipants: { type: 'integer' },
        messagesSent: { type: 'integer' },
        messagesDelivered: { type: 'integer' },
        pushesSent: { type: 'integer' },
      },
    },
  },
} as const;
