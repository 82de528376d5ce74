/** Types of wtr-counter.mjs, for the TypeScript tests that use it. */
export interface BrowserCounts {
  passed: number;
  failed: number;
  failures: string[];
  files: Record<string, { passed: number; failed: number }>;
}
export function countSessions(sessions: readonly unknown[], root?: string): BrowserCounts;
export function countingReporter(
  file: string | undefined,
  root?: string,
): { onTestRunFinished(args: { sessions: readonly unknown[] }): void };
