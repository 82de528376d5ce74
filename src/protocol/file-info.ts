import { FileLimits, type FileInfo } from './files.js';

/** Longest `type` kept from a message's file (a MIME type is far shorter). */
const MAX_TYPE_LENGTH = 255;

const isFileId = (v: unknown): v is string => typeof v === 'string' && FileLimits.idPattern.test(v);

/** One `FileInfo` as it came from elsewhere (a delivery, a page, a call's data), if it is well formed. */
export function fileInfo(value: unknown): FileInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, name, size, type, thumb } = value as Record<string, unknown>;
  if (!isFileId(id) || (thumb !== undefined && !isFileId(thumb))) return undefined;
  if (typeof name !== 'string' || name.length === 0 || name.length > FileLimits.maxNameLength) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (typeof type !== 'string' || type.length > MAX_TYPE_LENGTH) return undefined;
  return { id, name, size, type, ...(thumb === undefined ? {} : { thumb }) };
}

/**
 * The files a message says it carries, each checked and copied (nothing else of the objects kept); undefined
 * when it names none, or more than a message may carry, or any of them is malformed (untrusted input: all or nothing).
 */
export function fileInfos(value: unknown): FileInfo[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > FileLimits.maxFilesPerMessage) return undefined;
  const files = value.map(fileInfo);
  return files.every((f) => f !== undefined) ? (files as FileInfo[]) : undefined;
}
