import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>oovoo developer portal</title>
  <style>
    body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1d1d1f; background: #f6f6f8; }
  </style>
  <script type="module" src="/portal/portal.js"></script>
</head>
<body>
  <oovoo-portal><noscript>The developer portal needs JavaScript.</noscript></oovoo-portal>
</body>
</html>
`;

/** Only our own script and the inline page style; the page may not be framed (clickjacking). */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The portal page at /portal and its script, built by rollup into dist/portal/portal.js. */
export function registerPortalPage(app: FastifyInstance, scriptFile: string): void {
  const script = existsSync(scriptFile) ? readFileSync(scriptFile) : undefined;
  const etag = script ? `"${createHash('sha256').update(script).digest('base64url').slice(0, 27)}"` : undefined;
  if (!script) app.log.warn({ file: scriptFile }, 'portal script not built; run npm run build');

  const page = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.headers(SECURITY_HEADERS).header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(PAGE);
  app.get('/portal', page);
  app.get('/portal/', page);
  app.get('/portal/portal.js', async (request, reply) => {
    if (!script) throw ApiError.notFound('The portal script is not built on this server (npm run build).');
    void reply
      .headers(SECURITY_HEADERS)
      .header('Cache-Control', 'no-cache')
      .header('ETag', etag)
      .type('text/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(script);
  });
}
