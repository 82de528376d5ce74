import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TOKEN_FILE } from '../../src/server/routes/assets.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** The markup-only page: the SDK script tag, <oovoo-login> and <oovoo-conference>, nothing else. */
const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'elements-pages');

/** Names that would run script if they were ever rendered as HTML. */
const ALICE = '<img src=x onerror="window.__xss = \'alice\'">Alice';
const BOB = 'Bob <script>window.__xss = "bob"</script><svg onload="window.__xss = \'svg\'"></svg>';

describe('<oovoo-conference> on a markup-only page, two people', () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ demoDir: PAGES_DIR });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    // The server fills the page's %OOVOO_DEMO_TOKEN% from this file (as `npm start` does for the demo).
    writeFileSync(join(server.dataDir, DEMO_TOKEN_FILE), app.token('web', 'production'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(userId: string, displayName: string): Promise<Page> {
    const { page } = await newPerson(browser);
    page.on('pageerror', (e) => errors.push(`${userId}: ${e.message}`));
    await page.goto(`${server.url}/`);
    await page.locator('oovoo-login input[name="userId"]').fill(userId);
    await page.locator('oovoo-login input[name="displayName"]').fill(displayName);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(
      () => document.querySelector('oovoo-conference')?.getAttribute('state') === 'joined',
      null,
      { timeout: 30_000 },
    );
    return page;
  }

  /** Reads the other participant's tile inside the conference's shadow DOM. */
  const tileState = (page: Page, uid: string) =>
    page.evaluate((u) => {
      const tile = document
        .querySelector('oovoo-conference')!
        .shadowRoot!.querySelector(`oovoo-video-tile[participant="${u}"]`);
      const video = tile?.shadowRoot?.querySelector('video');
      return {
        present: !!tile,
        width: video?.videoWidth ?? 0,
        playing: !!video && !video.paused,
        muted: tile?.hasAttribute('muted') ?? false,
        cameraOff: tile?.hasAttribute('camera-off') ?? false,
        name: tile?.shadowRoot?.querySelector('[part="name"]')?.textContent ?? '',
        elementsInName: tile?.shadowRoot?.querySelector('[part="name"]')?.children.length ?? -1,
        xss: (window as unknown as { __xss?: string }).__xss ?? null,
      };
    }, uid);

  async function until(
    page: Page,
    uid: string,
    ok: (s: Awaited<ReturnType<typeof tileState>>) => boolean,
    what: string,
  ) {
    return waitFor(() => tileState(page, uid), ok, { what, timeoutMs: 30_000, intervalMs: 200 });
  }

  it('both sign in and join, see each other in tiles, names render as text, muting shows on the other side', async () => {
    const [alice, bob] = await Promise.all([signIn('alice', ALICE), signIn('bob', BOB)]);

    const bobAtAlice = await until(alice, 'bob', (s) => s.width > 0 && s.playing, 'bob playing at alice');
    const aliceAtBob = await until(bob, 'alice', (s) => s.width > 0 && s.playing, 'alice playing at bob');
    assert.equal(aliceAtBob.name, ALICE);
    assert.equal(bobAtAlice.name, BOB);
    assert.equal(aliceAtBob.elementsInName, 0);
    assert.equal(bobAtAlice.elementsInName, 0);
    assert.equal(aliceAtBob.muted, false);

    await alice.getByRole('button', { name: 'Mute', exact: true }).click();
    await until(bob, 'alice', (s) => s.muted, 'alice muted at bob');
    assert.equal(await alice.locator('oovoo-conference').getAttribute('muted'), '');
    // The button now says what pressing it does.
    await alice.getByRole('button', { name: 'Unmute', exact: true }).click();
    await until(bob, 'alice', (s) => !s.muted, 'alice unmuted at bob');

    await bob.getByRole('button', { name: 'Stop video', exact: true }).click();
    await until(alice, 'bob', (s) => s.cameraOff, 'bob camera off at alice');
    await bob.getByRole('button', { name: 'Start video', exact: true }).waitFor();

    await alice.getByRole('button', { name: 'Leave' }).click();
    await until(bob, 'alice', (s) => !s.present, 'alice gone at bob');
    assert.equal(await alice.locator('oovoo-conference').getAttribute('state'), 'left');

    for (const page of [alice, bob])
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null), null);
    assert.deepEqual(errors, []);
  });
});
