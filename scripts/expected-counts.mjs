// The number of tests each suite (and each of its test files) is expected to run, kept in
// test/expected-counts.json. A suite that runs fewer tests than recorded fails the run: a file
// emptied by mistake, a skipped or deleted describe, a `process.exit(0)` that drops the rest of a
// file, a runner that exits 0 having run nothing. The file changes only when asked
// (`npm test -- --update-counts`), so a smaller count is a reviewed change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * @typedef {{ passed: number, failed: number, files?: Record<string, { passed: number, failed: number }> }} SuiteCounts
 * @typedef {{ total: number, files: Record<string, number> }} ExpectedSuite
 */

/** Reads the recorded counts; an absent file records nothing. */
export function readExpectedCounts(file) {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** How many tests ran (passed or failed), in total and per file. */
export function ranCounts(/** @type {SuiteCounts} */ counts) {
  const files = {};
  for (const [file, c] of Object.entries(counts.files ?? {})) files[file] = c.passed + c.failed;
  return { total: counts.passed + counts.failed, files: sortKeys(files) };
}

/**
 * The shortfalls of one suite against its record, each a sentence for the failure list. A suite
 * that ran no test at all is a shortfall even with nothing recorded.
 * @param {ExpectedSuite | undefined} expected
 * @returns {string[]}
 */
export function shortfalls(suite, /** @type {SuiteCounts} */ counts, expected) {
  const ran = ranCounts(counts);
  const problems = [];
  if (ran.total === 0) problems.push(`${suite} ran no test`);
  if (!expected) return problems;
  if (ran.total < expected.total) problems.push(`${suite} ran ${ran.total} tests, ${expected.total} expected`);
  for (const [file, want] of Object.entries(expected.files ?? {})) {
    const got = ran.files[file] ?? 0;
    if (got < want) problems.push(`${file} ran ${got} tests, ${want} expected`);
  }
  return problems;
}

/** Files that now run more tests than recorded (or are new): a hint to record them. */
export function growth(counts, expected) {
  if (!expected) return ['no count recorded'];
  const ran = ranCounts(counts);
  return Object.entries(ran.files)
    .filter(([file, got]) => got > (expected.files?.[file] ?? 0))
    .map(([file, got]) => `${file}: ${got} (recorded ${expected.files?.[file] ?? 'none'})`);
}

/** Records the counts of the suites that ran, keeping the others' records. */
export function writeExpectedCounts(file, /** @type {Record<string, SuiteCounts>} */ suites) {
  const record = readExpectedCounts(file);
  for (const [suite, counts] of Object.entries(suites)) record[suite] = ranCounts(counts);
  writeFileSync(file, `${JSON.stringify(sortKeys(record), null, 2)}\n`);
  return record;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}
