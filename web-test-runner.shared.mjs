// What the browser tests share in every browser (web-test-runner.config.mjs for Chromium,
// web-test-runner.firefox.config.mjs for Firefox): the test files, TypeScript through esbuild, Lucide
// as one module, the timeouts, the reporters, and a real oovoo server started for the run, with an app
// permitted for the test pages' origin. Each config adds only its browser.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { countingReporter } from './scripts/wtr-counter.mjs';

const { startTestServer, sessionTokenFor, relaxedLimits } = await tsImport('./test/helpers/server.ts', import.meta.url);

/** Starts the server and answers the test pages' few questions about it under /__oovoo/. */
function oovooServerPlugin() {
  let server;
  let apps;
  return {
    name: 'oovoo-server',
    async serverStart() {
      // Every page and every session this endpoint makes signs in from 127.0.0.1: at the default login rate
      // (60, then 2 a second, per address) a fast run of the suites was refused with 429. No browser test is
      // about that limit (test/server/rate-limit.test.ts is).
      server = await startTestServer(relaxedLimits);
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

/**
 * Lucide served as one module: its package entry re-exports each of its ~1,700 icons from a file of
 * its own, which every test page would otherwise fetch one by one (a Firefox run took three times as
 * long; the build keeps only the icons used).
 */
function lucideAsOneModule() {
  const url = '/__oovoo/lucide.js';
  const entry = join(dirname(createRequire(import.meta.url).resolve('lucide/package.json')), 'dist/esm/lucide.mjs');
  let code;
  return {
    name: 'lucide-as-one-module',
    resolveImport({ source }) {
      return source === 'lucide' ? url : undefined;
    },
    async serve(context) {
      if (context.path !== url) return undefined;
      code ??= build({ entryPoints: [entry], bundle: true, format: 'esm', write: false, logLevel: 'error' }).then(
        (result) => result.outputFiles[0].text,
      );
      return { body: await code, type: 'js' };
    },
  };
}

/** The config without `browsers`. */
export const sharedConfig = {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { browser: true },
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 180000,
  browserStartTimeout: 60000,
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    lucideAsOneModule(),
    oovooServerPlugin(),
  ],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countingReporter(process.env.OOVOO_WTR_SUMMARY)],
};
