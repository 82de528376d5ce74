import { FileLimits, FilePaths, MessagingLimits, isErrorInfo, type FileInfo } from '../../protocol/index.js';
import { fileInfo } from '../../protocol/file-info.js';
import { OoVooError } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { userIds } from './recipients.js';

/* The work behind `Messaging.upload` and `Messaging.download` (messaging extras, loaded on first use). */

/**
 * `Messaging.upload(file, params)`: the conversation the file goes into, named as `Messaging.history`
 * names it (exactly one of `with`, `group`, `conference`), and the rest of the upload.
 */
export interface UploadParams {
  /** The other user of a 1:1. */
  with?: string | number;
  /** The other members of a group. */
  group?: ReadonlyArray<string | number>;
  /** A call's chat (for those in the call). */
  conference?: string;
  /** The file name shown and used for downloads (default: a `File`'s own name, else `file`); it never decides the type. */
  name?: string;
  /** Called as bytes go out: how many went, of how many. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting it cancels the upload: the Promise rejects and the server keeps nothing. */
  signal?: AbortSignal;
}

/** Where uploads go: the server the connection is to, and its session token. */
interface Endpoint {
  readonly server: string;
  readonly token: string;
}

function endpoint(signal: SignalClient | undefined): Endpoint {
  if (!signal) throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
  const { url, token } = signal.options;
  return { server: new URL(url.replace(/^ws/, 'http')).origin, token };
}

/** The upload's query: the conversation and the name. */
export function uploadQuery(file: Blob, params: UploadParams): URLSearchParams {
  if (typeof params !== 'object' || params === null)
    throw OoVooError.badRequest('upload needs { with }, { group } or { conference }.');
  const named = (['with', 'group', 'conference'] as const).filter((k) => params[k] !== undefined);
  if (named.length !== 1) throw OoVooError.badRequest('upload needs exactly one of with, group or conference.');
  const query = new URLSearchParams();
  if (params.conference !== undefined) {
    if (typeof params.conference !== 'string' || params.conference === '')
      throw OoVooError.badRequest('conference must be a conference id.');
    query.set('conference', params.conference);
  } else if (params.with !== undefined) {
    if (Array.isArray(params.with)) throw OoVooError.badRequest('with is one user id; name a group with group.');
    query.set('with', userIds(params.with)[0]!);
  } else {
    const group = userIds(params.group!);
    if (group.length === 0 || group.length > MessagingLimits.maxRecipients)
      throw OoVooError.badRequest(`group must name 1 to ${MessagingLimits.maxRecipients} users.`);
    for (const uid of group) query.append('group', uid);
  }
  const name = params.name ?? ((file as Partial<File>).name || 'file');
  if (typeof name !== 'string' || name.length === 0 || name.length > FileLimits.maxNameLength)
    throw OoVooError.badRequest(`name must be 1 to ${FileLimits.maxNameLength} characters.`);
  query.set('name', name);
  return query;
}

/** The error an answer carries (the API's envelope), else one that says what the server answered. */
function answerError(status: number, data: unknown): OoVooError {
  const error = (data as { error?: unknown } | null | undefined)?.error;
  if (isErrorInfo(error)) return OoVooError.fromInfo(error);
  return OoVooError.unspecified(`The server answered HTTP ${status}.`);
}

const canceled = () => OoVooError.unspecified('The upload was canceled.');

/** Uploads `file` over HTTP (XMLHttpRequest: progress and abort); resolves with what the server says of it. */
export function uploadFile(signal: SignalClient | undefined, file: Blob, params: UploadParams): Promise<FileInfo> {
  if (!(file instanceof Blob)) return Promise.reject(OoVooError.badRequest('upload needs a File or Blob.'));
  let query: URLSearchParams;
  let to: Endpoint;
  try {
    query = uploadQuery(file, params);
    to = endpoint(signal);
  } catch (e) {
    return Promise.reject(e);
  }
  const { onProgress, signal: abort } = params;
  if (abort?.aborted) return Promise.reject(canceled());
  return new Promise<FileInfo>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const done = (settle: () => void) => {
      abort?.removeEventListener('abort', onAbort);
      settle();
    };
    xhr.open('POST', `${to.server}${FilePaths.upload}?${query}`);
    xhr.setRequestHeader('Authorization', `Bearer ${to.token}`);
    xhr.responseType = 'json';
    if (typeof onProgress === 'function')
      xhr.upload.addEventListener('progress', (e) => {
        try {
          onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
        } catch (error) {
          // The app's callback threw: report it as the browser would, and go on.
          queueMicrotask(() => {
            throw error;
          });
        }
      });
    xhr.addEventListener('load', () =>
      done(() => {
        const info = fileInfo(xhr.response);
        if (xhr.status >= 200 && xhr.status < 300 && info) resolve(info);
        else reject(answerError(xhr.status, xhr.response));
      }),
    );
    // Chromium reports a connection the server closed after refusing early (a file too large) as a network error.
    xhr.addEventListener('error', () =>
      done(() => reject(OoVooError.unspecified(`The upload to ${to.server} failed: the connection ended.`))),
    );
    xhr.addEventListener('abort', () => done(() => reject(canceled())));
    abort?.addEventListener('abort', onAbort, { once: true });
    xhr.send(file);
  });
}

/** The bytes of a file of one of the user's conversations. */
export async function downloadFile(signal: SignalClient | undefined, fileId: string): Promise<Blob> {
  if (typeof fileId !== 'string' || !FileLimits.idPattern.test(fileId))
    throw OoVooError.badRequest('download needs the id of a file (f_ and 32 characters).');
  const to = endpoint(signal);
  let response: Response;
  try {
    response = await fetch(to.server + FilePaths.file + fileId, {
      headers: { Authorization: `Bearer ${to.token}` },
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw OoVooError.unspecified(`Could not reach the server at ${to.server}.`);
  }
  if (response.ok) return response.blob();
  throw answerError(response.status, await response.json().catch(() => undefined));
}

/** A send's `files` as `msg.send` carries them (`{ id, thumb }` each); undefined when it names none. */
export function sendFiles(files: unknown): Array<{ id: string; thumb?: string }> | undefined {
  if (files === undefined || (Array.isArray(files) && files.length === 0)) return undefined;
  if (!Array.isArray(files) || files.length > FileLimits.maxFilesPerMessage)
    throw OoVooError.badRequest(`files must list at most ${FileLimits.maxFilesPerMessage} uploaded files.`);
  return files.map((f: unknown) => {
    const { id, thumb } = (f ?? {}) as { id?: unknown; thumb?: unknown };
    const isId = (v: unknown): v is string => typeof v === 'string' && FileLimits.idPattern.test(v);
    if (!isId(id) || (thumb !== undefined && !isId(thumb)))
      throw OoVooError.badRequest('each of files must be an uploaded file ({ id, thumb } from Messaging.upload).');
    return thumb === undefined ? { id } : { id, thumb };
  });
}
