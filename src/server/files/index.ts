import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import type { ConferenceMembers } from './file-access.js';
import { FolderFileBytes, type FileBytes } from './file-bytes.js';
import { resolveFileOptions, type FileOptions } from './file-options.js';
import { registerFileRoutes } from './file-routes.js';
import { FileExpiry, FileRemover } from './file-service.js';

export type { FileOptions } from './file-options.js';
export type { FileBytes } from './file-bytes.js';
export { FileRemover } from './file-service.js';
export { conferenceMembership } from './file-access.js';

/**
 * Files and images in chats: the upload and download routes, where the bytes live (the data
 * folder, or the store when nodes share it), and the sweeps that end unsent and expired files.
 * Returns what messaging needs: removing a deleted message's files.
 */
export function registerFiles(
  app: FastifyInstance,
  ctx: ServerContext,
  deps: {
    dataDir: string;
    sharedStore: boolean;
    inConference: ConferenceMembers;
    /** An upload that sends no byte for this long is cut (connection-guard.ts). */
    uploadIdleTimeoutMs: number;
    options?: FileOptions;
  },
): { remover: FileRemover; bytes: FileBytes; sweeps: { sent: FileExpiry; unsent: FileExpiry } } {
  const options = resolveFileOptions(deps.options);
  const inStore = options.bytes === 'store' || (options.bytes === undefined && deps.sharedStore);
  const bytes: FileBytes = inStore ? ctx.store.fileBlobs : new FolderFileBytes(deps.dataDir);
  const remover = new FileRemover(ctx.store, bytes);
  registerFileRoutes(app, ctx, {
    bytes,
    inConference: deps.inConference,
    uploadIdleTimeoutMs: deps.uploadIdleTimeoutMs,
    options,
  });
  const schedule = {
    intervalMs: options.sweepIntervalMs,
    batchSize: options.sweepBatchSize,
    ...(options.unsentTtlMs === undefined ? {} : { unsentTtlMs: options.unsentTtlMs }),
  };
  const sweeps = {
    sent: new FileExpiry('sent', ctx.store, bytes, remover, schedule, ctx.log),
    unsent: new FileExpiry('unsent', ctx.store, bytes, remover, schedule, ctx.log),
  };
  sweeps.sent.start();
  sweeps.unsent.start();
  app.addHook('onClose', async () => {
    await sweeps.sent.stop();
    await sweeps.unsent.stop();
  });
  return { remover, bytes, sweeps };
}
