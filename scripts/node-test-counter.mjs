// A node:test reporter that writes, as JSON, how many tests passed and failed (suites are not
// counted as tests), in total and per test file, for scripts/test.mjs.
//
// What counts as failed, besides a failed test:
// - a skipped or todo test, and a skipped suite (`describe.skip`): its tests never ran;
// - a suite that failed outside its tests (a hook), once;
// - a test file that reported no test at all: an empty file, or one that ended early (a
//   `process.exit(0)` before its tests reported). Node 20 then reports the file itself as a
//   single test named by its path, which must not count as a passed test.
import { relative } from 'node:path';

/** Per-file and total counts; see the header. */
export default async function* counter(source) {
  const counts = new TestCounts(process.cwd());
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') counts.add(event);
  }
  yield `${JSON.stringify(counts.toJSON())}\n`;
}

/** Counts test:pass and test:fail events; exported for the counter's own test. */
export class TestCounts {
  passed = 0;
  failed = 0;
  failures = [];
  /** @type {Record<string, { passed: number, failed: number }>} */
  files = {};

  constructor(root) {
    this.root = root;
  }

  add(event) {
    const { data } = event;
    const file = data.file ? relative(this.root, data.file) : undefined;
    const label = file ? `${file}: ${data.name}` : data.name;
    if (isFileItself(data)) {
      const why =
        event.type === 'test:fail'
          ? describeFailure(data)
          : 'reported no test (empty, or ended before its tests reported)';
      this.fail(file, `${file}: ${why}`);
      return;
    }
    if (data.details?.type === 'suite') {
      if (data.skip || data.todo) this.fail(file, `${label} (skipped suite)`);
      // A suite that fails outside its tests (a hook) counts once.
      else if (event.type === 'test:fail' && !isChildFailure(data.details.error)) this.fail(file, label);
      return;
    }
    if (data.skip || data.todo) this.fail(file, `${label} (${data.todo ? 'todo' : 'skipped'})`);
    else if (event.type === 'test:pass') this.pass(file);
    else this.fail(file, label);
  }

  pass(file) {
    this.passed++;
    this.fileCounts(file).passed++;
  }

  fail(file, why) {
    this.failed++;
    this.failures.push(why);
    this.fileCounts(file).failed++;
  }

  fileCounts(file) {
    const key = file ?? '(no file)';
    return (this.files[key] ??= { passed: 0, failed: 0 });
  }

  toJSON() {
    return { passed: this.passed, failed: this.failed, failures: this.failures, files: this.files };
  }
}

/** Node 20 reports a test file that produced no test of its own as one test named by the file's path. */
function isFileItself(data) {
  return data.nesting === 0 && data.file !== undefined && data.name === data.file && data.details?.type !== 'suite';
}

function describeFailure(data) {
  const error = data.details?.error;
  if (error?.failureType === 'testTimeoutFailure') return 'timed out';
  const message = error?.cause?.message ?? error?.message;
  return message ? `failed: ${String(message).split('\n')[0]}` : 'failed';
}

function isChildFailure(error) {
  return error?.failureType === 'subtestsFailed' || error?.cause?.failureType === 'subtestsFailed';
}
