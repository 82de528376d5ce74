import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { Paths } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { escapeHtml } from '../html.js';
import { registerLanguagePacks } from './language-packs.js';

/** Where demo/index.html wants the development app's web token. */
export const DEMO_TOKEN_PLACEHOLDER = '%OOVOO_DEMO_TOKEN%';
/** The file in the data folder that holds it, written when `start` made the development app. */
export const DEMO_TOKEN_FILE = 'demo-app-token';

/**
 * The SDK script, under our path and (with the spec samples' media URL shim) the spec's, the WebRTC
 * adapter script beside each, and the demo pages at `/`.
 */
export function registerAssetRoutes(
  app: FastifyInstance,
  opts: { scriptFile: string; demoDir: string | undefined; demoTokenFile: string },
): void {
  const serveScript = scriptHandler(app, opts.scriptFile);
  app.get(Paths.script, serveScript);
  // The spec's path gets its own build (with the URL.createObjectURL(stream) shim the spec's samples
  // need), built beside the SDK script; where it is not, the SDK script itself.
  const specFile = join(dirname(opts.scriptFile), basename(Paths.specScript));
  app.get(Paths.specScript, existsSync(specFile) ? scriptHandler(app, specFile) : serveScript);
  // webrtc-adapter, built beside the SDK script, which adds it (from its own folder) where a browser needs it.
  const serveAdapter = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.adapterScript)));
  app.get(Paths.adapterScript, serveAdapter);
  app.get(Paths.specAdapterScript, serveAdapter);
  // The elements' extras, built beside the SDK script, loaded from the SDK script's folder on first use.
  const serveExtras = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.extrasScript)));
  app.get(Paths.extrasScript, serveExtras);
  app.get(Paths.specExtrasScript, serveExtras);
  const serveChat = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.chatScript)));
  app.get(Paths.chatScript, serveChat);
  app.get(Paths.specChatScript, serveChat);
  const servePrejoin = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.prejoinScript)));
  app.get(Paths.prejoinScript, servePrejoin);
  app.get(Paths.specPrejoinScript, servePrejoin);
  const serveConversations = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.conversationsScript)));
  app.get(Paths.conversationsScript, serveConversations);
  app.get(Paths.specConversationsScript, serveConversations);
  const serveCall = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.callScript)));
  app.get(Paths.callScript, serveCall);
  app.get(Paths.specCallScript, serveCall);
  const serveMessaging = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.messagingScript)));
  app.get(Paths.messagingScript, serveMessaging);
  app.get(Paths.specMessagingScript, serveMessaging);
  const serveLogin = scriptHandler(app, join(dirname(opts.scriptFile), basename(Paths.loginScript)));
  app.get(Paths.loginScript, serveLogin);
  app.get(Paths.specLoginScript, serveLogin);
  // The elements' language packs, built into lang/ beside the SDK script.
  registerLanguagePacks(app, join(dirname(opts.scriptFile), 'lang'));

  if (opts.demoDir && existsSync(opts.demoDir)) {
    const demoDir = opts.demoDir;
    // The markup-only demo needs the development app's web token in its markup (no script may fetch
    // it): fill it in when the server made that app. A web token is public by design (it is in every
    // page that uses it), and the development app only permits localhost.
    const demoPage = async (_request: unknown, reply: import('fastify').FastifyReply) => {
      const page = readFileSync(join(demoDir, 'index.html'), 'utf8');
      const token = existsSync(opts.demoTokenFile) ? readFileSync(opts.demoTokenFile, 'utf8').trim() : '';
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(page.replaceAll(DEMO_TOKEN_PLACEHOLDER, escapeHtml(token)));
    };
    if (existsSync(join(demoDir, 'index.html'))) {
      app.get('/', demoPage);
      app.get('/index.html', demoPage);
    }
    app.register(fastifyStatic, {
      root: demoDir,
      prefix: '/',
      index: false,
      cacheControl: false,
      decorateReply: false,
    });
  }
}

/** Serves one built script, read once at start; a missing build is answered with a clear error. */
function scriptHandler(app: FastifyInstance, file: string) {
  const script = existsSync(file) ? readFileSync(file) : undefined;
  const etag = script ? `"${createHash('sha256').update(script).digest('base64url').slice(0, 27)}"` : undefined;
  if (!script) app.log.warn({ file }, 'SDK script not built; run npm run build');

  return async (
    request: { headers: Record<string, string | string[] | undefined> },
    reply: import('fastify').FastifyReply,
  ) => {
    if (!script) throw ApiError.notFound('The SDK script is not built on this server (npm run build).');
    void reply
      .header('Content-Type', 'text/javascript; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('ETag', etag)
      .header('Access-Control-Allow-Origin', '*')
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(script);
  };
}
