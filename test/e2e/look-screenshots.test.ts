// The default look, as the README shows it: the demo page (one script tag, markup only) with four
// people, at 1280×800 (grid with the chat, a share in the speaker layout, the panel) and 390×844. Saves the screenshots into OOVOO_SCREENSHOTS_DIR (by default a
// temp folder; `npm run screenshots` points it at docs/screenshots). Also checks what the pictures
// rely on: every tile in place, video playing, the chat beside the stage when wide and below it on
// a phone, the initials disc of a camera that is off, the panel loaded from oovoo-extras.min.js.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TOKEN_FILE } from '../../src/server/routes/assets.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../demo');
const OUT = process.env['OOVOO_SCREENSHOTS_DIR'] ?? join(tmpdir(), 'oovoo-screenshots');

describe('the default look (screenshots for the README)', () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ demoDir: DEMO_DIR });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    writeFileSync(join(server.dataDir, DEMO_TOKEN_FILE), app.token('web', 'sandbox'));
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(userId: string, displayName: string): Promise<Page> {
    const { page } = await newPerson(browser);
    page.on('pageerror', (e) => errors.push(`${userId}: ${e.message}`));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/`);
    await page.locator('oovoo-login input[name="userId"]').fill(userId);
    await page.locator('oovoo-login input[name="displayName"]').fill(displayName);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(
      () => document.querySelector('oovoo-conference')?.getAttribute('state') === 'joined',
      null,
      { timeout: 60_000 },
    );
    return page;
  }

  /** What alice's page shows: each tile's participant, whether its video plays, and the layout's boxes. */
  const stage = (page: Page) =>
    page.evaluate(() => {
      const conf = document.querySelector('oovoo-conference')!;
      const root = conf.shadowRoot!;
      // No named helpers here: the test's TypeScript transform would wrap them in a function the page lacks.
      return {
        tiles: [...root.querySelectorAll('oovoo-video-tile')].map((t) => {
          const video = t.shadowRoot?.querySelector('video');
          return {
            participant: t.getAttribute('participant'),
            playing: !!video && video.videoWidth > 0 && !video.paused,
            cameraOff: t.hasAttribute('camera-off'),
            avatar: t.shadowRoot?.querySelector('[part="avatar"]')?.textContent ?? '',
          };
        }),
        stage: root.querySelector('[part="stage"]')?.getBoundingClientRect().toJSON() as DOMRect | undefined,
        chat: document.querySelector('oovoo-chat')?.getBoundingClientRect().toJSON() as DOMRect | undefined,
      };
    });

  it('a call of four with the chat: 1280×800 and 390×844', async () => {
    const alice = await signIn('look-alice', 'Alice Martin');
    const others = await Promise.all([
      signIn('look-bob', 'Bob Chen'),
      signIn('look-carol', 'Carol Diaz'),
      signIn('look-dave', 'Dave Okafor'),
    ]);
    // Carol's camera is off (her initials show); Dave is muted with his hand raised.
    await others[1]!.evaluate(() => document.querySelector('oovoo-conference')!.setCameraOn(false));
    await others[2]!.evaluate(() => {
      const conf = document.querySelector('oovoo-conference')!;
      conf.setMicMuted(true);
      conf.raiseHand(true);
    });
    const ready = await waitFor(
      () => stage(alice),
      (s) =>
        s.tiles.length === 4 &&
        s.tiles.filter((t) => t.playing && !t.cameraOff).length === 3 &&
        s.tiles.some((t) => t.cameraOff && t.avatar === 'CD'),
      { what: 'alice never saw the three others (two playing, Carol as initials)', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.ok(
      ready.chat && ready.stage && ready.chat.left >= ready.stage.right,
      'wide: the chat stands beside the stage',
    );
    await alice.evaluate(() => {
      const chat = document.querySelector('oovoo-chat')!;
      const input = chat.shadowRoot!.querySelector('textarea')!;
      input.value = 'Welcome, everyone! The slides are coming.';
      input.dispatchEvent(new Event('input'));
    });
    await alice.screenshot({ path: join(OUT, 'call-1280x800.png') });

    // Bob shares his screen (the fake one) in the speaker layout: the share takes the stage.
    await alice.evaluate(() => (document.querySelector('oovoo-conference')!.layout = 'speaker'));
    const bob = others[0]!;
    await bob.evaluate(() => {
      const w = window as unknown as { __errors: unknown[] };
      w.__errors = [];
      document.addEventListener('oovoo-error', (e) => w.__errors.push((e as CustomEvent).detail));
      document.querySelector('oovoo-conference')!.shareScreen(true);
    });
    // A renegotiation on each of bob's three links, then frames: slow on a busy machine.
    const shareState = () =>
      Promise.all([
        alice.evaluate(() => {
          const tile = document
            .querySelector('oovoo-conference')!
            .shadowRoot!.querySelector('[part="main"] oovoo-video-tile[source="screen"]');
          return { tile: !!tile, width: tile?.shadowRoot?.querySelector('video')?.videoWidth ?? 0 };
        }),
        bob.evaluate(() => (window as unknown as { __errors: unknown[] }).__errors),
      ]);
    const [shared, bobErrors] = await waitFor(shareState, ([s, errs]) => s.width > 0 || errs.length > 0, {
      what: "alice never decoded bob's screen on her stage",
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    assert.deepEqual(bobErrors, [], 'the share was refused');
    assert.ok(shared.tile);
    await alice.screenshot({ path: join(OUT, 'share-1280x800.png') });
    await bob.evaluate(() => document.querySelector('oovoo-conference')!.shareScreen(false));
    await alice.evaluate(() => (document.querySelector('oovoo-conference')!.layout = 'grid'));

    // The participant panel comes from oovoo-extras.min.js, loaded on first use beside the SDK script.
    await alice.evaluate(() => document.querySelector('oovoo-conference')!.toggleParticipants());
    await alice.waitForFunction(
      () =>
        document.querySelector('oovoo-conference')!.shadowRoot!.querySelectorAll('[part="participant"]').length === 4,
      null,
      { timeout: 30_000 },
    );
    const first = await alice.evaluate(
      () =>
        document.querySelector('oovoo-conference')!.shadowRoot!.querySelector('[part="participant-name"]')!.textContent,
    );
    assert.equal(first, 'Dave Okafor', 'the raised hand comes first');
    await alice.screenshot({ path: join(OUT, 'panel-1280x800.png') });
    await alice.evaluate(() => document.querySelector('oovoo-conference')!.toggleParticipants());

    await alice.setViewportSize({ width: 390, height: 844 });
    const narrow = await waitFor(
      () => stage(alice),
      // A phone's layout (the speaker large, a strip) moves the tiles: each plays again before the picture.
      (s) =>
        !!s.chat &&
        !!s.stage &&
        s.chat.top >= s.stage.bottom &&
        s.tiles.filter((t) => t.playing && !t.cameraOff).length === 3,
      { what: 'narrow: the chat below the stage, the videos playing', timeoutMs: 30_000, intervalMs: 100 },
    );
    assert.ok(narrow.stage!.width <= 390);
    await alice.screenshot({ path: join(OUT, 'call-390x844.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });
});
