import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Paths } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';

/**
 * The SDK script, under our path and the spec's, and the demo pages at `/`.
 * The script is read once at start; a missing build is answered with a clear error.
 */
export function registerAssetRoutes(app: FastifyInstance, opts: { scriptFile: string; demoDir: string | undefined }): void {
  const script = existsSync(opts.scriptFile) ? readFileSync(opts.scriptFile) : undefined;
  const etag = script ? `"${createHash('sha256').update(script).digest('base64url').slice(0, 27)}"` : undefined;
  if (!script) app.log.warn({ file: opts.scriptFile }, 'SDK script not built; run npm run build');

  const serveScript = async (request: { headers: Record<string, string | string[] | undefined> }, reply: import('fastify').FastifyReply) => {
    if (!script) throw new ApiError(404, -50002, 'The SDK script is not built on this server (npm run build).');
    void reply
      .header('Content-Type', 'text/javascript; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('ETag', etag)
      .header('Access-Control-Allow-Origin', '*')
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(script);
  };
  app.get(Paths.script, serveScript);
  app.get(Paths.specScript, serveScript);

  if (opts.demoDir && existsSync(opts.demoDir)) {
    app.register(fastifyStatic, { root: opts.demoDir, prefix: '/', index: ['index.html'], cacheControl: false, decorateReply: false });
  }
}
