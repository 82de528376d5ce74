import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** One upload's bytes on their way in: nothing is readable before `commit`, and `abort` leaves nothing. */
export interface FileBytesWriter {
  write(chunk: Buffer): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Where uploaded files' bytes live, apart from what the store says of them (file-store.ts): the
 * data folder on one node (SQLite), the store itself when nodes share a PostgreSQL (file-blobs.ts).
 */
export interface FileBytes {
  readonly kind: 'folder' | 'store';
  writer(appId: string, id: string): Promise<FileBytesWriter>;
  /** The bytes (`size` of them, as the store says), or undefined when they are gone. */
  read(appId: string, id: string, size: number): Promise<Readable | undefined>;
  /** Removes the files' bytes; ids without bytes are skipped. */
  remove(appId: string, ids: readonly string[]): Promise<void>;
  /** Removes partial writes older than `before` (an upload cut by a crash); returns how many went. */
  sweepPartial(before: number): Promise<number>;
}

const ID = /^f_[A-Za-z0-9_-]{32}$/;

/** An app's folder name: app ids are the operator's choice, so never a path of their own. */
function appFolder(appId: string): string {
  return createHash('sha256').update(appId).digest('hex').slice(0, 32);
}

function checkedId(id: string): string {
  if (!ID.test(id)) throw new Error('not a file id');
  return id;
}

/**
 * The data folder: `<dataDir>/files/<app>/<id>`, written to `<dataDir>/files/.partial/<id>` first,
 * flushed to disk, then renamed into place (so a file is whole or absent).
 */
export class FolderFileBytes implements FileBytes {
  readonly kind = 'folder';
  private readonly root: string;
  private readonly partial: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'files');
    this.partial = join(this.root, '.partial');
  }

  path(appId: string, id: string): string {
    return join(this.root, appFolder(appId), checkedId(id));
  }

  async writer(appId: string, id: string): Promise<FileBytesWriter> {
    await mkdir(this.partial, { recursive: true, mode: 0o700 });
    const temp = join(this.partial, checkedId(id));
    const target = this.path(appId, id);
    const handle: FileHandle = await open(temp, 'wx', 0o600);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return {
      write: async (chunk) => {
        await handle.write(chunk);
      },
      commit: async () => {
        await handle.sync();
        await close();
        await mkdir(join(this.root, appFolder(appId)), { recursive: true, mode: 0o700 });
        await rename(temp, target);
      },
      abort: async () => {
        await close().catch(() => undefined);
        await rm(temp, { force: true });
      },
    };
  }

  async read(appId: string, id: string): Promise<Readable | undefined> {
    const path = this.path(appId, id);
    // Opened first: a file removed meanwhile is "gone", not a stream that fails later.
    const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    return handle?.createReadStream();
  }

  async remove(appId: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) await rm(this.path(appId, id), { force: true });
  }

  async sweepPartial(before: number): Promise<number> {
    const names = await readdir(this.partial).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(this.partial, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < before) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
