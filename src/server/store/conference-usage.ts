import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Row of `usage_conference_daily`: one app, one UTC day. */
export interface UsageConferenceDailyTable {
  app_id: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  /** Time spent in conferences by all participants, in milliseconds. */
  participant_ms: number;
  /** Conferences that started that day. */
  conferences: number;
  /** The most participants one conference had at once that day. */
  peak_participants: number;
}

export interface ConferenceUsageDay {
  readonly appId: string;
  readonly day: string;
  readonly participantMinutes: number;
  readonly conferences: number;
  readonly peakParticipants: number;
}

export interface ConferenceUsageDelta {
  readonly participantMs?: number;
  readonly conferences?: number;
  /** Raises the day's peak to this value if it is higher. */
  readonly peak?: number;
}

/** Conference usage per app and day. */
export interface ConferenceUsageStore {
  /** Adds to (or raises the peak of) one app's day. */
  add(appId: string, day: string, delta: ConferenceUsageDelta): Promise<void>;
  /** The app's days, oldest first. */
  list(appId: string): Promise<ConferenceUsageDay[]>;
}

/** The Kysely implementation, over the same database as the rest of the store. */
export class KyselyConferenceUsage implements ConferenceUsageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(appId: string, day: string, delta: ConferenceUsageDelta): Promise<void> {
    const participantMs = Math.max(0, Math.round(delta.participantMs ?? 0));
    const conferences = Math.max(0, delta.conferences ?? 0);
    const peak = Math.max(0, delta.peak ?? 0);
    await this.db
      .insertInto('usage_conference_daily')
      .values({ app_id: appId, day, participant_ms: participantMs, conferences, peak_participants: peak })
      .onConflict((oc) =>
        oc.columns(['app_id', 'day']).doUpdateSet((eb) => ({
          participant_ms: eb('usage_conference_daily.participant_ms', '+', participantMs),
          conferences: eb('usage_conference_daily.conferences', '+', conferences),
          peak_participants: eb
            .case()
            .when('usage_conference_daily.peak_participants', '<', peak)
            .then(peak)
            .else(eb.ref('usage_conference_daily.peak_participants'))
            .end(),
        })),
      )
      .execute();
  }

  async list(appId: string): Promise<ConferenceUsageDay[]> {
    const rows = await this.db
      .selectFrom('usage_conference_daily')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('day')
      .execute();
    return rows.map((r) => ({
      appId: r.app_id,
      day: r.day,
      participantMinutes: Number(r.participant_ms) / 60_000,
      conferences: Number(r.conferences),
      peakParticipants: Number(r.peak_participants),
    }));
  }
}
