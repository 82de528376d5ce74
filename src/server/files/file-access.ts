import { ErrorCode, FileLimits, Limits, MessagingLimits } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { NodeQuestionError, type NodeQuestions } from '../cluster/node-questions.js';
import { compositeKey } from '../composite-key.js';
import { conferenceKey, peopleKey } from '../store/history-store.js';
import type { FileRecord } from '../store/file-store.js';

/**
 * Is `uid` in conference `conf` of the app now (those who may read its `conf.history`)? Rejects
 * with a 503 {@link ApiError} when the node holding the call does not answer (several nodes).
 */
export type ConferenceMembers = (appId: string, conf: string, uid: string) => Promise<boolean>;

/** Seconds a client waits before asking again when the node holding the call did not answer. */
const OWNER_RETRY_S = 2;

/**
 * Membership as the node holding the call sees it. With several nodes a call lives on one of them
 * (its lease, cluster/room-leases.ts), where its members are, those on other nodes included: a
 * request that lands on another node asks that one over the bus (cluster/node-questions.ts), which
 * answers from its own rooms. No node holding the call means nobody is in it.
 */
export function conferenceMembership(
  roomOf: (appId: string, conf: string) => { get(uid: string): unknown } | undefined,
  cluster: {
    readonly leases: { owns(room: string): boolean; holder(room: string): Promise<string | undefined> } | undefined;
    readonly questions: NodeQuestions | undefined;
  },
): ConferenceMembers {
  const here = (appId: string, conf: string, uid: string) => roomOf(appId, conf)?.get(uid) !== undefined;
  const { leases, questions } = cluster;
  questions?.answer('conf.member', (q) => typeof q?.uid === 'string' && here(String(q.appId), String(q.conf), q.uid));
  return async (appId, conf, uid) => {
    if (here(appId, conf, uid)) return true;
    if (!leases || !questions || leases.owns(compositeKey(appId, conf))) return false;
    let owner: string | undefined;
    try {
      owner = await leases.holder(compositeKey(appId, conf));
    } catch {
      throw ownerUnavailable(conf, 'could not be found');
    }
    // This node holding it (still claiming it) has the answer already.
    if (owner === undefined || owner === questions.node) return false;
    try {
      return (await questions.ask(owner, 'conf.member', { appId, conf, uid })) === true;
    } catch (e) {
      throw ownerUnavailable(
        conf,
        e instanceof NodeQuestionError && e.reason === 'busy' ? 'is busy' : 'did not answer',
      );
    }
  };
}

/** The node holding the call is out of reach (it may be moving to another node): try again shortly. */
function ownerUnavailable(conf: string, what: string): ApiError {
  return new ApiError(
    503,
    ErrorCode.UnspecifiedError,
    `The server node holding the call ${JSON.stringify(conf.slice(0, 64))} ${what}; retry in ${OWNER_RETRY_S} s.`,
    OWNER_RETRY_S,
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
export async function uploadTarget(
  raw: unknown,
  appId: string,
  uid: string,
  inConference: ConferenceMembers,
): Promise<UploadTarget> {
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
    if (!(await inConference(appId, conference, uid)))
      throw ApiError.notAuthorized('Only a participant of the conference may share files in its chat.');
    return { conv: conferenceKey(conference), conference, name };
  }
  const others = withUid !== undefined ? [userId(withUid, 'with')] : group!.map((g) => userId(String(g), 'group'));
  if (others.length > MessagingLimits.maxRecipients)
    throw ApiError.badRequest(`group names at most ${MessagingLimits.maxRecipients} users.`);
  const people = [...new Set([uid, ...others])].sort();
  return { conv: peopleKey(uid, others), people, name };
}

/** Refuses (-35001) a reader who is not in the file's conversation now. */
export async function assertReader(file: FileRecord, uid: string, inConference: ConferenceMembers): Promise<void> {
  const member =
    file.people !== undefined
      ? file.people.includes(uid)
      : file.conference !== undefined && (await inConference(file.appId, file.conference, uid));
  if (!member) throw ApiError.notAuthorized('Only members of the conversation may fetch its files.');
}

/** `Content-Disposition` with the uploader's name: `filename*` (RFC 8187) and a plain ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
