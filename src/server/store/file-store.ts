import type { Kysely, Transaction } from 'kysely';
import { ErrorCode, type FileInfo, type MessageFileRef } from '../../protocol/index.js';
import type { Database } from './schema.js';

/** The file tables, as Kysely sees them. Times are milliseconds since the epoch. */
export interface FileTables {
  /** What is known of each upload; its bytes are elsewhere (files/file-bytes.ts). */
  files: {
    id: string;
    app_id: string;
    owner: string;
    /** The conversation's key: history-store.ts's peopleKey or conferenceKey. */
    conv: string;
    /** JSON array of the conversation's people (sorted); null for a call's chat. */
    people: string | null;
    /** The conference of a call's chat; null otherwise. */
    conference: string | null;
    name: string;
    /** Found in the content (file-type); application/octet-stream when not recognised. */
    type: string;
    size: number;
    sha256: string;
    created_at: number;
    sent_at: number | null;
    msg_id: string | null;
  };
  /** Bytes of files when the store keeps them (nodes sharing a PostgreSQL): file-blobs.ts. */
  file_chunks: {
    file_id: string;
    n: number;
    data: Buffer;
    created_at: number;
  };
}

export interface FileRecord {
  readonly appId: string;
  readonly id: string;
  readonly owner: string;
  readonly conv: string;
  /** The people of a 1:1 or group conversation; undefined for a call's chat. */
  readonly people?: readonly string[];
  /** The conference of a call's chat. */
  readonly conference?: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: number;
  readonly sentAt: number | null;
  readonly msgId: string | null;
}

type FileRow = FileTables['files'];

function toRecord(row: FileRow): FileRecord {
  return {
    appId: row.app_id,
    id: row.id,
    owner: row.owner,
    conv: row.conv,
    ...(row.people === null ? {} : { people: JSON.parse(row.people) as string[] }),
    ...(row.conference === null ? {} : { conference: row.conference }),
    name: row.name,
    type: row.type,
    size: Number(row.size),
    sha256: row.sha256,
    createdAt: Number(row.created_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
    msgId: row.msg_id,
  };
}

/** What an upload's answer, a delivery and a history page say of a file. */
export function fileInfoOf(record: Pick<FileRecord, 'id' | 'name' | 'size' | 'type'>, thumb?: string): FileInfo {
  return {
    id: record.id,
    name: record.name,
    size: record.size,
    type: record.type,
    ...(thumb === undefined ? {} : { thumb }),
  };
}

export interface FileStore {
  add(record: FileRecord): Promise<void>;
  get(appId: string, id: string): Promise<FileRecord | undefined>;
  /** Bytes of the files one user keeps in an app (the per-user quota). */
  usedBytes(appId: string, owner: string): Promise<number>;
  /** Ids of the files a message carries. */
  ofMessage(appId: string, msgId: string): Promise<string[]>;
  /** At most `limit` ids of files sent before `before` (`sent`), or never sent and uploaded before it. */
  expired(appId: string, kind: 'sent' | 'unsent', before: number, limit: number): Promise<string[]>;
  /** Forgets these files (their bytes are removed first, by the caller); returns how many went. */
  remove(appId: string, ids: readonly string[]): Promise<number>;
  /** Apps that hold files (apps deleted since included). */
  appsWithFiles(): Promise<string[]>;
}

export class KyselyFileStore implements FileStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(r: FileRecord): Promise<void> {
    await this.db
      .insertInto('files')
      .values({
        id: r.id,
        app_id: r.appId,
        owner: r.owner,
        conv: r.conv,
        people: r.people ? JSON.stringify(r.people) : null,
        conference: r.conference ?? null,
        name: r.name,
        type: r.type,
        size: r.size,
        sha256: r.sha256,
        created_at: r.createdAt,
        sent_at: r.sentAt,
        msg_id: r.msgId,
      })
      .execute();
  }

  async get(appId: string, id: string): Promise<FileRecord | undefined> {
    const row = await this.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', id)
      .where('app_id', '=', appId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async usedBytes(appId: string, owner: string): Promise<number> {
    const row = await this.db
      .selectFrom('files')
      .select((eb) => eb.fn.sum<number>('size').as('n'))
      .where('app_id', '=', appId)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async ofMessage(appId: string, msgId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('files')
      .select('id')
      .where('app_id', '=', appId)
      .where('msg_id', '=', msgId)
      .execute();
    return rows.map((r) => r.id);
  }

  async expired(appId: string, kind: 'sent' | 'unsent', before: number, limit: number): Promise<string[]> {
    let query = this.db.selectFrom('files').select('id').where('app_id', '=', appId);
    query =
      kind === 'sent'
        ? query.where('sent_at', 'is not', null).where('sent_at', '<', before).orderBy('sent_at')
        : query.where('sent_at', 'is', null).where('created_at', '<', before).orderBy('created_at');
    const rows = await query.limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async remove(appId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .deleteFrom('files')
      .where('app_id', '=', appId)
      .where('id', 'in', [...ids])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async appsWithFiles(): Promise<string[]> {
    const rows = await this.db.selectFrom('files').select('app_id').distinct().execute();
    return rows.map((r) => r.app_id);
  }
}

export type FileClaim = { ok: true; files: FileInfo[] } | { ok: false; code: number; description: string };

/**
 * The files a send names, checked in its commit (commit-batch.ts): each the sender's own upload
 * to this very conversation, not sent with another message. Reads only; `markSent` claims them.
 */
export async function checkFiles(
  trx: Transaction<Database>,
  appId: string,
  sender: string,
  conv: string,
  refs: readonly MessageFileRef[],
): Promise<FileClaim> {
  const ids = [...new Set(refs.flatMap((r) => (r.thumb === undefined ? [r.id] : [r.id, r.thumb])))];
  const rows = await trx
    .selectFrom('files')
    .select(['id', 'owner', 'conv', 'name', 'type', 'size', 'msg_id'])
    .where('app_id', '=', appId)
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    const named = JSON.stringify(id);
    if (!row) return { ok: false, code: ErrorCode.InvalidResource, description: `There is no file ${named}.` };
    if (row.owner !== sender)
      return { ok: false, code: ErrorCode.NotAuthorized, description: `The file ${named} is not your upload.` };
    if (row.conv !== conv)
      return {
        ok: false,
        code: ErrorCode.NotAuthorized,
        description: `The file ${named} was uploaded to another conversation.`,
      };
    if (row.msg_id !== null)
      return { ok: false, code: ErrorCode.BadRequest, description: `The file ${named} was sent with another message.` };
  }
  const info = (id: string) => {
    const row = byId.get(id)!;
    return { id, name: row.name, size: Number(row.size), type: row.type };
  };
  return { ok: true, files: refs.map((r) => fileInfoOf(info(r.id), r.thumb)) };
}

/**
 * Marks the files (and their thumbnails) as carried by the message: no other send may name them.
 * Returns how many it marked (fewer than named: another message claimed one meanwhile).
 */
export async function markSent(
  trx: Transaction<Database>,
  appId: string,
  files: readonly FileInfo[],
  msgId: string,
  at: number,
): Promise<number> {
  const ids = [...new Set(files.flatMap((f) => (f.thumb === undefined ? [f.id] : [f.id, f.thumb])))];
  const result = await trx
    .updateTable('files')
    .set({ sent_at: at, msg_id: msgId })
    .where('app_id', '=', appId)
    .where('id', 'in', ids)
    .where('msg_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
