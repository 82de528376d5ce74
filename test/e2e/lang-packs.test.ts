import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const pagesDir = join(import.meta.dirname, 'lang-pages');

/** The script-tag build: the packs come from lang/ beside whichever SDK script the page loaded (after npm run build). */
describe('language packs beside the SDK script', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ demoDir: pagesDir });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page, noting the paths of the packs it fetched. */
  async function open(file: string): Promise<{ page: Page; packs: string[] }> {
    const { page } = await newPerson(browser, { permissions: [] });
    const packs: string[] = [];
    page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.endsWith('.json')) packs.push(path);
    });
    await page.goto(`${server.url}/${file}`);
    return { page, packs };
  }

  const shadowText = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => el.textContent?.trim() ?? '');

  it('/oovoo.min.js: the conference in Arabic from <html lang>, right to left; the chat chunk in Spanish', async () => {
    const { page, packs } = await open('ours.html');

    await waitFor(
      () => shadowText(page, 'oovoo-conference [part~="join-button"]'),
      (t) => t === 'انضمام',
      {
        what: 'the Arabic join button',
      },
    );
    await waitFor(
      () => shadowText(page, 'oovoo-chat [part~="empty"]'),
      (t) => t === 'Aún no hay mensajes.',
      {
        what: "the Spanish chat (oovoo-chat.min.js on the SDK script's base element)",
      },
    );
    const direction = await page
      .locator('oovoo-conference [part~="controls"]')
      .evaluate((el) => getComputedStyle(el).direction);
    assert.equal(direction, 'rtl');
    await waitFor(
      () => packs.length,
      (n) => n >= 2,
      { what: 'both packs to finish' },
    );
    assert.deepEqual([...packs].sort(), ['/lang/ar.json', '/lang/es.json']);
  });

  it('/webrtc/oovoosdk-2.1.1.min.js: the packs under /webrtc/lang/', async () => {
    const { page, packs } = await open('spec.html');

    await waitFor(
      () => shadowText(page, 'oovoo-conference [part~="join-button"]'),
      (t) => t === 'הצטרפות',
      {
        what: 'the Hebrew join button',
      },
    );
    await waitFor(
      () => packs.length,
      (n) => n >= 1,
      { what: 'the pack to finish' },
    );
    assert.deepEqual(packs, ['/webrtc/lang/he.json']);
  });
});
