import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import {
  ErrorCode,
  FILE_QUOTA_CODE,
  FILE_TOO_LARGE_CODE,
  FileLimits,
  FilePaths,
  INLINE_IMAGE_TYPES,
  type FileUploadResult,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { compositeKey } from '../composite-key.js';
import type { ServerContext } from '../context.js';
import { originAllowed } from '../domains.js';
import { secondsToWait } from '../rate-limit.js';
import { isUpload } from '../request-timeouts.js';
import { authenticateSession } from '../routes/login.js';
import { unverifiedApp } from '../session-tokens.js';
import { fileInfoOf, type FileRecord } from '../store/file-store.js';
import type { AppRecord } from '../store/types.js';
import { assertReader, contentDisposition, uploadTarget, type ConferenceMembers } from './file-access.js';
import type { FileBytes } from './file-bytes.js';
import type { ResolvedFileOptions } from './file-options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The page's origin is a permitted domain of the app the token names: its answers may be read there. */
    oovooFilesCors?: boolean;
  }
}

/** Bytes of an upload's start kept for finding its type (file-type reads the first few KB of most kinds). */
const HEAD_BYTES = 64 * 1024;
const OCTET_STREAM = 'application/octet-stream';

function formatMb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** Uploads whose body `receive` took (a refusal from there needs no more reading). */
const bodyRead = new WeakSet<IncomingMessage>();
/** The most a refused upload's body is read (and dropped) so that its answer reaches the browser. */
const MAX_DISCARDED_BYTES = FileLimits.maxMaxBytes + 1024 * 1024;

const tooLarge = (max: number) =>
  new ApiError(413, FILE_TOO_LARGE_CODE, `The file is larger than this app allows (${formatMb(max)}).`);
const overQuota = (used: number, quota: number) =>
  new ApiError(
    413,
    FILE_QUOTA_CODE,
    `Your files take ${formatMb(used)} of the ${formatMb(quota)} you may keep; this one does not fit. ` +
      'Room frees as old messages and their files leave the history.',
  );

export interface FileRouteDeps {
  readonly bytes: FileBytes;
  readonly inConference: ConferenceMembers;
  /** An upload that sends no byte for this long is cut: 408, nothing kept. */
  readonly uploadIdleTimeoutMs: number;
  readonly options: ResolvedFileOptions;
}

/**
 * `POST /1.0/files` (upload into a conversation) and `GET /1.0/files/<id>` (the bytes, to the
 * conversation's members), both with the session token as `Authorization: Bearer …`, checked as
 * the WebSocket checks it. The body is read as a stream, never more than the app's largest file;
 * the type comes from the content. Answers are readable from the app's permitted origins only.
 */
