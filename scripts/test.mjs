// `npm test`: build checks (type-check, lint, build, size, manifest), then the test suites: server
// (node:test, test/server, test/e2e and test/package: the published packages packed and installed), cluster
// (node:test, test/cluster: several server processes on one PostgreSQL and one Redis, one file at a time),
// wordpress (node:test, test/wordpress: the WordPress plugin in a real WordPress on MariaDB, one file at a time),
// browser (@web/test-runner in real Chromium), browser-firefox (the same files in Firefox) and sfu
// (node:test, test/sfu, against a real Janus inside the network namespace of scripts/netns-veth.sh).
//
// `npm test -- server browser` runs only those parts; `npm test -- --update-counts` records the
// number of tests each suite and file ran in test/expected-counts.json (see expected-counts.mjs).
//
// The summary counts build checks apart from tests; the very last line is the tests' total,
// `N passed, N failed`, where each failed build check adds one failed, so a failed build never
// ends on `0 failed`. Exits non-zero on any failure, and when a test suite ran no test.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { growth, readExpectedCounts, shortfalls, writeExpectedCounts } from './expected-counts.mjs';
import { ensureSystemCommands } from './system-packages.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'oovoo-test-run-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const expectedCountsFile = join(root, 'test', 'expected-counts.json');

/** The system programs each suite starts; installed when missing (system-packages.mjs). */
const SYSTEM_COMMANDS_OF = {
  // Server-side suites drive Chromium too (multi-context calls through playwright-core) and Firefox
  // (test/e2e/firefox-*.test.ts through puppeteer-core over WebDriver BiDi), the relay-only conference
  // test starts coturn, and the store tests run on PostgreSQL too.
  server: ['chromium', 'firefox', 'turnserver', 'postgres'],
  browser: ['chromium'],
  // Firefox on a virtual X display of its own (web-test-runner.firefox.config.mjs, scripts/xvfb.mjs).
  'browser-firefox': ['firefox', 'Xvfb'],
  // Janus and Chromium pages in a network namespace of their own (root only, see netns-veth.sh).
  sfu: ['janus', 'chromium'],
  // Server nodes as child processes sharing PostgreSQL and Redis (test/helpers/cluster.ts), pages in Chromium.
  cluster: ['chromium', 'postgres', 'redis-server'],
  // Debian's WordPress under PHP's built-in server on a MariaDB of its own (test/helpers/wordpress.ts), the
  // plugin's PHP unit tests under phpunit, pages in Chromium.
  wordpress: ['chromium', 'php', 'mariadbd', 'phpunit', 'wordpress'],
};

/**
 * node:test's limit per test and hook (node-test-timeout.mjs): a wait with no deadline fails that
 * test. Generous: the framework pages' builds took over 120 s on a 2-core machine under load.
 */
const NODE_TEST_TIMEOUT_MS = 300_000;
/**
 * Node 20's --test-timeout bounds each test file as a whole: the last resort against a file that a
 * timed-out test left hanging on an open handle. (--test-force-exit would end such a file at once,
 * but it also ends the run before the counting reporter has written its file.)
 */
const NODE_TEST_FILE_TIMEOUT_MS = 900_000;

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const args = process.argv.slice(2);
const updateCounts = args.includes('--update-counts');
const only = args.filter((a) => !a.startsWith('--'));
const wanted = (name) => only.length === 0 || only.includes(name);

/** @type {{ name: string, ok: boolean }[]} */
const checks = [];
/** @type {{ name: string, passed: number, failed: number, failures: string[], files?: object }[]} */
const suites = [];
const expected = readExpectedCounts(expectedCountsFile);

async function check(name, command, commandArgs) {
  process.stdout.write(`\n== ${name}\n`);
  checks.push({ name, ok: (await run(command, commandArgs)) === 0 });
}

async function testSuite(name, command, commandArgs, summaryEnv) {
  process.stdout.write(`\n== ${name}\n`);
  const summary = join(work, `${name.replace(/\W+/g, '-')}.json`);
  const code = await run(command, commandArgs(summary), summaryEnv ? { [summaryEnv]: summary } : {});
  const counts = readCounts(summary) ?? { passed: 0, failed: 1, failures: [`${name} wrote no counts`], files: {} };
  // A runner that failed without reporting a failed test still fails the run.
  if (code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures = [...(counts.failures ?? []), `${name} exited with code ${code}`];
  }
  const suite = { name, ...counts };
  // Fewer tests than recorded (or none at all): each shortfall is one failure. Recording new
  // counts compares with nothing, but a suite that ran no test still fails.
  for (const problem of shortfalls(name, counts, updateCounts ? undefined : expected[name])) {
    suite.failed++;
    suite.failures = [
      ...suite.failures,
      updateCounts ? problem : `${problem} (if on purpose: npm test -- --update-counts)`,
    ];
  }
  suites.push(suite);
}

function nodeTestFiles(dirs = ['test/server', 'test/e2e', 'test/package']) {
  // Node 20's --test takes no globs: list the files.
  return dirs
    .filter((d) => existsSync(join(root, d)))
    .flatMap((d) => readdirSync(join(root, d), { recursive: true }).map((f) => join(d, String(f))))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
}

