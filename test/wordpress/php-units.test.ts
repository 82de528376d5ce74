import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runProgram } from '../helpers/packages.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { pluginLogLines, startPluginSite, type PluginSite } from '../helpers/wordpress.js';

/**
 * The plugin's PHP unit tests (test/wordpress/php/*Test.php, Debian's phpunit) inside a real WordPress with
 * the plugin installed, the login call against our real server: each PHP test is one test here.
 */
const PHP_DIR = join(import.meta.dirname, 'php');

/** `Class::test_name` of every PHP test, read from the files (so a test that never ran is a failure). */
const phpTests = readdirSync(PHP_DIR)
  .filter((f) => f.endsWith('Test.php'))
  .sort()
  .flatMap((file) => {
    const source = readFileSync(join(PHP_DIR, file), 'utf8');
    const className = /^class (\w+)/m.exec(source)![1];
    return [...source.matchAll(/public function (test_\w+)\(/g)].map((m) => `${className}::${m[1]}`);
  });

interface Outcome {
  ok: boolean;
  message: string;
}

/** The outcome of each test case in phpunit's JUnit report. */
function readJunit(xml: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  const cases = xml.matchAll(/<testcase name="(\w+)" class="(\w+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g);
  for (const [, name, className, , body] of cases) {
    const problem = /<(failure|error|skipped|warning)[^>]*?(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body ?? '');
    outcomes.set(`${className}::${name}`, {
      ok: !problem,
      message: problem ? `${problem[1]}: ${problem[2] ?? ''}` : '',
    });
  }
  return outcomes;
}

describe("the plugin's PHP unit tests in a real WordPress", () => {
  let server: TestServer;
  let site: PluginSite;
  let work: string;
  let outcomes = new Map<string, Outcome>();
  let output = '';

  before(async () => {
    server = await startTestServer({ ...relaxedLimits });
    // The site's app; one that does not permit this site; one whose client-side login is on (so it makes no host).
    const app = await server.createApp(['127.0.0.1'], { clientLogin: 'none' });
    const other = await server.createApp(['example.org'], { clientLogin: 'none' });
    const open = await server.createApp(['127.0.0.1'], { clientLogin: 'all' });
    site = await startPluginSite();
    work = mkdtempSync(join(tmpdir(), 'oovoo-phpunit-'));
    const junit = join(work, 'junit.xml');
    const ran = await runProgram(
      'phpunit',
      ['--bootstrap', join(PHP_DIR, 'bootstrap.php'), '--log-junit', junit, '--do-not-cache-result', PHP_DIR],
      {
        cwd: work,
        timeoutMs: 120_000,
        what: 'phpunit',
        env: {
          ...process.env,
          OOVOO_WP_DIR: site.wp.dir,
          OOVOO_TEST_SERVER: server.url,
          OOVOO_TEST_APP_ID: app.appId,
          OOVOO_TEST_WEB_TOKEN: app.token('web', 'production'),
          OOVOO_TEST_OTHER_APP_ID: other.appId,
          OOVOO_TEST_OTHER_WEB_TOKEN: other.token('web', 'production'),
          OOVOO_TEST_OPEN_APP_ID: open.appId,
          OOVOO_TEST_OPEN_WEB_TOKEN: open.token('web', 'production'),
        },
      },
    );
    output = `${ran.stdout}${ran.stderr}`;
    try {
      outcomes = readJunit(readFileSync(junit, 'utf8'));
    } catch {
      // No report: every test below fails with phpunit's output.
    }
  });

  after(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
    await site?.stop();
    await server?.stop();
  });

  for (const name of phpTests) {
    it(name, () => {
      const outcome = outcomes.get(name);
      assert.ok(outcome, `phpunit did not run ${name}:\n${output}`);
      assert.ok(outcome.ok, outcome.message);
    });
  }

  it('phpunit ran exactly these tests, and the plugin logged no PHP warning or notice', () => {
    assert.deepEqual([...outcomes.keys()].sort(), [...phpTests].sort(), output);
    assert.deepEqual(pluginLogLines(site.wp), []);
  });
});