export function registerFileRoutes(app: FastifyInstance, ctx: ServerContext, deps: FileRouteDeps): void {
  const { bytes, inConference, uploadIdleTimeoutMs, options } = deps;
  const uploadRate = ctx.cluster.rateLimiter('file-upload', options.uploadRate.burst, options.uploadRate.perSecond);
  const downloadRate = ctx.cluster.rateLimiter(
    'file-download',
    options.downloadRate.burst,
    options.downloadRate.perSecond,
  );
  const uploading = new Map<string, number>();
  let nodeUploads = 0;

  /** The caller's session; decides first whether answers may be read by the page (errors too). */
  async function caller(request: FastifyRequest): Promise<{ appId: string; uid: string; app: AppRecord }> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const named = bearer === undefined ? undefined : unverifiedApp(bearer);
    const app = named === undefined ? undefined : await ctx.store.apps.get(named);
    const origin = request.headers.origin;
    request.oovooFilesCors = !!origin && !!app && originAllowed(origin, app.domains, { allowBareHost: false });
    if (bearer === undefined) throw ApiError.invalidToken('Send the session token as "Authorization: Bearer TOKEN".');
    const claims = await authenticateSession(ctx, bearer, { origin: pageOrigin(request) });
    if (!app || app.id !== claims.app) throw ApiError.invalidToken('The session token is not valid.');
    return { appId: claims.app, uid: claims.uid, app };
  }

  /**
   * A refusal answered while the file is still coming is read to its end first (without keeping
   * it): a browser that is cut off mid-send (Firefox) reports a network error, never the answer.
   */
  async function upload(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    try {
      return await storeUpload(request, reply);
    } catch (e) {
      const declared = Number(request.headers['content-length'] ?? 0);
      let dropped = 0;
      if (!bodyRead.has(request.raw) && !request.raw.readableEnded && declared <= MAX_DISCARDED_BYTES)
        await readBody(request.raw, uploadIdleTimeoutMs, async (chunk) => {
          // A body without a length is read up to the same bound, then cut.
          if ((dropped += chunk.length) > MAX_DISCARDED_BYTES) throw new Error('too much to drop');
        }).catch(() => undefined);
      throw e;
    }
  }

  async function storeUpload(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const { appId, uid, app: record } = await caller(request);
    const key = compositeKey(appId, uid);
    const waitMs = await uploadRate.takeMs(key);
    if (waitMs > 0) throw ApiError.tooManyRequests(secondsToWait(waitMs));
    if (request.headers['content-encoding'] !== undefined && request.headers['content-encoding'] !== 'identity')
      throw ApiError.badRequest('Send the file as it is, without a Content-Encoding.');
    const target = await uploadTarget(request.query, appId, uid, inConference);
    const maxBytes = record.fileMaxBytes ?? FileLimits.defaultMaxBytes;
    const quota = record.fileQuotaBytes ?? FileLimits.defaultUserQuotaBytes;
    const length = request.headers['content-length'];
    const declared = length === undefined ? undefined : Number(length);
    if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);
    const used = await ctx.store.files.usedBytes(appId, uid);
    if (used + (declared ?? 0) > quota) throw overQuota(used, quota);
    if ((uploading.get(key) ?? 0) >= options.maxUploadsPerUser || nodeUploads >= options.maxUploadsPerNode)
      throw new ApiError(429, ErrorCode.BadRequest, 'Too many uploads at once; retry when one has finished.', 1);
    uploading.set(key, (uploading.get(key) ?? 0) + 1);
    nodeUploads++;
    try {
      const id = `f_${randomBytes(24).toString('base64url')}`;
      const received = await receive(request, appId, id, maxBytes);
      if (used + received.size > quota) {
        await bytes.remove(appId, [id]);
        throw overQuota(used, quota);
      }
      const file: FileRecord = {
        appId,
        id,
        owner: uid,
        conv: target.conv,
        ...(target.people ? { people: target.people } : {}),
        ...(target.conference === undefined ? {} : { conference: target.conference }),
        name: target.name,
        type: received.type,
        size: received.size,
        sha256: received.sha256,
        createdAt: Date.now(),
        sentAt: null,
        msgId: null,
      };
      await ctx.store.files.add(file).catch(async (e: unknown) => {
        await bytes.remove(appId, [id]);
        throw e;
      });
      const answer: FileUploadResult = fileInfoOf(file);
      return reply.code(201).header('Cache-Control', 'no-store').send(answer);
    } finally {
      const n = (uploading.get(key) ?? 1) - 1;
      if (n === 0) uploading.delete(key);
      else uploading.set(key, n);
      nodeUploads--;
    }
  }

  /** Streams the body into the bytes' place; past `maxBytes` keeps nothing (and reads the rest without keeping it). */
  async function receive(request: FastifyRequest, appId: string, id: string, maxBytes: number) {
    bodyRead.add(request.raw);
    const writer = await bytes.writer(appId, id);
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    let over = false;
    try {
      await readBody(request.raw, uploadIdleTimeoutMs, async (chunk) => {
        size += chunk.length;
        if (over) return;
        if (size > maxBytes) {
          over = true;
          await writer.abort();
          return;
        }
        hash.update(chunk);
        if (headBytes < HEAD_BYTES) {
          head.push(chunk);
          headBytes += chunk.length;
        }
        await writer.write(chunk);
      });
      if (over) throw tooLarge(maxBytes);
      await writer.commit();
    } catch (e) {
      if (!over) await writer.abort().catch(() => undefined);
      if (e instanceof ApiError) throw e;
      throw ApiError.badRequest('The upload did not arrive whole.');
    }
    return { size, sha256: hash.digest('hex'), type: await typeOf(Buffer.concat(head).subarray(0, HEAD_BYTES)) };
  }

  async function download(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    const { id } = request.params;
    if (!FileLimits.idPattern.test(id)) throw ApiError.badRequest('That is not a file id.');
    const { appId, uid } = await caller(request);
    const waitMs = await downloadRate.takeMs(compositeKey(appId, uid));
    if (waitMs > 0) throw ApiError.tooManyRequests(secondsToWait(waitMs));
    const file = await ctx.store.files.get(appId, id);
    if (!file) throw ApiError.noSuchResource(`There is no file ${id}.`);
    await assertReader(file, uid, inConference);
    const stream = await bytes.read(appId, id, file.size);
    if (!stream) throw ApiError.noSuchResource(`There is no file ${id}.`);
    // Only image kinds a browser shows as pictures are served as what they are; the rest is a download.
    const inline = (INLINE_IMAGE_TYPES as readonly string[]).includes(file.type);
    return reply
      .header('Content-Type', inline ? file.type : OCTET_STREAM)
      .header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name))
      .header('Content-Length', String(file.size))
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'private')
      .send(stream);
  }

  app.register(async (scope) => {
    // The body is the file: read by the upload itself, as a stream, whatever its Content-Type says.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.addHook('onSend', async (request, reply, payload) => {
      void reply.header('Vary', 'Origin').header('X-Content-Type-Options', 'nosniff');
      // An upload's connection was let off the connection timeouts (request-timeouts.ts): it ends with its answer.
      if (isUpload(request)) void reply.header('Connection', 'close');
      const origin = request.headers.origin;
      if (origin && request.oovooFilesCors) {
        void reply
          .header('Access-Control-Allow-Origin', origin)
          .header('Access-Control-Expose-Headers', 'Content-Disposition, Content-Length, Retry-After');
      }
      return payload;
    });
    // The preflight carries no token (nor its app): the answer itself is what only permitted origins may read.
    const preflight = (request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(204)
        .header('Access-Control-Allow-Origin', request.headers.origin ?? '*')
        .header('Access-Control-Allow-Methods', 'GET, POST')
        .header('Access-Control-Allow-Headers', 'authorization, content-type')
        .header('Access-Control-Max-Age', '600')
        .send();
    scope.options(FilePaths.upload, preflight);
    scope.options(`${FilePaths.file}:id`, preflight);
    scope.post(FilePaths.upload, upload);
    scope.get(`${FilePaths.file}:id`, download);
  });
}