try {
  if (wanted('typecheck')) await check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  if (wanted('lint')) await check('lint', bin('eslint'), ['--max-warnings=0', '.']);
  // The browser suite, the e2e tests, the cluster's and the WordPress pages serve the built dist/oovoo.min.js.
  if (
    wanted('build') ||
    wanted('browser') ||
    wanted('browser-firefox') ||
    wanted('server') ||
    wanted('cluster') ||
    wanted('wordpress')
  )
    await check('build', 'npm', ['run', '--silent', 'build']);
  if (wanted('build') || wanted('size')) await check('size', 'node', ['scripts/check-size.mjs']);
  if (wanted('manifest')) await check('manifest', 'node', ['scripts/check-manifest.mjs']);
  const needed = [
    ...new Set(
      ['server', 'cluster', 'wordpress', 'browser', 'browser-firefox', 'sfu']
        .filter(wanted)
        .flatMap((s) => SYSTEM_COMMANDS_OF[s]),
    ),
  ];
  if (needed.length > 0) {
    process.stdout.write(`\n== system packages (${needed.join(', ')})\n`);
    const paths = ensureSystemCommands(needed);
    if (paths.chromium) process.env.CHROME_PATH = paths.chromium;
    if (paths.firefox) process.env.FIREFOX_PATH = paths.firefox;
  }
  process.env.OOVOO_TEST_TIMEOUT_MS = String(NODE_TEST_TIMEOUT_MS);
  const nodeTestArgs = (summary, files, concurrency = 2) => [
    '--import',
    'tsx',
    '--import',
    join(root, 'scripts/node-test-timeout.mjs'),
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${NODE_TEST_FILE_TIMEOUT_MS}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/node-test-counter.mjs')}`,
    `--test-reporter-destination=${summary}`,
    ...files,
  ];
  if (wanted('server'))
    await testSuite('server', process.execPath, (summary) => nodeTestArgs(summary, nodeTestFiles()));
  // One file at a time: each starts its own PostgreSQL, Redis and server processes.
  if (wanted('cluster'))
    await testSuite('cluster', process.execPath, (summary) =>
      nodeTestArgs(summary, nodeTestFiles(['test/cluster']), 1),
    );
  // One file at a time: each starts its own MariaDB, WordPress and server.
  if (wanted('wordpress'))
    await testSuite('wordpress', process.execPath, (summary) =>
      nodeTestArgs(summary, nodeTestFiles(['test/wordpress']), 1),
    );
  if (wanted('sfu')) {
    // The same node:test run, started inside a fresh network namespace (it says what it needs when not root).
    // One file at a time: a room of six pages alone keeps two cores busy, and two such files side by side
    // starve the pages of CPU.
    await testSuite('sfu', 'sh', (summary) => [
      join(root, 'scripts/netns-veth.sh'),
      process.execPath,
      ...nodeTestArgs(summary, nodeTestFiles(['test/sfu']), 1),
    ]);
  }
  if (wanted('browser')) {
    await testSuite('browser', bin('wtr'), () => ['--config', 'web-test-runner.config.mjs'], 'OOVOO_WTR_SUMMARY');
  }
  if (wanted('browser-firefox')) {
    await testSuite(
      'browser-firefox',
      bin('wtr'),
      () => ['--config', 'web-test-runner.firefox.config.mjs'],
      'OOVOO_WTR_SUMMARY',
    );
  }
} catch (e) {
  suites.push({ name: 'setup', passed: 0, failed: 1, failures: [String(e instanceof Error ? e.message : e)] });
} finally {
  rmSync(work, { recursive: true, force: true });
}

process.stdout.write('\n== summary\n');
if (checks.length > 0) {
  process.stdout.write(`build checks: ${checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}`).join(', ')}\n`);
}
let passed = 0;
let failed = 0;
for (const s of suites) {
  passed += s.passed;
  failed += s.failed;
  process.stdout.write(`${s.name}: ${s.passed} passed, ${s.failed} failed\n`);
  for (const f of s.failures ?? []) process.stdout.write(`  failed: ${f}\n`);
  const grown = s.files && !updateCounts ? growth(s, expected[s.name]) : [];
  if (grown.length > 0)
    process.stdout.write(`  more tests than recorded (npm test -- --update-counts): ${grown.join('; ')}\n`);
}
if (updateCounts) {
  const ran = Object.fromEntries(suites.filter((s) => s.files).map((s) => [s.name, s]));
  writeExpectedCounts(expectedCountsFile, ran);
  process.stdout.write(
    `recorded the counts of ${Object.keys(ran).join(', ') || 'no suite'} in test/expected-counts.json\n`,
  );
}
const failedChecks = checks.filter((c) => !c.ok);
if (failedChecks.length > 0) {
  process.stdout.write(
    `build checks failed: ${failedChecks.map((c) => c.name).join(', ')} (each counted as 1 failed below)\n`,
  );
  failed += failedChecks.length;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
const ranTests = suites.length > 0;
process.exitCode = failed === 0 && (!ranTests || passed > 0) ? 0 : 1;
