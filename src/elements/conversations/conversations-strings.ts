import type { ConversationSummary } from '../../protocol/conversations.js';

/**
 * The texts of <oovoo-conversations>: `{name}`, `{count}` and `{body}` stand for what they say. Named
 * apart from the other elements' (the language packs are one flat map); `messageDeleted` is the chat's.
 */
export const DEFAULT_STRINGS = {
  conversationsLabel: 'Conversations',
  conversationsEmpty: 'No conversations yet.',
  conversationsLoading: 'Loading conversations…',
  conversationsMore: 'Show more',
  conversationsBack: 'Back to conversations',
  conversationsChoose: 'Choose a conversation.',
  conversationsOwn: 'You: {body}',
  messageDeleted: 'Message deleted',
  conversationsFile: 'File: {name}',
  conversationsTyping: 'typing…',
  conversationsUnread: '{count} unread',
};
export type ConversationsStrings = typeof DEFAULT_STRINGS;

type T = (key: keyof ConversationsStrings) => string;

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/** The people of a conversation as its name: the other user, or the group's members. */
export function nameOf(c: ConversationSummary): string {
  return c.group ? c.group.join(', ') : (c.with ?? '');
}

/** The last message in a line: its text (a file's name when it has no text), "Message deleted", "You: …". */
export function previewOf(c: ConversationSummary, own: string | undefined, t: T): string {
  const { last } = c;
  const file = last.files?.[0];
  const text = last.deleted
    ? t('messageDeleted')
    : file && (!last.body.trim() || last.body === file.name)
      ? fill(t('conversationsFile'), { name: file.name })
      : last.body;
  return last.from === own && !last.deleted ? fill(t('conversationsOwn'), { body: text }) : text;
}

export function unreadLabel(count: number, t: T): string {
  return fill(t('conversationsUnread'), { count });
}

const formats = new Map<string, { relative: Intl.RelativeTimeFormat; date: Intl.DateTimeFormat }>();

/** When, through Intl: "now", "5 minutes ago", "yesterday"; a date past a week. */
export function relativeTime(ts: number, locale: string, now = Date.now()): string {
  let f = formats.get(locale);
  if (!f) {
    try {
      f = {
        relative: new Intl.RelativeTimeFormat(locale || undefined, { numeric: 'auto', style: 'short' }),
        date: new Intl.DateTimeFormat(locale || undefined, { dateStyle: 'medium' }),
      };
    } catch {
      // Not a language tag: the browser's language.
      f = {
        relative: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }),
        date: new Intl.DateTimeFormat(),
      };
    }
    formats.set(locale, f);
  }
  const seconds = Math.round((ts - now) / 1000);
  const ago = -seconds;
  if (ago < 45) return f.relative.format(0, 'second');
  if (ago < 3600) return f.relative.format(Math.round(seconds / 60), 'minute');
  if (ago < 86_400) return f.relative.format(Math.round(seconds / 3600), 'hour');
  if (ago < 7 * 86_400) return f.relative.format(Math.round(seconds / 86_400), 'day');
  return f.date.format(ts);
}
