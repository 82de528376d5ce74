/** The UTC day of a time in ms, as `YYYY-MM-DD`: the day that usage counters are kept per. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
