import { FileLimits, Limits, MessagingLimits } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { compositeKey } from '../composite-key.js';
import { conferenceKey, peopleKey } from '../store/history-store.js';
import type { FileRecord } from '../store/file-store.js';

/**
 * Is `uid` in conference `conf` of the app now (those who may read its `conf.history`)? `elsewhere`:
 * this node cannot tell, the call being held by another node (several nodes, see conferenceMembership).
 */
export type ConferenceMembers = (appId: string, conf: string, uid: string) => boolean | 'elsewhere';

/**
 * Membership as this node sees it. With several nodes a call lives on one of them (its lease,
 * cluster/room-leases.ts), where its members are, those on other nodes included; a request that
 * lands elsewhere is refused with a message saying why (the bus has no question-and-answer to ask
 * the owner with).
 */
export function conferenceMembership(
  roomOf: (appId: string, conf: string) => { get(uid: string): unknown } | undefined,
  leases: { owns(room: string): boolean } | undefined,
): ConferenceMembers {
  return (appId, conf, uid) => {
    if (roomOf(appId, conf)?.get(uid) !== undefined) return true;
    return leases !== undefined && !leases.owns(compositeKey(appId, conf)) ? 'elsewhere' : false;
  };
}

function notOnThisNode(conf: string): ApiError {
  return ApiError.notAuthorized(
    `The call ${JSON.stringify(conf.slice(0, 64))} is not held by this server node: with several nodes, ` +
      "files of a call's chat are shared and served only by the node holding the call.",
  );
}

/** The conversation an upload goes to, as `Messaging.history` names it, and its file name. */
export interface UploadTarget {
  readonly conv: string;
  readonly people?: readonly string[];
  readonly conference?: string;
  readonly name: string;
}

const KNOWN = new Set(['with', 'group', 'conference', 'name']);
// Control characters (C0, DEL, C1) and the bidirectional overrides that disguise an extension.
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function one(query: Record<string, unknown>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ApiError.badRequest(`${key} is given more than once.`);
  return value;
}

function userId(value: string, key: string): string {
  if (value.length < 1 || value.length > Limits.maxUserIdLength)
    throw ApiError.badRequest(`${key} must be a user id of 1 to ${Limits.maxUserIdLength} characters.`);
  return value;
}

/**
 * `?with=<uid>|group=<uid>&group=<uid>…|conference=<id>&name=<file name>`: exactly one kind of
 * conversation, the caller always one of its people; a conference only while the caller is in it.
 */
export function uploadTarget(raw: unknown, appId: string, uid: string, inConference: ConferenceMembers): UploadTarget {
  const query = (raw ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(query).find((k) => !KNOWN.has(k));
  if (unknown !== undefined) throw ApiError.badRequest(`${unknown.slice(0, 40)} is not a known query parameter.`);
  const name = one(query, 'name');
  if (name === undefined || name.length === 0) throw ApiError.badRequest('name (the file name) is required.');
  if (name.length > FileLimits.maxNameLength)
    throw ApiError.badRequest(`name must be at most ${FileLimits.maxNameLength} characters.`);
  if (UNSAFE_NAME.test(name)) throw ApiError.badRequest('name must not hold control or direction characters.');
  const withUid = one(query, 'with');
  const conference = one(query, 'conference');
  const group = query.group === undefined ? undefined : ([] as unknown[]).concat(query.group);
  const kinds = [withUid, group, conference].filter((k) => k !== undefined).length;
  if (kinds !== 1)
    throw ApiError.badRequest(
      'Name the conversation by exactly one of with (a user id), group (its members, repeated) or conference.',
    );
  if (conference !== undefined) {
    if (conference.length < 1 || conference.length > 256)
      throw ApiError.badRequest('conference must be a conference id of 1 to 256 characters.');
    const member = inConference(appId, conference, uid);
    if (member === 'elsewhere') throw notOnThisNode(conference);
    if (!member) throw ApiError.notAuthorized('Only a participant of the conference may share files in its chat.');
    return { conv: conferenceKey(conference), conference, name };
  }
  const others = withUid !== undefined ? [userId(withUid, 'with')] : group!.map((g) => userId(String(g), 'group'));
  if (others.length > MessagingLimits.maxRecipients)
    throw ApiError.badRequest(`group names at most ${MessagingLimits.maxRecipients} users.`);
  const people = [...new Set([uid, ...others])].sort();
  return { conv: peopleKey(uid, others), people, name };
}

/** Refuses (-35001) a reader who is not in the file's conversation now. */
export function assertReader(file: FileRecord, uid: string, inConference: ConferenceMembers): void {
  const member =
    file.people !== undefined
      ? file.people.includes(uid)
      : file.conference !== undefined && inConference(file.appId, file.conference, uid);
  if (member === 'elsewhere') throw notOnThisNode(file.conference!);
  if (!member) throw ApiError.notAuthorized('Only members of the conversation may fetch its files.');
}

/** `Content-Disposition` with the uploader's name: `filename*` (RFC 8187) and a plain ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
