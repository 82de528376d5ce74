// Browser tests: real Chromium (system binary), TypeScript through esbuild, and a real oovoo server
// started for the run, with an app permitted for the test pages' origin.
import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { tsImport } from 'tsx/esm/api';
import { CHROMIUM_ARGS, ensureChromium } from './scripts/chromium.mjs';

const { startTestServer, sessionTokenFor } = await tsImport('./test/helpers/server.ts', import.meta.url);

/** Starts the server and answers the test pages' few questions about it under /__oovoo/. */
function oovooServerPlugin() {
  let server;
  let apps;
  return {
    name: 'oovoo-server',
    async serverStart() {
      server = await startTestServer();
      const main = await server.createApp(['localhost', '127.0.0.1']);
      const other = await server.createApp(['localhost', '127.0.0.1'], { name: 'Other app' });
      const blocked = await server.createApp(['localhost', '127.0.0.1'], { name: 'Blocked app' });
      const blockedToken = await sessionTokenFor(server.url, blocked.token('web', 'production'), 'blocked-user');
      await server.apps.setBlocked(blocked.appId, true);
      apps = { main, other, blocked, blockedToken };
    },
    async serverStop() {
      await server?.stop();
    },
    async serve(context) {
      if (!context.path.startsWith('/__oovoo/')) return undefined;
      if (context.path === '/__oovoo/config') {
        const { main, other } = apps;
        const body = {
          server: server.url,
          appId: main.appId,
          otherAppId: other.appId,
          webProduction: main.token('web', 'production'),
          webSandbox: main.token('web', 'sandbox'),
          blockedSessionToken: apps.blockedToken,
        };
        return { body: JSON.stringify(body), type: 'json' };
      }
      if (context.path === '/__oovoo/connections') {
        // How many sockets the server holds: elements removed from the page must leave none behind.
        const user = context.URL.searchParams.get('user');
        const count = user ? server.context.connections.forUser(apps.main.appId, user).size : server.context.connections.size;
        return { body: JSON.stringify({ count }), type: 'json' };
      }
      if (context.path === '/__oovoo/session') {
        // What a site's own backend does: server-to-server login for one of its users.
        const user = context.URL.searchParams.get('user') ?? 'user';
        const app = context.URL.searchParams.get('app') === 'other' ? apps.other : apps.main;
        const token = await sessionTokenFor(server.url, app.token('web', 'production'), user);
        return { body: JSON.stringify({ token }), type: 'json' };
      }
      return undefined;
    },
  };
}

/** Writes the totals for scripts/test.mjs, which prints the grand total as the run's last line. */
function countingReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      const failures = [];
      const walk = (group, prefix) => {
        for (const test of group?.tests ?? []) {
          if (test.passed && !test.skipped) passed++;
          else {
            failed++;
            failures.push(`${prefix}${test.name}${test.skipped ? ' (skipped)' : ''}`);
          }
        }
        for (const suite of group?.suites ?? []) walk(suite, `${prefix}${suite.name} > `);
      };
      for (const session of sessions) {
        walk(session.testResults, '');
        // A file that failed to load or threw outside its tests counts as a failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) {
          failed++;
          failures.push(`${session.testFile}: ${session.errors.map((e) => e.message).join('; ')}`);
        }
      }
      if (file) writeFileSync(file, JSON.stringify({ passed, failed, failures }));
    },
  };
}

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { browser: true },
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 180000,
  browserStartTimeout: 60000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), oovooServerPlugin()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countingReporter(process.env.OOVOO_WTR_SUMMARY)],
};