/**
 * The page's origin: browsers send Origin on cross-origin requests and on POSTs, not on a
 * same-origin GET, which says so in Sec-Fetch-Site instead (anything else can claim either header).
 */
function pageOrigin(request: FastifyRequest): string | undefined {
  if (request.headers.origin !== undefined) return request.headers.origin;
  if (request.headers['sec-fetch-site'] === 'same-origin') return `${request.protocol}://${request.host}`;
  return undefined;
}

/**
 * Hands the body's chunks to `each` one at a time, in order (the next is read once it is done); a
 * body that sends nothing for `idleMs` (time spent in `each` aside) is cut with a 408.
 */
function readBody(raw: IncomingMessage, idleMs: number, each: (chunk: Buffer) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      raw.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const arm = () => {
      timer = setTimeout(() => {
        raw.pause();
        finish(new ApiError(408, ErrorCode.BadRequest, `The upload stopped: nothing arrived for ${idleMs / 1000} s.`));
      }, idleMs);
    };
    const onData = (chunk: Buffer) => {
      clearTimeout(timer);
      raw.pause();
      each(chunk).then(() => {
        if (settled) return;
        arm();
        raw.resume();
      }, finish);
    };
    const onEnd = () => finish();
    const onClose = () => finish(new Error('the connection closed before the body ended'));
    raw.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
    arm();
  });
}

/** The type the content shows; `application/octet-stream` when not recognised. */
async function typeOf(head: Buffer): Promise<string> {
  try {
    return (await fileTypeFromBuffer(head))?.mime ?? OCTET_STREAM;
  } catch {
    return OCTET_STREAM;
  }
}
