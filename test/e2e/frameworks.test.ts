import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const FRAMEWORKS_DIR = fileURLToPath(new URL('../../demo/frameworks/', import.meta.url));

/** Builds one framework page with its own vite.config.mjs into `<outRoot>/<name>` (served at /<name>/). */
async function buildPage(name: string, outRoot: string): Promise<void> {
  const root = join(FRAMEWORKS_DIR, name);
  await build({
    root,
    configFile: join(root, 'vite.config.mjs'),
    logLevel: 'error',
    build: { outDir: join(outRoot, name), emptyOutDir: true },
  });
}

interface PageView {
  login: string | null;
  conference: string | null;
  events: string[];
  tiles: Array<{ participant: string; videoWidth: number }>;
}

/** What a framework page shows: the elements' state attributes, the framework-rendered event list, the tiles. */
function view(page: Page): Promise<PageView> {
  return page.evaluate(() => {
    const conference = document.querySelector('oovoo-conference');
    const tiles = [...(conference?.shadowRoot?.querySelectorAll('oovoo-video-tile') ?? [])].map((tile) => ({
      participant: tile.getAttribute('participant') ?? '',
      videoWidth: tile.shadowRoot?.querySelector('video')?.videoWidth ?? 0,
    }));
    return {
      login: document.querySelector('oovoo-login')?.getAttribute('state') ?? null,
      conference: conference?.getAttribute('state') ?? null,
      events: [...document.querySelectorAll('[data-events] li')].map((li) => li.textContent?.trim() ?? ''),
      tiles,
    };
  });
}

describe('framework pages: the elements in Vue, Svelte, React and Angular, built with Vite', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  let outRoot: string;

  before(async () => {
    outRoot = mkdtempSync(join(tmpdir(), 'oovoo-frameworks-'));
    server = await startTestServer({ demoDir: outRoot });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (outRoot) rmSync(outRoot, { recursive: true, force: true });
  });

  /** Uncaught errors of every page opened, checked at the end of each test. */
  const pageErrors: string[] = [];

  /** Opens a framework page as one user; the page signs in with the web token (direct mode) and joins by itself. */
  async function open(framework: string, user: string, conf: string): Promise<Page> {
    const { page } = await newPerson(browser);
    page.on('pageerror', (e) => pageErrors.push(`${framework}: ${e.message}`));
    const query = new URLSearchParams({
      token: app.token('web', 'production'),
      user,
      name: `${user} (${framework})`,
      conf,
    });
    await page.goto(`${server.url}/${framework}/index.html?${query}`);
    return page;
  }

  /** Both pages signed in and joined, each shows the other's video, and each framework rendered the events it handled. */
  async function assertCall(
    a: { page: Page; user: string; name: string },
    b: { page: Page; user: string; name: string },
    conf: string,
  ): Promise<void> {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const seen = await waitFor(
        () => view(me.page),
        (v) =>
          v.login === 'connected' &&
          v.conference === 'joined' &&
          v.tiles.some((t) => t.participant === other.user && t.videoWidth > 0),
        { what: `${me.name}: signed in, joined, video from ${other.user}`, timeoutMs: 30_000, intervalMs: 200 },
      );
      assert.ok(
        seen.tiles.some((t) => t.participant === 'local'),
        `${me.name} shows its own tile`,
      );
      const events = (
        await waitFor(
          () => view(me.page),
          (v) => v.events.includes(`${other.user} joined`),
          { what: `${me.name}: event list`, timeoutMs: 20_000, intervalMs: 200 },
        )
      ).events;
      assert.equal(events[0], `connected as ${me.user}`, `${me.name}: oovoo-connect handled first`);
      assert.ok(events.includes(`joined ${conf}`), `${me.name}: oovoo-join handled (${JSON.stringify(events)})`);
      assert.ok(events.includes(`${other.user} joined`), `${me.name}: oovoo-participant-join handled`);
      assert.ok(!events.some((e) => e.startsWith('error')), `${me.name}: no oovoo-error (${JSON.stringify(events)})`);
    }
  }

  it('the Vue and Svelte pages build, render, sign in and hold a call with each other', async () => {
    await Promise.all([buildPage('vue', outRoot), buildPage('svelte', outRoot)]);
    const conf = 'vue-svelte';
    const vue = await open('vue', 'vera', conf);
    const svelte = await open('svelte', 'sven', conf);
    await assertCall({ page: vue, user: 'vera', name: 'Vue' }, { page: svelte, user: 'sven', name: 'Svelte' }, conf);
    assert.equal(await vue.locator('h1').textContent(), 'Vue 3');
    assert.equal(await svelte.locator('h1').textContent(), 'Svelte 5');

    // A participant leaving reaches the other framework's handler too.
    await svelte.context().close();
    await waitFor(
      () => view(vue),
      (v) => v.events.includes('sven left') && !v.tiles.some((t) => t.participant === 'sven'),
      { what: 'Vue sees sven leave', timeoutMs: 30_000, intervalMs: 200 },
    );
    await vue.context().close();
    assert.deepEqual(pageErrors.splice(0), [], 'no page errors');
  });

  it('the React 19 and Angular pages build, render, sign in and hold a call with each other', async () => {
    await Promise.all([buildPage('react', outRoot), buildPage('angular', outRoot)]);
    const conf = 'react-angular';
    const react = await open('react', 'rosa', conf);
    const angular = await open('angular', 'ariel', conf);
    await assertCall(
      { page: react, user: 'rosa', name: 'React' },
      { page: angular, user: 'ariel', name: 'Angular' },
      conf,
    );
    assert.equal(await react.locator('h1').textContent(), 'React 19');
    assert.equal(await angular.locator('h1').textContent(), 'Angular');
    await react.context().close();
    await angular.context().close();
    assert.deepEqual(pageErrors.splice(0), [], 'no page errors');
  });
});
