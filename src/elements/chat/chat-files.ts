import { adoptStyles, html, nothing, type LitElement } from 'lit';
import { fileInfos } from '../../protocol/file-info.js';
import {
  FILE_QUOTA_CODE,
  FILE_TOO_LARGE_CODE,
  FileLimits,
  INLINE_IMAGE_TYPES,
  type FileInfo,
} from '../../protocol/files.js';
import { OoVooError } from '../../sdk/errors.js';
import { langOf } from '../lang/lang.js';
import type { AttachmentsHost, AttachmentsOptions, AttachTarget } from './chat-attachments.js';
import type { ChatMessage, ChatStrings } from './chat-message.js';
import filesStyles from './chat-files.styles.js';

/** Longest side of a thumbnail, in pixels. */
const THUMB_PX = 320;
/** Longest body a message of files gets (its file names; the rest is cut). */
const MAX_BODY_CHARS = 1000;

/** One send of files: its progress over every upload it makes (thumbnails too), or why it failed. */
interface Upload {
  readonly label: string;
  readonly abort: AbortController;
  sent: number;
  total: number;
  error?: string;
}

const isInlineImage = (type: string) => (INLINE_IMAGE_TYPES as readonly string[]).includes(type);

/** A thumbnail of an image, at most THUMB_PX on its longest side: WebP, else JPEG; undefined when it cannot be decoded. */
async function thumbnail(image: Blob): Promise<Blob | undefined> {
  try {
    const bitmap = await createImageBitmap(image);
    const scale = Math.min(1, THUMB_PX / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const encode = (type: string) => new Promise<Blob | null>((done) => canvas.toBlob(done, type, 0.8));
    // A browser that cannot write WebP gives PNG instead: JPEG then.
    const webp = await encode('image/webp');
    return webp?.type === 'image/webp' ? webp : ((await encode('image/jpeg')) ?? undefined);
  } catch {
    // Not an image the browser can decode: it goes as a plain file.
    return undefined;
  }
}

/** Why an upload failed, in the chat's words (the server's description otherwise). */
export function uploadWords(e: unknown, name: string, t: (key: keyof ChatStrings) => string): string {
  const { code, description } = OoVooError.from(e);
  const key: keyof ChatStrings =
    code === FILE_TOO_LARGE_CODE
      ? 'fileTooLarge'
      : code === FILE_QUOTA_CODE
        ? 'fileQuota'
        : /^Too many/.test(description)
          ? 'fileTooFast'
          : /^Not connected/.test(description)
            ? 'failedOffline'
            : 'fileFailed';
  return t(key)
    .replace('{name}', () => name)
    .replace('{reason}', () => description);
}

/**
 * The files of <oovoo-chat> (loaded on first use by chat-attachments.ts): uploads with a thumbnail
 * made here for each image and one progress bar per send (cancelable), the messages' thumbnails and
 * files through object URLs of what `Messaging.download` fetched (revoked once no message shows
 * them), and an image at full size in a modal dialog.
 */
export class ChatFiles {
  private uploads: Upload[] = [];
  private dragOver = false;
  private viewer: FileInfo | undefined;
  /** Object URLs by file id (a Promise while it downloads; null when it could not). */
  private readonly urls = new Map<string, string | Promise<void> | null>();
  /** The bytes of this page's own uploads, shown without downloading them again. */
  private readonly local = new Map<string, Blob>();

  constructor(
    private readonly host: AttachmentsHost,
    private readonly options: AttachmentsOptions,
  ) {
    const element = host as unknown as LitElement;
    adoptStyles(element.renderRoot as ShadowRoot, [
      ...(element.constructor as typeof LitElement).elementStyles,
      filesStyles,
    ]);
  }

  private readonly t = (key: keyof ChatStrings) => this.options.t(key);

  dragging(on: boolean): void {
    if (on === this.dragOver) return;
    this.dragOver = on;
    this.host.requestUpdate();
  }

  /** Uploads `files` into the conversation (each image after its thumbnail), then sends one message with them all. */
  async attach(files: readonly File[], target: AttachTarget): Promise<void> {
    const label = files.map((f) => f.name || 'file').join(', ');
    const upload: Upload = { label, abort: new AbortController(), sent: 0, total: 0 };
    this.uploads = [...this.uploads.filter((u) => !u.error), upload];
    this.host.requestUpdate();
    let current = label;
    try {
      if (files.length > FileLimits.maxFilesPerMessage)
        throw OoVooError.badRequest(this.t('fileTooMany').replace('{count}', String(FileLimits.maxFilesPerMessage)));
      const thumbs = await Promise.all(files.map((f) => (isInlineImage(f.type) ? thumbnail(f) : undefined)));
      const parts = [...files, ...thumbs].filter((b): b is Blob => b !== undefined);
      upload.total = parts.reduce((sum, b) => sum + b.size, 0);
      let done = 0;
      const send = async (blob: Blob, name: string) => {
        const info = await target.messaging.upload(blob, {
          ...target.conversation,
          name,
          signal: upload.abort.signal,
          onProgress: (sent) => {
            upload.sent = done + sent;
            this.host.requestUpdate();
          },
        });
        done += blob.size;
        this.local.set(info.id, blob);
        return info;
      };
      const sent: FileInfo[] = [];
      for (const [i, file] of files.entries()) {
        current = file.name || 'file';
        const thumb = thumbs[i] && (await send(thumbs[i], `thumbnail.${thumbs[i].type.slice(6)}`));
        const info = await send(file, current);
        sent.push(thumb ? { ...info, thumb: thumb.id } : info);
      }
      this.drop(upload);
      const body = label.length > MAX_BODY_CHARS ? `${label.slice(0, MAX_BODY_CHARS)}…` : label;
      this.options.send(body, sent);
    } catch (e) {
      // Canceled: it goes without a word (what was uploaded is removed by the server, never sent).
      if (upload.abort.signal.aborted) return this.drop(upload);
      upload.error =
        files.length > FileLimits.maxFilesPerMessage ? OoVooError.from(e).description : uploadWords(e, current, this.t);
      this.host.requestUpdate();
      this.options.fail(e);
    }
  }

  /** Stops every upload and lets go of every object URL (the chat left the page). */
  clear(): void {
    for (const u of this.uploads) u.abort.abort();
    this.uploads = [];
    this.viewer = undefined;
    for (const url of this.urls.values()) if (typeof url === 'string') URL.revokeObjectURL(url);
    this.urls.clear();
    this.local.clear();
  }

  /** Lets go of the files no message shows any more (another conversation, a deleted message). */
  keepOnly(messages: readonly ChatMessage[]): void {
    const shown = new Set<string>();
    for (const m of messages)
      if (!m.deleted) for (const f of m.files ?? []) for (const id of [f.id, f.thumb]) if (id) shown.add(id);
    const busy = this.uploads.some((u) => !u.error);
    for (const [id, url] of this.urls)
      if (!shown.has(id) && id !== this.viewer?.id) {
        if (typeof url === 'string') URL.revokeObjectURL(url);
        this.urls.delete(id);
      }
    // A send under way keeps what it uploaded until its message shows.
    if (!busy) for (const id of this.local.keys()) if (!shown.has(id)) this.local.delete(id);
  }

  renderUploads() {
    const t = this.t;
    return html`${this.dragOver ? html`<p part="drop-hint">${t('dropFiles')}</p>` : nothing}
    ${
      this.uploads.length
        ? html`<ul part="uploads">
            ${this.uploads.map((u) =>
              u.error
                ? html`<li part="upload-error">
                    <span role="alert">${u.error}</span>
                    <button part="upload-dismiss" type="button" @click=${() => this.drop(u)}>${t('dismiss')}</button>
                  </li>`
                : html`<li part="upload">
                    <span part="upload-name">${t('sendingFiles').replace('{name}', () => u.label)}</span>
                    <progress
                      part="upload-progress"
                      max=${u.total || 1}
                      value=${u.sent}
                      aria-label=${u.label}
                    ></progress>
                    <button part="upload-cancel" type="button" @click=${() => this.cancel(u)}>${t('cancel')}</button>
                  </li>`,
            )}
          </ul>`
        : nothing
    }
    ${this.renderViewer()}`;
  }

  renderFiles(files: readonly FileInfo[]) {
    // A call's data is another page's word: only well-formed files are shown.
    const list = fileInfos(files) ?? [];
    return html`<ul part="files">
      ${list.map((f) => (f.thumb && isInlineImage(f.type) ? this.renderImage(f, f.thumb) : this.renderFile(f)))}
    </ul>`;
  }

  private renderImage(f: FileInfo, thumb: string) {
    const url = this.url(thumb, true);
    return html`<li part="file image">
      <button
        part="thumbnail"
        type="button"
        aria-label=${this.t('openImage').replace('{name}', () => f.name)}
        @click=${() => this.open(f)}
      >
        ${url ? html`<img src=${url} alt=${f.name} />` : html`<span>${f.name}</span>`}
      </button>
    </li>`;
  }

  private renderFile(f: FileInfo) {
    const url = this.urls.get(f.id);
    return html`<li part="file">
      <a
        part="file-download"
        href=${typeof url === 'string' ? url : '#'}
        download=${f.name}
        title=${this.t('downloadFile').replace('{name}', () => f.name)}
        @click=${(e: MouseEvent) => this.download(e, f)}
        >${f.name}</a
      ><span part="file-size">${this.size(f.size)}</span>
    </li>`;
  }

  private renderViewer() {
    const f = this.viewer;
    if (!f) return nothing;
    const url = this.url(f.id, true);
    return html`<dialog part="viewer" aria-label=${f.name} @close=${() => this.close()}>
      <form method="dialog">
        <button part="viewer-close" type="submit">${this.t('closeImage')}</button>
      </form>
      ${url ? html`<img part="full-image" src=${url} alt=${f.name} />` : html`<p>${f.name}</p>`}
    </dialog>`;
  }

  private async open(f: FileInfo): Promise<void> {
    this.viewer = f;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const dialog = this.host.renderRoot.querySelector<HTMLDialogElement>('[part="viewer"]');
    if (dialog && !dialog.open) dialog.showModal();
  }

  private close(): void {
    const f = this.viewer;
    this.viewer = undefined;
    // The full image is the viewer's alone: its memory goes with it.
    const url = f && this.urls.get(f.id);
    if (f && typeof url === 'string') URL.revokeObjectURL(url);
    if (f) this.urls.delete(f.id);
    this.host.requestUpdate();
  }

  /** A first click fetches the file, then follows the link it became. */
  private async download(e: MouseEvent, f: FileInfo): Promise<void> {
    const link = e.currentTarget as HTMLAnchorElement;
    if (typeof this.urls.get(f.id) === 'string') return;
    e.preventDefault();
    this.url(f.id, false);
    await this.urls.get(f.id);
    await this.host.updateComplete;
    if (typeof this.urls.get(f.id) === 'string') link.click();
  }

  private cancel(u: Upload): void {
    u.abort.abort();
    this.drop(u);
  }

  private drop(u: Upload): void {
    this.uploads = this.uploads.filter((x) => x !== u);
    this.host.requestUpdate();
  }

  /** The object URL of a file, fetching it on first use (undefined meanwhile, or when it could not be had). */
  private url(id: string, image: boolean): string | undefined {
    const known = this.urls.get(id);
    if (typeof known === 'string') return known;
    if (known === undefined) {
      const pending: Promise<void> = this.fetch(id, image).then((url) => {
        // Let go of meanwhile (its message gone): the URL goes too.
        if (this.urls.get(id) === pending) this.urls.set(id, url);
        else if (url) URL.revokeObjectURL(url);
        this.host.requestUpdate();
      });
      this.urls.set(id, pending);
    }
    return undefined;
  }

  private async fetch(id: string, image: boolean): Promise<string | null> {
    try {
      const blob = this.local.get(id) ?? (await this.options.messaging()?.download(id));
      if (!blob) return null;
      // Only a picture is ever shown as what it is; anything else can only be saved, never opened here.
      return URL.createObjectURL(
        image && isInlineImage(blob.type) ? blob : new Blob([blob], { type: 'application/octet-stream' }),
      );
    } catch {
      // Gone, or not this user's to read: its name stays, without the picture or the link.
      return null;
    }
  }

  private size(bytes: number): string {
    const [value, unit] =
      bytes >= 1024 * 1024
        ? [bytes / 1024 / 1024, 'megabyte']
        : bytes >= 1024
          ? [bytes / 1024, 'kilobyte']
          : [bytes, 'byte'];
    const options: Intl.NumberFormatOptions = { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 };
    try {
      return new Intl.NumberFormat(langOf(this.host) || undefined, options).format(value);
    } catch {
      // Not a language tag: the browser's language.
      return new Intl.NumberFormat(undefined, options).format(value);
    }
  }
}
