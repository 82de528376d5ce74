import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Paths } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';

/** A pack's file name: a language subtag and `.json` (nothing else in the folder is served). */
const PACK_FILE = /^[a-z]{2,3}\.json$/;

/**
 * Serves the elements' language packs (`<lang>.json` in `dir`, read once at start) at /lang/ and
 * /webrtc/lang/, beside each SDK script path that fetches them: JSON, cached for a day and then
 * revalidated by ETag (a pack keeps its name across versions), readable from any origin like the scripts.
 */
export function registerLanguagePacks(app: FastifyInstance, dir: string): void {
  const packs = new Map<string, { body: Buffer; etag: string }>();
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    if (!PACK_FILE.test(file)) continue;
    const body = readFileSync(join(dir, file));
    packs.set(file, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  }

  const servePack = async (
    request: { params: unknown; headers: Record<string, string | string[] | undefined> },
    reply: FastifyReply,
  ) => {
    const pack = packs.get((request.params as { file: string }).file);
    if (!pack) throw ApiError.notFound('No language pack of that name on this server.');
    void reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Cache-Control', 'public, max-age=86400, stale-while-revalidate=604800')
      .header('ETag', pack.etag)
      .header('Access-Control-Allow-Origin', '*')
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (request.headers['if-none-match'] === pack.etag) return reply.code(304).send();
    return reply.send(pack.body);
  };
  app.get(`${Paths.langPacks}:file`, servePack);
  app.get(`${Paths.specLangPacks}:file`, servePack);
}
