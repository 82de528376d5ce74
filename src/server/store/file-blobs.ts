import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { FileBytes, FileBytesWriter } from '../files/file-bytes.js';
import type { Database } from './schema.js';

/** Bytes per stored chunk: a download holds one at a time, an upload at most one waiting to be written. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Files' bytes in the store itself, for nodes that share a PostgreSQL (no node's data folder is
 * every node's): chunks of {@link CHUNK_BYTES}, numbered from 0, written as they arrive and read
 * one at a time. Until `commit` no `files` row names the id, so nobody reads a partial file; an
 * aborted upload's chunks go, and a crash's are found by their age (`sweepPartial`).
 */
export class StoreFileBytes implements FileBytes {
  readonly kind = 'store';

  constructor(private readonly db: Kysely<Database>) {}

  async writer(_appId: string, id: string): Promise<FileBytesWriter> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let n = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.db.insertInto('file_chunks').values({ file_id: id, n: n++, data, created_at: Date.now() }).execute();
    };
    return {
      write: async (chunk) => {
        let rest = chunk;
        while (pendingBytes + rest.length >= CHUNK_BYTES) {
          const take = CHUNK_BYTES - pendingBytes;
          pending.push(rest.subarray(0, take));
          pendingBytes += take;
          rest = rest.subarray(take);
          await flush();
        }
        if (rest.length > 0) {
          pending.push(rest);
          pendingBytes += rest.length;
        }
      },
      commit: flush,
      abort: async () => {
        pending = [];
        pendingBytes = 0;
        await this.db.deleteFrom('file_chunks').where('file_id', '=', id).execute();
      },
    };
  }

  async read(_appId: string, id: string, size: number): Promise<Readable | undefined> {
    const first = await this.chunk(id, 0);
    // An empty file has no chunk.
    if (first === undefined) return size === 0 ? Readable.from([]) : undefined;
    const chunk = (n: number) => this.chunk(id, n);
    async function* chunks(): AsyncGenerator<Buffer> {
      let data: Buffer | undefined = first;
      for (let n = 1; data !== undefined; n++) {
        yield data;
        data = await chunk(n);
      }
    }
    return Readable.from(chunks());
  }

  private async chunk(id: string, n: number): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('file_chunks')
      .select('data')
      .where('file_id', '=', id)
      .where('n', '=', n)
      .executeTakeFirst();
    return row && Buffer.from(row.data);
  }

  async remove(_appId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .deleteFrom('file_chunks')
      .where('file_id', 'in', [...ids])
      .execute();
  }

  async sweepPartial(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('file_chunks')
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('files').select('id').whereRef('files.id', '=', 'file_chunks.file_id'))),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
