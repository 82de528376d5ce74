import type { FastifyInstance } from 'fastify';
import { appAnswer, appId, appRef, components, csrf, days, errors, json, ok } from './openapi-parts.js';
import { filePaths } from './openapi-files.js';
import { pushPaths } from './openapi-push.js';

// The portal API as OpenAPI 3.1, served at /api/v1/openapi.json so operators can script it.
// Kept in code (not a .json file) so the bundled server needs no file beside it.

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'oovoo developer portal API',
    version: '1',
    description:
      'Sign in with POST /api/v1/session; keep the `oovoo_portal` cookie and send the returned `csrfToken` in an ' +
      '`X-CSRF-Token` header on every POST, PUT, PATCH and DELETE. Bodies are application/json. A browser request ' +
      'from another origin is refused. Errors are `{ "error": { "code", "name", "description" } }` with the ooVoo codes.',
  },
  servers: [{ url: '/api/v1' }],
  components,
  paths: {
    '/accounts': {
      post: {
        summary: 'Sign up (signs in; a verification mail is sent)',
        description:
          'An address held by an unverified account whose verification links all expired is taken over: that account is replaced.',
        requestBody: json({ $ref: '#/components/schemas/Credentials' }),
        responses: {
          ...ok({ $ref: '#/components/schemas/Session' }, '201', 'Created; Set-Cookie'),
          ...errors(400, 403, 409, 429),
        },
      },
    },
    '/session': {
      get: {
        summary: 'The signed-in account and its CSRF token',
        responses: { ...ok({ $ref: '#/components/schemas/Session' }), ...errors(401) },
      },
      post: {
        summary: 'Sign in',
        requestBody: json({ $ref: '#/components/schemas/Credentials' }),
        responses: {
          ...ok({ $ref: '#/components/schemas/Session' }, '200', 'Signed in; Set-Cookie'),
          ...errors(400, 401, 403, 429),
        },
      },
      delete: {
        summary: 'Sign out',
        security: csrf,
        responses: { '204': { description: 'Signed out' }, ...errors(401, 403) },
      },
    },
    '/verify': {
      get: {
        summary: 'The link in the verification mail (browsers are redirected to /portal)',
        parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'Verified' },
          '303': { description: 'Redirect to the portal' },
          ...errors(400),
        },
      },
    },
    '/account/verification': {
      post: {
        summary: 'Send the verification mail again',
        security: csrf,
        responses: { '202': { description: 'Sent' }, ...errors(400, 401, 403, 429) },
      },
    },
    '/password-reset/request': {
      post: {
        summary: 'Mail a password reset link (valid 1 hour by default, once) if an account has this email',
        description:
          'The answer is the same whether or not an account has the address. Limited per address and per email ' +
          '(429 with Retry-After). The link opens /portal#reset=<token>.',
        requestBody: json({
          type: 'object',
          required: ['email'],
          additionalProperties: false,
          properties: { email: { type: 'string', format: 'email' } },
        }),
        responses: {
          '202': { description: 'Accepted', ...json({ type: 'object', properties: { accepted: { const: true } } }) },
          ...errors(400, 403, 429),
        },
      },
    },
    '/password-reset': {
      post: {
        summary: 'Set a new password with the token of a reset link; ends every session of the account',
        description: 'The token works once. Using it also marks the email verified (the link reached its mailbox).',
        requestBody: json({
          type: 'object',
          required: ['token', 'password'],
          additionalProperties: false,
          properties: { token: { type: 'string' }, password: { type: 'string', minLength: 8, maxLength: 200 } },
        }),
        responses: { '204': { description: 'Password changed; sign in with it' }, ...errors(400, 403, 429) },
      },
    },
    '/apps': {
      get: {
        summary: 'Your apps (operators: every app, with its owner)',
        responses: {
          ...ok({ type: 'object', properties: { apps: { type: 'array', items: appRef } } }),
          ...errors(401, 403),
        },
      },
      post: {
        summary: 'Create an app; answers with a web and a native token per environment, shown once',
        security: csrf,
        requestBody: json({
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', maxLength: 200 },
            domains: { type: 'array', items: { type: 'string' }, maxItems: 50 },
          },
        }),
        responses: {
          ...ok(
            {
              type: 'object',
              properties: {
                app: appRef,
                tokens: { type: 'array', items: { $ref: '#/components/schemas/IssuedToken' } },
              },
            },
            '201',
            'Created',
          ),
          ...errors(400, 401, 403),
        },
      },
    },
    '/apps/{appId}': {
      parameters: [appId],
      get: { summary: 'One app', responses: { ...ok(appAnswer), ...errors(401, 403, 404) } },
      patch: {
        summary:
          'Rename, set the client-login policy, how many days undelivered messages wait, how many days history is kept, or the chat files limits',
        security: csrf,
        requestBody: json({
          type: 'object',
          additionalProperties: false,
          properties: {
            name: { type: 'string', maxLength: 200 },
            clientLogin: { enum: ['all', 'sandbox', 'none'] },
            messageTtlDays: { type: ['integer', 'null'], minimum: 1, maximum: 3650 },
            historyDays: { type: 'integer', minimum: 0, maximum: 3650 },
            fileMaxBytes: { type: 'integer', minimum: 1, maximum: 104857600 },
            fileQuotaBytes: { type: 'integer', minimum: 0, maximum: 1099511627776 },
          },
        }),
        responses: { ...ok(appAnswer), ...errors(400, 401, 403, 404) },
      },
      delete: {
        summary: 'Delete the app and its tokens',
        security: csrf,
        responses: { '204': { description: 'Deleted' }, ...errors(401, 403, 404) },
      },
    },
    '/apps/{appId}/blocked': {
      parameters: [appId],
      put: {
        summary: 'Block or unblock (operators only)',
        security: csrf,
        requestBody: json({ type: 'object', required: ['blocked'], properties: { blocked: { type: 'boolean' } } }),
        responses: { ...ok(appAnswer), ...errors(400, 401, 403, 404) },
      },
    },
    '/apps/{appId}/domains': {
      parameters: [appId],
      post: {
        summary: 'Permit a domain: host (every port) or host:port',
        security: csrf,
        requestBody: json({ type: 'object', required: ['domain'], properties: { domain: { type: 'string' } } }),
        responses: { ...ok(appAnswer, '201', 'Added'), ...errors(400, 401, 403, 404) },
      },
    },
    '/apps/{appId}/domains/{domain}': {
      parameters: [appId, { name: 'domain', in: 'path', required: true, schema: { type: 'string' } }],
      delete: {
        summary: 'Remove a permitted domain',
        security: csrf,
        responses: { ...ok(appAnswer), ...errors(400, 401, 403, 404) },
      },
    },
    '/apps/{appId}/tokens': {
      parameters: [appId],
      get: {
        summary: 'Tokens of the app (never the secrets)',
        responses: {
          ...ok({
            type: 'object',
            properties: { tokens: { type: 'array', items: { $ref: '#/components/schemas/Token' } } },
          }),
          ...errors(401, 403, 404),
        },
      },
      post: {
        summary: 'Create a token; the answer is the only time it is shown',
        security: csrf,
        requestBody: json({
          type: 'object',
          required: ['type', 'environment'],
          properties: { type: { enum: ['web', 'native'] }, environment: { enum: ['sandbox', 'production'] } },
        }),
        responses: {
          ...ok(
            { type: 'object', properties: { token: { $ref: '#/components/schemas/IssuedToken' } } },
            '201',
            'Created',
          ),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/apps/{appId}/tokens/{tokenId}': {
      parameters: [appId, { name: 'tokenId', in: 'path', required: true, schema: { type: 'string' } }],
      delete: {
        summary: 'Revoke a token: new logins with it fail at once',
        security: csrf,
        responses: { '204': { description: 'Revoked' }, ...errors(401, 403, 404) },
      },
    },
    '/apps/{appId}/sessions': {
      parameters: [appId],
      post: {
        summary: 'A session token for testing (a host’s, to try the host controls), as a server-to-server login makes',
        security: csrf,
        requestBody: json({
          type: 'object',
          required: ['userId'],
          properties: {
            userId: { type: 'string' },
            role: { enum: ['participant', 'host'], default: 'participant' },
            environment: { enum: ['sandbox', 'production'], default: 'sandbox' },
          },
        }),
        responses: {
          ...ok(
            {
              type: 'object',
              properties: {
                session: {
                  type: 'object',
                  properties: {
                    token: { type: 'string' },
                    userId: { type: 'string' },
                    role: { enum: ['participant', 'host'] },
                    environment: { enum: ['sandbox', 'production'] },
                    expiresAt: { type: 'integer', description: 'Seconds since the epoch' },
                  },
                },
              },
            },
            '201',
            'Minted',
          ),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    ...pushPaths,
    ...filePaths,
    '/apps/{appId}/usage': {
      parameters: [appId, days],
      get: {
        summary: 'Usage per UTC day over the last 7, 30 or 90 days',
        responses: {
          ...ok({
            type: 'object',
            properties: {
              appId: { type: 'string' },
              from: { type: 'string', format: 'date' },
              to: { type: 'string', format: 'date' },
              days: { type: 'array', items: { $ref: '#/components/schemas/UsageDay' } },
              totals: { $ref: '#/components/schemas/UsageDay' },
            },
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/apps/{appId}/usage.csv': {
      parameters: [appId, days],
      get: {
        summary:
          'The same as CSV: day,participant_minutes,conferences,peak_participants,messages_sent,messages_delivered,pushes_sent',
        responses: {
          '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errors(400, 401, 403, 404),
        },
      },
    },
  },
} as const;

export function registerOpenApi(app: FastifyInstance): void {
  app.get('/api/v1/openapi.json', async (_request, reply) =>
    reply.header('Access-Control-Allow-Origin', '*').send(openApiDocument),
  );
}
