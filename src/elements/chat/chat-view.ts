import { html, nothing, type TemplateResult } from 'lit';
import { MessageSquare } from 'lucide';
import { icon } from '../icons.js';
import type { ChatMessage, ChatStrings } from './chat-message.js';

/** What <oovoo-chat>'s shadow DOM is made of (chat.ts hands over its state and its parts' renderings). */
export interface ChatView {
  readonly messages: readonly ChatMessage[];
  readonly unread: number;
  readonly canSend: boolean;
  /** Inside a conference: a sheet on phones, behind its own toggle. */
  readonly sheet: boolean;
  readonly sheetOpen: boolean;
  setSheetOpen(open: boolean): void;
  /** The date line before a message, and the message. */
  day(m: ChatMessage, previous: ChatMessage | undefined): unknown;
  message(m: ChatMessage): TemplateResult;
  readonly typing: unknown;
  readonly uploads: unknown;
  readonly attach: unknown;
  /** Sends the text area's text; true when it went (the area is emptied). */
  submit(body: string): boolean;
  t(key: keyof ChatStrings): string;
}

function onKeyDown(event: KeyboardEvent): void {
  // Enter sends; Shift+Enter (and Enter while composing text with an IME) goes on typing.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  (event.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
}

/** Inside a conference the chat is a sheet on phones (chat.styles.ts): its toggle opens it, Escape closes it. */
function renderSheetToggle(v: ChatView) {
  return html`<button
    part="sheet-toggle"
    type="button"
    aria-expanded=${String(v.sheetOpen)}
    @click=${() => v.setSheetOpen(!v.sheetOpen)}
  >
    ${icon(MessageSquare)}<span class="label">${v.t('messages')}</span>
    ${v.unread ? html`<span part="sheet-unread">${v.unread}</span>` : nothing}
  </button>`;
}

export function renderChat(v: ChatView) {
  const { messages, t } = v;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('body') as HTMLTextAreaElement;
    if (v.submit(input.value)) input.value = '';
  };
  return html`<div
    part="base"
    class=${v.sheet ? (v.sheetOpen ? 'sheet open' : 'sheet') : ''}
    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && v.sheetOpen && v.setSheetOpen(false)}
  >
    ${v.sheet ? renderSheetToggle(v) : nothing}
    <slot name="header"></slot>
    <div part="log" role="log" aria-live="polite" aria-label=${t('messages')} tabindex="0">
      ${
        messages.length
          ? html`<ol part="list">
              ${messages.map((m, i) => [v.day(m, messages[i - 1]), v.message(m)])}
            </ol>`
          : html`<slot name="empty"><p part="empty">${t('empty')}</p></slot>`
      }
      ${v.typing}
    </div>
    ${v.uploads}
    <form part="form" @submit=${onSubmit}>
      ${v.attach}
      <textarea
        part="input"
        name="body"
        rows="2"
        aria-label=${t('input')}
        placeholder=${t('placeholder')}
        @keydown=${onKeyDown}
      ></textarea>
      <button part="send" type="submit" ?disabled=${!v.canSend}>${t('send')}</button>
    </form>
  </div>`;
}
