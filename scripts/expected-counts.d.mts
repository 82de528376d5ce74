/** Types of expected-counts.mjs, for the TypeScript tests that use it. */
export interface SuiteCounts {
  passed: number;
  failed: number;
  files?: Record<string, { passed: number; failed: number }>;
}
export interface ExpectedSuite {
  total: number;
  files: Record<string, number>;
}
export function readExpectedCounts(file: string): Record<string, ExpectedSuite>;
export function ranCounts(counts: SuiteCounts): ExpectedSuite;
export function shortfalls(suite: string, counts: SuiteCounts, expected: ExpectedSuite | undefined): string[];
export function growth(counts: SuiteCounts, expected: ExpectedSuite | undefined): string[];
export function writeExpectedCounts(file: string, suites: Record<string, SuiteCounts>): Record<string, ExpectedSuite>;
