import type { ChatMessageDetail } from '../events/index.js';
import { langOf } from '../lang/lang.js';
import type { ReceiptState } from './transports.js';

// What <oovoo-chat> shows and how it reads receipts, apart from the element itself.

export const DEFAULT_STRINGS = {
  messages: 'Messages',
  empty: 'No messages yet.',
  input: 'Message',
  placeholder: 'Write a message',
  send: 'Send',
  you: 'You',
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
  // Why a message was not sent, and what to do (the description of the SDK's error otherwise).
  failedTooLong: 'Not sent: the message is too long. Shorten it and send it again.',
  failedOffline: 'Not sent: you are offline. Send it again once you are connected.',
  failedInboxFull: 'Not sent: the recipient has too many unread messages. Try again later.',
  failedTooFast: 'Not sent: too many messages at once. Wait a moment and send it again.',
  // Who is typing: `{name}` and `{other}` stand for names, `{count}` for how many more.
  typingOne: '{name} is typing…',
  typingTwo: '{name} and {other} are typing…',
  typingMany: '{name} and {count} others are typing…',
  // History (chat-history.ts): a message its sender deleted for everyone, and the action on one's own.
  messageDeleted: 'Message deleted',
  deleteMessage: 'Delete',
  deleteMessageTitle: 'Delete for everyone',
  // Files and images (chat-attachments.ts, chat-files.ts): `{name}` a file's name, `{count}` a number.
  attachFiles: 'Attach files',
  dropFiles: 'Drop files here to send them',
  sendingFiles: 'Sending {name}…',
  cancel: 'Cancel',
  dismiss: 'Dismiss',
  fileTooLarge: '{name} was not sent: it is larger than this chat accepts. Send a smaller file.',
  fileQuota:
    '{name} was not sent: your files already fill the space you have here. Space frees up as old messages leave the history; try again later.',
  fileTooMany: 'Not sent: a message carries at most {count} files. Send the others in another message.',
  fileTooFast: '{name} was not sent: too many files at once. Wait a moment and send it again.',
  fileFailed: '{name} was not sent: {reason}',
  openImage: 'Open {name} full size',
  closeImage: 'Close',
  downloadFile: 'Download {name}',
};
export type ChatStrings = typeof DEFAULT_STRINGS;

/** The state of one of the user's own messages. */
export type ChatMessageStatus = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

/** One message in the chat. */
export interface ChatMessage extends ChatMessageDetail {
  readonly own: boolean;
  /** Own messages only: whom it went to (receipts from all of them make it Delivered, then Read). */
  readonly recipients: readonly string[];
  readonly sending?: boolean;
  /** Not sent: why, in words. */
  readonly failed?: string;
  /** In-call data that did not come from an oovoo chat (the spec's plain `sendData`): no receipts go back. */
  readonly plain?: boolean;
  /** Its sender deleted it for everyone: shown as "Message deleted", its body gone. */
  readonly deleted?: boolean;
}

// An unread count of 0 removes the attribute, so `oovoo-chat[unread]` styles only chats with news.
export const unreadConverter = {
  fromAttribute: (v: string | null) => Number(v) || 0,
  toAttribute: (v: number) => (v > 0 ? String(v) : null),
};

/** Whom each of the user's messages reached: message id → recipient → Delivered or Read. */
export type Receipts = Map<string, Map<string, ReceiptState>>;

/** Records a receipt; false when it changes nothing (Read is final, and repeats count once). */
export function recordReceipt(receipts: Receipts, id: string, from: string, next: ReceiptState): boolean {
  const byUser = receipts.get(id) ?? new Map<string, ReceiptState>();
  if (byUser.get(from) === 'Read' || byUser.get(from) === next) return false;
  byUser.set(from, next);
  receipts.set(id, byUser);
  return true;
}

/** Why a send failed, in the chat's words where it has some (the SDK's description otherwise). */
export function failureWords(description: string, t: (key: keyof ChatStrings) => string): string {
  if (/^body must be at most/.test(description)) return t('failedTooLong');
  if (/^Not connected/.test(description)) return t('failedOffline');
  if (/^The inbox of .* is full/.test(description)) return t('failedInboxFull');
  if (/^Too many messages/.test(description)) return t('failedTooFast');
  return `${t('failed')}: ${description}`;
}

/** The status shown under one of the user's messages: Read or Delivered once every recipient said so. */
export function messageStatus(
  m: ChatMessage,
  byUser: ReadonlyMap<string, ReceiptState> | undefined,
): ChatMessageStatus {
  if (m.failed) return 'failed';
  if (m.sending) return 'sending';
  const all = (ok: (s: ReceiptState | undefined) => boolean) =>
    m.recipients.length > 0 && m.recipients.every((uid) => ok(byUser?.get(uid)));
  if (all((s) => s === 'Read')) return 'read';
  if (all((s) => s !== undefined)) return 'delivered';
  return 'sent';
}

/** A message's hour and minute through `Intl`, in the chat's language (its own or inherited `lang`), else the browser's. */
export function messageTime(time: Date, chat: Element): string {
  let locale: string[] | undefined;
  try {
    locale = Intl.getCanonicalLocales(langOf(chat));
  } catch {
    // No lang, or not a language tag: the browser's language.
  }
  return time.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** The user ids of a `to` attribute: comma-separated, trimmed, each once. */
export function recipientList(to: string): string[] {
  return [
    ...new Set(
      to
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
