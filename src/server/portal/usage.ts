import type { UsageDay, UsageReport } from '../../protocol/portal.js';
import type { Store } from '../store/types.js';
import { utcDay } from '../utc-day.js';

export const USAGE_RANGES = [7, 30, 90] as const;
export type UsageRange = (typeof USAGE_RANGES)[number];

export type { UsageReport };

const DAY_MS = 24 * 3600 * 1000;

/** Minutes with two decimals: exact for what was recorded, without float noise. */
function minutes(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The last `range` UTC days up to today, from what the conference and messaging modules recorded. */
export async function usageReport(
  store: Store,
  appId: string,
  range: UsageRange,
  now = Date.now(),
): Promise<UsageReport> {
  const dayList = Array.from({ length: range }, (_, i) => utcDay(now - (range - 1 - i) * DAY_MS));
  const from = dayList[0]!;
  const to = dayList[dayList.length - 1]!;
  const [conference, messaging] = await Promise.all([store.conferenceUsage.list(appId), store.messages.usage(appId)]);
  const conferenceByDay = new Map(conference.filter((d) => d.day >= from && d.day <= to).map((d) => [d.day, d]));
  const messagingByDay = new Map(messaging.filter((d) => d.day >= from && d.day <= to).map((d) => [d.day, d]));
  const days = dayList.map((day): UsageDay => {
    const c = conferenceByDay.get(day);
    const m = messagingByDay.get(day);
    return {
      day,
      participantMinutes: minutes(c?.participantMinutes ?? 0),
      conferences: c?.conferences ?? 0,
      peakParticipants: c?.peakParticipants ?? 0,
      messagesSent: m?.sent ?? 0,
      messagesDelivered: m?.delivered ?? 0,
      pushesSent: m?.pushes ?? 0,
    };
  });
  const sum = (key: keyof Omit<UsageDay, 'day'>) => days.reduce((total, d) => total + d[key], 0);
  return {
    appId,
    from,
    to,
    days,
    totals: {
      participantMinutes: minutes(sum('participantMinutes')),
      conferences: sum('conferences'),
      peakParticipants: Math.max(0, ...days.map((d) => d.peakParticipants)),
      messagesSent: sum('messagesSent'),
      messagesDelivered: sum('messagesDelivered'),
      pushesSent: sum('pushesSent'),
    },
  };
}

export const CSV_COLUMNS = [
  'day',
  'participant_minutes',
  'conferences',
  'peak_participants',
  'messages_sent',
  'messages_delivered',
  'pushes_sent',
] as const;

/** RFC 4180 CSV, one line per day; every field is a date or a number, so nothing needs quoting. */
export function usageCsv(report: UsageReport): string {
  const lines = report.days.map((d) =>
    [
      d.day,
      d.participantMinutes,
      d.conferences,
      d.peakParticipants,
      d.messagesSent,
      d.messagesDelivered,
      d.pushesSent,
    ].join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
