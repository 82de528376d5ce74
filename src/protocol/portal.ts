/** The developer portal's usage report, as the server sends it and the portal page reads it. */

/** One UTC day of one app. */
export interface UsageDay {
  readonly day: string;
  readonly participantMinutes: number;
  readonly conferences: number;
  readonly peakParticipants: number;
  readonly messagesSent: number;
  readonly messagesDelivered: number;
  readonly pushesSent: number;
}

export interface UsageReport {
  readonly appId: string;
  readonly from: string;
  readonly to: string;
  /** Every day of the range, oldest first; days with nothing recorded are zeros. */
  readonly days: readonly UsageDay[];
  /** Sums over the range; peakParticipants is the highest day. */
  readonly totals: Omit<UsageDay, 'day'>;
}
