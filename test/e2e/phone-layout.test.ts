// Phones (issue 14): <oovoo-conference>, its <oovoo-chat> and its pre-join in Chromium's mobile
// emulation (touch, 390×844 and 844×390, a notch's safe-area insets), on a markup-only page with the
// script build (run `npm run build` first). A call of three (the other two on desktop pages): the
// speaker large with the others in a strip, the chat and the participant panel as sheets, the
// pre-join; in each state, in portrait and in landscape, a screenshot (into OOVOO_SCREENSHOTS_DIR, by
// default test-results/phone/) and the checks of phone-audit.ts, axe-core included.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TOKEN_FILE } from '../../src/server/routes/assets.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { auditControls, installNameShim, type Insets } from './phone-audit.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PAGES_DIR = join(HERE, 'phone-pages');
const OUT = process.env['OOVOO_SCREENSHOTS_DIR'] ?? join(HERE, '../../test-results/phone');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A phone held upright and turned, with the insets of a notch and a home bar on that side. */
const ORIENTATIONS = {
  portrait: { viewport: { width: 390, height: 844 }, insets: { top: 47, right: 0, bottom: 34, left: 0 } },
  landscape: { viewport: { width: 844, height: 390 }, insets: { top: 0, right: 47, bottom: 21, left: 47 } },
} satisfies Record<string, { viewport: { width: number; height: number }; insets: Insets }>;
type Orientation = keyof typeof ORIENTATIONS;
const MOBILE_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

/** waitFor with room for a busy 2-core machine (three pages with video). */
const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000) =>
  waitFor(read, ok, { what, timeoutMs, intervalMs: 100 });

