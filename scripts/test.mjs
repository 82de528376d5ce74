// `npm test`: type-check, lint, build, manifest check, server tests (node:test), browser tests
// (@web/test-runner in real Chromium). Prints each suite's count, and as the very last line the
// total `N passed, N failed`. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'oovoo-test-run-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);

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

const suites = [];
async function check(name, command, args) {
  process.stdout.write(`\n== ${name}\n`);
  const code = await run(command, args);
  suites.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, failures: code === 0 ? [] : [name] });
}

async function testSuite(name, command, args, summaryEnv) {
  process.stdout.write(`\n== ${name}\n`);
  const summary = join(work, `${name.replace(/\W+/g, '-')}.json`);
  const code = await run(command, args(summary), summaryEnv ? { [summaryEnv]: summary } : {});
  const counts = readCounts(summary) ?? { passed: 0, failed: 0, failures: [] };
  // A runner that failed without reporting a failed test still fails the run.
  if (code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures = [...(counts.failures ?? []), `${name} exited with code ${code}`];
  }
  suites.push({ name, ...counts });
}

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

try {
  if (wanted('typecheck')) await check('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  if (wanted('lint')) await check('lint', bin('eslint'), ['--max-warnings=0', '.']);
  if (wanted('build') || wanted('browser')) await check('build', 'npm', ['run', '--silent', 'build']);
  if (wanted('build') || wanted('size')) await check('size', 'node', ['scripts/check-size.mjs']);
  if (wanted('manifest')) await check('manifest', 'node', ['scripts/check-manifest.mjs']);
  if (wanted('server') || wanted('browser')) {
    // Server-side suites drive Chromium too (multi-context calls through playwright-core).
    process.env.CHROME_PATH = ensureChromium();
  }
  if (wanted('server')) {
    // Node 20's --test takes no globs: list the files.
    const files = ['test/server', 'test/e2e']
      .filter((d) => existsSync(join(root, d)))
      .flatMap((d) => readdirSync(join(root, d), { recursive: true }).map((f) => join(d, String(f))))
      .filter((f) => f.endsWith('.test.ts'))
      .sort();
    await testSuite('server', process.execPath, (summary) => [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/node-test-counter.mjs')}`,
      `--test-reporter-destination=${summary}`,
      ...files,
    ]);
  }
  if (wanted('browser')) {
    await testSuite('browser', bin('wtr'), () => ['--config', 'web-test-runner.config.mjs'], 'OOVOO_WTR_SUMMARY');
  }
} catch (e) {
  suites.push({ name: 'setup', passed: 0, failed: 1, failures: [String(e instanceof Error ? e.message : e)] });
} finally {
  rmSync(work, { recursive: true, force: true });
}

let passed = 0;
let failed = 0;
process.stdout.write('\n== summary\n');
for (const s of suites) {
  passed += s.passed;
  failed += s.failed;
  process.stdout.write(`${s.name}: ${s.passed} passed, ${s.failed} failed\n`);
  for (const f of s.failures ?? []) process.stdout.write(`  failed: ${f}\n`);
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
