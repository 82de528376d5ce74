// A @web/test-runner reporter that writes, as JSON, how many tests passed and failed, in total and
// per test file, for scripts/test.mjs (which prints the grand total as the run's last line).
// A skipped test (alone or in a skipped describe: mocha reports each as pending) counts as failed,
// and so does a test file that ran no test or failed to load.
import { writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** Counts WTR's test sessions; exported apart from the reporter for the counter's own test. */
export function countSessions(sessions, root = process.cwd()) {
  let passed = 0;
  let failed = 0;
  const failures = [];
  const files = {};
  for (const session of sessions) {
    const file = relative(root, isAbsolute(session.testFile) ? session.testFile : resolve(root, session.testFile));
    const counts = (files[file] ??= { passed: 0, failed: 0 });
    const fail = (why) => {
      failed++;
      counts.failed++;
      failures.push(`${file}: ${why}`);
    };
    let ran = 0;
    const walk = (group, prefix) => {
      for (const test of group?.tests ?? []) {
        ran++;
        if (test.passed && !test.skipped) {
          passed++;
          counts.passed++;
        } else fail(`${prefix}${test.name}${test.skipped ? ' (skipped)' : ''}`);
      }
      for (const suite of group?.suites ?? []) walk(suite, `${prefix}${suite.name} > `);
    };
    walk(session.testResults, '');
    // A file that failed to load or threw outside its tests counts as a failure.
    if (!session.passed && (session.errors?.length ?? 0) > 0) fail(session.errors.map((e) => e.message).join('; '));
    else if (ran === 0) fail('ran no test');
  }
  return { passed, failed, failures, files };
}

/** The reporter: writes the counts to `file` when the run ends. */
export function countingReporter(file, root = process.cwd()) {
  return {
    onTestRunFinished({ sessions }) {
      if (file) writeFileSync(file, JSON.stringify(countSessions(sessions, root)));
    },
  };
}
