/**
 * Files and images in chats. A file is uploaded over HTTP (`POST /1.0/files`, the session token as
 * `Authorization: Bearer …`, the bytes as the body) into one conversation, named by the query
 * exactly as `Messaging.history` names it: `with=<uid>` (a 1:1), `group=<uid>` repeated (a group: the
 * uploader and those users) or `conference=<id>` (a call's chat). The server decides the type from
 * the content, never from the name or the request's `Content-Type`, keeps the bytes (in the data
 * folder; in the store when nodes share a PostgreSQL) and serves them (`GET /1.0/files/<id>`, the
 * session token again) only to that conversation's members: an image of a safe kind inline, anything
 * else as a download (`Content-Disposition: attachment`), always with `X-Content-Type-Options:
 * nosniff`. SVG and HTML are never served as what they are.
 *
 * A message carries files by id (`msg.send`'s `files`; a call's chat in its `ConferenceChatData`);
 * the server fills in what it knows of each (`FileInfo`) in deliveries and history pages.
 */
import { arrayOf, object, optional, str } from './schema.js';

export const FileLimits = {
  /** An app's largest file when it sets none (10 MB); per app: `oovoo-server app files --max-mb N`. */
  defaultMaxBytes: 10 * 1024 * 1024,
  /** An app's largest file may be set up to this (100 MB). */
  maxMaxBytes: 100 * 1024 * 1024,
  /** What one user may keep in files at a time when the app sets no other quota (200 MB). */
  defaultUserQuotaBytes: 200 * 1024 * 1024,
  /** Longest file name kept (longer ones are refused, not cut). */
  maxNameLength: 255,
  /** Files one message may carry. */
  maxFilesPerMessage: 10,
  /** A file's id: `f_` and 32 base64url characters. */
  idPattern: /^f_[A-Za-z0-9_-]{32}$/,
  /** An upload named in no message within this time is removed (a canceled or abandoned send). */
  unsentTtlMs: 24 * 60 * 60 * 1000,
} as const;

// Codes of the spec's -603XX "Invalid Business case" group, one per refusal so an app can word each.
/** The file is larger than the app allows (`FileLimits.defaultMaxBytes` unless the app sets another); HTTP 413. */
export const FILE_TOO_LARGE_CODE = -60320;
/** The uploader's files would take more than the app's per-user quota; HTTP 413. */
export const FILE_QUOTA_CODE = -60321;

export const FilePaths = {
  /** POST: upload (query: the conversation, `name`). */
  upload: '/1.0/files',
  /** GET `/1.0/files/<id>`: the bytes (a thumbnail is a file of its own). */
  file: '/1.0/files/',
} as const;

/**
 * Types the server recognises from the content. Only the image kinds here are ever served inline;
 * every other file (and every type not recognised: `application/octet-stream`) is a download.
 */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** What a message says of one of its files (deliveries, history pages, the upload's answer). */
export interface FileInfo {
  readonly id: string;
  /** The uploader's file name (shown and used for downloads; never decides the type). */
  readonly name: string;
  readonly size: number;
  /** The type found in the content. */
  readonly type: string;
  /** Id of the thumbnail the uploader's browser made for an image (a small JPEG or WebP), if any. */
  readonly thumb?: string;
}

/** The answer of an upload: 201 with this JSON. Errors are the API's error envelope (api-error.ts) with a code from the table. */
export type FileUploadResult = FileInfo;

const fileId = str({ min: 1, max: 64, pattern: FileLimits.idPattern });

/** One file a send names: an uploaded file's id and, for an image, its thumbnail's. */
export const messageFileRef = object({ id: fileId, thumb: optional(fileId) });
export type MessageFileRef = ReturnType<typeof messageFileRef>;

/** `msg.send`'s optional `files` (protocol/messaging.ts). */
export const messageFiles = optional(arrayOf(messageFileRef, { min: 1, max: FileLimits.maxFilesPerMessage }));