describe('<oovoo-conference> on a phone: portrait and landscape', () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ demoDir: PAGES_DIR });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    writeFileSync(join(server.dataDir, DEMO_TOKEN_FILE), app.token('web', 'production'));
    browser = await launchChromium();
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A phone: touch, a mobile user agent, 3× pixels, camera and microphone granted. */
  async function phone(): Promise<Page> {
    const context = await browser.newContext({
      viewport: ORIENTATIONS.portrait.viewport,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
      userAgent: MOBILE_UA,
      permissions: ['camera', 'microphone'],
    });
    const page = await context.newPage();
    await installNameShim(page);
    return page;
  }

  /** Turns the phone: its viewport and the insets of the notch on that side (DevTools' emulation). */
  async function turn(page: Page, orientation: Orientation): Promise<void> {
    const { viewport, insets } = ORIENTATIONS[orientation];
    await page.setViewportSize(viewport);
    // Experimental in the protocol (so not in Playwright's types); Chromium has it since 136.
    const cdp = (await page.context().newCDPSession(page)) as unknown as {
      send(method: string, params: object): Promise<unknown>;
      detach(): Promise<void>;
    };
    await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets });
    await cdp.detach();
    await until(
      () => page.evaluate(() => [innerWidth, innerHeight]),
      ([w, h]) => w === viewport.width && h === viewport.height,
      `the viewport turned ${orientation}`,
    );
  }

  async function signIn(page: Page, userId: string, displayName: string, query = ''): Promise<void> {
    page.on('pageerror', (e) => errors.push(`${userId}: ${e.message}`));
    await page.goto(`${server.url}/${query}`);
    await page.locator('oovoo-login input[name="userId"]').fill(userId);
    // (The pre-join has a name field too: the sign-in form's is its part="input".)
    await page.locator('oovoo-login input[part="input"][name="displayName"]').fill(displayName);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const untilJoined = (page: Page) =>
    page.waitForFunction(() => document.querySelector('oovoo-conference')?.getAttribute('state') === 'joined', null, {
      timeout: 60_000,
    });

  /** axe-core over the conference, its shadow DOM and the chat in it: the violations' rule ids and targets. */
  async function axeViolations(page: Page): Promise<string[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element): Promise<any> } }).axe;
      const result = await axe.run(document.querySelector('oovoo-conference')!);
      return result.violations.map(
        (v: any) => `${v.id}: ${v.nodes.map((n: any) => JSON.stringify(n.target)).join(' ')}`,
      );
    });
  }

  /**
   * One state on the phone: the screenshot, then every check. `expectControls` are parts that must be
   * among the controls checked (so a check that found nothing cannot pass).
   */
  async function check(page: Page, name: string, orientation: Orientation, expectControls: string[]): Promise<void> {
    const { viewport, insets } = ORIENTATIONS[orientation];
    const audit = await auditControls(page, 'oovoo-conference', viewport, insets);
    // The picture of what was checked, once a frame shows it all (a turn repaints in steps).
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    const shown = audit.controls.filter((c) => c.visible).map((c) => c.name);
    for (const part of expectControls)
      assert.ok(
        shown.some((c) => c.includes(`part="${part}`) || c.includes(` ${part}`)),
        `${name}: no ${part} among the controls shown: ${shown.join(', ')}`,
      );
    assert.deepEqual(audit.problems, [], `${name}: controls out of reach`);
    assert.ok(
      audit.scrollWidth <= audit.viewportWidth,
      `${name}: the page scrolls sideways (${audit.scrollWidth} > ${audit.viewportWidth})`,
    );
    assert.deepEqual(await axeViolations(page), [], `${name}: axe-core`);
  }

  /** The tiles on the phone's stage: whose, where, playing or not (largest first). */
  const layout = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelector('oovoo-conference')!.shadowRoot!.querySelectorAll('oovoo-video-tile')]
        .map((t) => {
          const video = t.shadowRoot?.querySelector('video');
          return {
            participant: t.getAttribute('participant'),
            box: t.getBoundingClientRect().toJSON() as DOMRect,
            playing: !!video && video.videoWidth > 0 && !video.paused,
          };
        })
        .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height),
    );

  /**
   * The speaker layout's shape (the page asked for the grid): someone else large, the two others in a
   * strip under it (portrait) or beside it (landscape), every video playing; with no sheet open, the
   * large tile is as tall as the screen lets it be.
   */
  const shaped = (orientation: Orientation, sheet: boolean) => (tiles: Awaited<ReturnType<typeof layout>>) => {
    const [main, ...strip] = tiles;
    if (!main || strip.length !== 2 || !tiles.every((t) => t.playing)) return false;
    const m = main.box;
    return (
      main.participant !== 'local' &&
      strip.every(
        (t) => t.box.width >= 100 && t.box.height >= 56 && t.box.width * t.box.height * 3 < m.width * m.height,
      ) &&
      (orientation === 'portrait'
        ? strip.every((t) => t.box.top >= m.bottom) && (sheet || m.height > m.width)
        : strip.every((t) => t.box.left >= m.right) && m.height >= 200)
    );
  };

  it('a call of three: the speaker large with a strip, the chat and the panel as sheets, 44 px targets in the safe area', async () => {
    const others = await Promise.all([newPerson(browser), newPerson(browser)]);
    await signIn(others[0].page, 'phone-bob', 'Bob Chen');
    await signIn(others[1].page, 'phone-carol', 'Carol Diaz');
    const alice = await phone();
    await signIn(alice, 'phone-alice', 'Alice Martin');
    await Promise.all([untilJoined(alice), untilJoined(others[0].page), untilJoined(others[1].page)]);

    // The call: the speaker layout, though the page asked for none (the grid).
    for (const orientation of ['portrait', 'landscape'] as const) {
      await turn(alice, orientation);
      await until(() => layout(alice), shaped(orientation, false), `the speaker layout in ${orientation}`, 60_000);
      await check(alice, `call-${orientation}`, orientation, [
        'mic-button',
        'leave-button',
        'sheet-toggle',
        'pin-button',
      ]);
    }

    // The chat: closed, its toggle counts Bob's message; open, a sheet that leaves the call in view.
    await turn(alice, 'portrait');
    const bobChat = others[0].page.locator('oovoo-chat textarea');
    await bobChat.fill('Hello from the desk!');
    await bobChat.press('Enter');
    const toggle = alice.locator('oovoo-chat [part="sheet-toggle"]');
    await until(
      () =>
        alice
          .locator('oovoo-chat [part="sheet-unread"]')
          .textContent({ timeout: 1000 })
          .catch(() => ''),
      (t) => t === '1',
      "the chat's toggle counting Bob's message",
    );
    await toggle.tap();
    await alice.locator('oovoo-chat [part="body"]', { hasText: 'Hello from the desk!' }).waitFor({ timeout: 30_000 });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await alice.locator('oovoo-chat textarea').fill('On my phone, on my way.');
    for (const orientation of ['portrait', 'landscape'] as const) {
      await turn(alice, orientation);
      await until(() => layout(alice), shaped(orientation, true), `the call beside the open chat in ${orientation}`);
      await check(alice, `chat-${orientation}`, orientation, ['sheet-toggle', 'input', 'send', 'mic-button']);
    }
    await toggle.tap();
    await alice.locator('oovoo-chat [part="log"]').waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

    // The participant panel: a sheet with its close button; the chat's toggle waits behind it.
    await turn(alice, 'portrait');
    await alice.locator('oovoo-conference [part~="participants-button"]').tap();
    await alice.locator('oovoo-conference [part="participant"]').nth(2).waitFor({ timeout: 30_000 });
    for (const orientation of ['portrait', 'landscape'] as const) {
      await turn(alice, orientation);
      await until(() => layout(alice), shaped(orientation, true), `the call beside the panel in ${orientation}`);
      await check(alice, `panel-${orientation}`, orientation, ['panel-close', 'participants-button', 'leave-button']);
    }
    await alice.locator('oovoo-conference [part="panel-close"]').tap();
    await alice.locator('oovoo-conference [part="panel"]').waitFor({ state: 'detached' });
    assert.equal(await alice.locator('oovoo-conference').getAttribute('participants-open'), null);
    assert.deepEqual(errors, []);
  });

  it('the pre-join: preview, switches and lists scroll, Join stays in reach and joins', async () => {
    const dave = await phone();
    await signIn(dave, 'phone-dave', 'Dave Okafor', '?prejoin');
    await dave.waitForFunction(
      () => {
        const prejoin = document.querySelector('oovoo-conference')?.shadowRoot?.querySelector('oovoo-prejoin');
        return (prejoin?.shadowRoot?.querySelector('video[part="preview"]') as HTMLVideoElement | null)?.videoWidth;
      },
      null,
      { timeout: 30_000 },
    );
    for (const orientation of ['portrait', 'landscape'] as const) {
      await turn(dave, orientation);
      await check(dave, `prejoin-${orientation}`, orientation, ['join-button', 'camera-switch', 'name-input']);
    }
    await dave.locator('oovoo-prejoin [part="join-button"]').tap();
    await untilJoined(dave);
    assert.deepEqual(errors, []);
  });
});
