// The test count cannot hide a missing suite: the node:test counter (scripts/node-test-counter.mjs),
// the browser counter (scripts/wtr-counter.mjs) and the recorded counts (scripts/expected-counts.mjs)
// count skipped suites, empty files and early exits as failures.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { shortfalls } from '../../scripts/expected-counts.mjs';
import { countSessions } from '../../scripts/wtr-counter.mjs';

const counterPath = fileURLToPath(new URL('../../scripts/node-test-counter.mjs', import.meta.url));

interface Counts {
  passed: number;
  failed: number;
  failures: string[];
  files: Record<string, { passed: number; failed: number }>;
}

const FIXTURES: Record<string, string> = {
  'passing.test.mjs': `import { describe, it } from 'node:test';
describe('two tests', () => { it('one', () => {}); it('two', () => {}); });`,
  'skipped-describe.test.mjs': `import { describe, it } from 'node:test';
describe('runs', () => { it('runs', () => {}); });
describe.skip('skipped suite', () => { it('never runs', () => {}); it('never runs either', () => {}); });`,
  'skipped-test.test.mjs': `import { it } from 'node:test';
it('runs', () => {}); it.skip('skipped', () => {}); it.todo('todo');`,
  'empty.test.mjs': `// no test here\n`,
  'exit-at-once.test.mjs': `import { it } from 'node:test';
process.exit(0);
it('never runs', () => {});`,
  // Two tests report, then the file exits 0 and drops the last two.
  'exit-midway.test.mjs': `import { describe, it } from 'node:test';
describe('exits', () => {
  it('first', () => {});
  it('second', async () => { await new Promise((r) => setTimeout(r, 50)); });
  it('exits', async () => { await new Promise((r) => setTimeout(r, 50)); process.exit(0); });
  it('dropped', () => {});
});`,
};

/** Runs node --test with the counter over the fixtures; resolves with what it wrote. */
function runCounter(dir: string): Promise<Counts> {
  const out = join(dir, 'counts.json');
  // Without NODE_TEST_CONTEXT this is a run of its own, not a child of the run that runs this file.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const args = [
    '--test',
    '--test-timeout=20000',
    `--test-reporter=${counterPath}`,
    `--test-reporter-destination=${out}`,
    ...Object.keys(FIXTURES),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the counter run did not end within 30 s'));
    }, 30_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as Counts);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

describe('the node:test counter', () => {
  let dir: string;
  let counts: Counts;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oovoo-counter-'));
    for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), text);
    counts = await runCounter(dir);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts passing tests per file and leaves suites out', () => {
    assert.deepEqual(counts.files['passing.test.mjs'], { passed: 2, failed: 0 });
  });

  it('counts a skipped describe as failed', () => {
    assert.deepEqual(counts.files['skipped-describe.test.mjs'], { passed: 1, failed: 1 });
    assert.ok(
      counts.failures.some((f) => f.includes('skipped suite') && f.startsWith('skipped-describe.test.mjs')),
      counts.failures.join('\n'),
    );
  });

  it('counts skipped and todo tests as failed', () => {
    assert.deepEqual(counts.files['skipped-test.test.mjs'], { passed: 1, failed: 2 });
  });

  it('counts an empty file and a file that exits before its tests as failed, not passed', () => {
    assert.deepEqual(counts.files['empty.test.mjs'], { passed: 0, failed: 1 });
    assert.deepEqual(counts.files['exit-at-once.test.mjs'], { passed: 0, failed: 1 });
  });

  it('adds up to the totals', () => {
    assert.equal(counts.passed, 2 + 1 + 1 + (counts.files['exit-midway.test.mjs']?.passed ?? 0));
    assert.equal(counts.failed, 1 + 2 + 1 + 1);
  });

  it('a file that exits 0 midway runs fewer tests than recorded, which fails the suite', () => {
    const midway = counts.files['exit-midway.test.mjs'];
    assert.ok(midway && midway.failed === 0 && midway.passed < 4, JSON.stringify(midway));
    const recorded = { total: 4 + 2, files: { 'exit-midway.test.mjs': 4, 'passing.test.mjs': 2 } };
    const problems = shortfalls('server', counts, recorded);
    assert.ok(
      problems.some((p) => p.startsWith('exit-midway.test.mjs ran')),
      problems.join('\n'),
    );
    assert.ok(!problems.some((p) => p.startsWith('passing.test.mjs')), problems.join('\n'));
  });
});

describe('the recorded counts', () => {
  const counts = {
    passed: 5,
    failed: 0,
    files: { 'a.test.ts': { passed: 3, failed: 0 }, 'b.test.ts': { passed: 2, failed: 0 } },
  };

  it('pass a suite that ran what was recorded, or more', () => {
    assert.deepEqual(shortfalls('server', counts, { total: 5, files: { 'a.test.ts': 3, 'b.test.ts': 2 } }), []);
    assert.deepEqual(shortfalls('server', counts, { total: 4, files: { 'a.test.ts': 2 } }), []);
  });

  it('fail a suite that exited 0 having run no test, even with nothing recorded', () => {
    assert.deepEqual(shortfalls('server', { passed: 0, failed: 0, files: {} }, undefined), ['server ran no test']);
  });

  it('fail a file that ran fewer tests than recorded, or is gone', () => {
    const problems = shortfalls('server', counts, {
      total: 9,
      files: { 'a.test.ts': 3, 'b.test.ts': 4, 'c.test.ts': 2 },
    });
    assert.deepEqual(problems, [
      'server ran 5 tests, 9 expected',
      'b.test.ts ran 2 tests, 4 expected',
      'c.test.ts ran 0 tests, 2 expected',
    ]);
  });
});

describe('the browser counter', () => {
  const test = (name: string, passed: boolean, skipped = false) => ({ name, passed, skipped });

  it('counts tests of a skipped describe (pending in mocha) and a file with no test as failed', () => {
    const result = countSessions(
      [
        {
          testFile: '/r/test/browser/a.test.ts',
          passed: true,
          testResults: {
            tests: [test('ok', true)],
            suites: [{ name: 'skipped', tests: [test('x', true, true), test('y', true, true)], suites: [] }],
          },
        },
        { testFile: '/r/test/browser/empty.test.ts', passed: true, testResults: { tests: [], suites: [] } },
        {
          testFile: '/r/test/browser/broken.test.ts',
          passed: false,
          errors: [{ message: 'SyntaxError' }],
          testResults: undefined,
        },
      ],
      '/r',
    );
    assert.equal(result.passed, 1);
    assert.equal(result.failed, 4);
    assert.deepEqual(result.files['test/browser/a.test.ts'], { passed: 1, failed: 2 });
    assert.deepEqual(result.files['test/browser/empty.test.ts'], { passed: 0, failed: 1 });
    assert.deepEqual(result.files['test/browser/broken.test.ts'], { passed: 0, failed: 1 });
  });
});
