import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { Paperclip } from 'lucide';
import type { FileInfo } from '../../protocol/files.js';
import type { UploadParams } from '../../sdk/messaging/files.js';
import type { Messaging } from '../../sdk/messaging/messaging.js';
import { OoVooError } from '../../sdk/errors.js';
import { icon } from '../icons.js';
import type { ChatMessage, ChatStrings } from './chat-message.js';
import type { ChatFiles } from './chat-files.js';

/** Where the chat's files go: the messaging to upload with, and the conversation (as `Messaging.upload` names it). */
export interface AttachTarget {
  readonly messaging: Messaging;
  readonly conversation: Pick<UploadParams, 'with' | 'group' | 'conference'>;
}

export interface AttachmentsHost extends ReactiveControllerHost, HTMLElement {
  readonly messages: readonly ChatMessage[];
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface AttachmentsOptions {
  /** Where files go now; undefined while the chat cannot send. */
  target(): AttachTarget | undefined;
  /** What downloads the messages' files (the signed-in client's); undefined while signed out. */
  messaging(): Messaging | undefined;
  /** Sends the message that carries the uploaded files, as the chat sends any (`oovoo-send`, Sending…, receipts). */
  send(body: string, files: readonly FileInfo[]): void;
  fail(e: unknown): void;
  t(key: keyof ChatStrings): string;
}

/** What stays in <oovoo-chat> itself: the attach button; the rest loads on first use. */
export const attachStyles = css`
  [part='attach'] {
    display: inline-grid;
    place-items: center;
    padding: 0.375rem;
    background: none;
    color: inherit;
    border: 1px solid var(--oovoo-border-color, #8a8a8f);
  }
  [part='attach'] svg {
    width: 1.25rem;
    height: 1.25rem;
  }
  /* Phones (chat.styles.ts' query): a 44 px target. */
  @media (max-width: 640px), (max-height: 500px) and (pointer: coarse) {
    [part='attach'] {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
  }
`;

let loading: Promise<typeof import('./chat-files.js')> | undefined;
/** The files' work (chat-files.ts), once: a chat that never meets a file never loads it. */
const loadFiles = () =>
  (loading ??= import('./chat-files.js').catch((e: unknown) => {
    loading = undefined;
    throw e;
  }));

/**
 * Files and images in <oovoo-chat>: the attach button, files dropped on the chat or pasted into it,
 * and the files of messages. Everything past the button (thumbnails, uploads and their progress, the
 * full-size view, downloads) is chat-files.ts, loaded when the first file is attached or shown.
 */
export class ChatAttachments implements ReactiveController {
  private work: ChatFiles | undefined;
  private readonly onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files') || !this.options.target()) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.use((work) => work.dragging(true));
  };
  private readonly onDragLeave = (e: DragEvent) => {
    // Leaving for a child of the chat is no leaving.
    if (!this.host.contains(e.relatedTarget as Node | null)) this.work?.dragging(false);
  };
  private readonly onDrop = (e: DragEvent) => {
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    this.work?.dragging(false);
    this.attach(files);
  };
  private readonly onPaste = (e: ClipboardEvent) => {
    const files = [...(e.clipboardData?.files ?? [])];
    // Pasted text goes into the text area as always.
    if (files.length === 0) return;
    e.preventDefault();
    this.attach(files);
  };

  constructor(
    private readonly host: AttachmentsHost,
    private readonly options: AttachmentsOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('dragleave', this.onDragLeave);
    this.host.addEventListener('drop', this.onDrop);
    this.host.renderRoot.addEventListener('paste', this.onPaste as EventListener);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragover', this.onDragOver);
    this.host.removeEventListener('dragleave', this.onDragLeave);
    this.host.removeEventListener('drop', this.onDrop);
    this.host.renderRoot.removeEventListener('paste', this.onPaste as EventListener);
    // Uploads stop, and the images' object URLs go.
    this.work?.clear();
  }

  hostUpdated(): void {
    this.work?.keepOnly(this.host.messages);
  }

  /** Sends `files` in one message (images with a thumbnail made here first); progress shows above the form. */
  attach(files: readonly File[]): void {
    if (files.length === 0) return;
    const target = this.options.target();
    if (!target) {
      this.options.fail(OoVooError.badRequest('Nothing to send with: sign in, and set `to` or join a conference.'));
      return;
    }
    this.use((work) => work.attach(files, target));
  }

  /** The attach button and its file chooser. */
  renderButton() {
    const label = this.options.t('attachFiles');
    return html`<button
        part="attach"
        type="button"
        aria-label=${label}
        title=${label}
        ?disabled=${!this.options.target()}
        @click=${(e: Event) => ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()}
      >
        ${icon(Paperclip)}</button
      ><input
        type="file"
        multiple
        hidden
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          this.attach([...(input.files ?? [])]);
          // The same file chosen again is a new send.
          input.value = '';
        }}
      />`;
  }

  /** Uploads under way (or why one failed), the drop hint, and the full-size view. */
  renderUploads() {
    return this.work?.renderUploads() ?? nothing;
  }

  /** A message's files: thumbnails of images, name, size and download of the others. */
  renderFiles(m: ChatMessage) {
    if (!m.files?.length || m.deleted) return nothing;
    if (this.work) return this.work.renderFiles(m.files);
    this.use(() => undefined);
    return nothing;
  }

  /** Runs `then` with the files' work, loaded (and its styles adopted) first if need be. */
  private use(then: (work: ChatFiles) => void): void {
    if (this.work) return then(this.work);
    loadFiles().then(
      ({ ChatFiles }) => {
        this.work ??= new ChatFiles(this.host, this.options);
        this.host.requestUpdate();
        then(this.work);
      },
      (e: unknown) => this.options.fail(e),
    );
  }
}
