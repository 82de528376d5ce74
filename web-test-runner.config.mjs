// Browser tests: real Chromium (system binary), TypeScript through esbuild, and a real oovoo server
// started for the run, with an app permitted for the test pages' origin.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { tsImport } from 'tsx/esm/api';
import { CHROMIUM_ARGS, ensureChromium } from './scripts/chromium.mjs';
import { countingReporter } from './scripts/wtr-counter.mjs';

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
