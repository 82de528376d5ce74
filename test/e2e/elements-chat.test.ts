import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const pagesDir = join(import.meta.dirname, 'chat-pages');

/** Two people on markup-only pages (<oovoo-login> holding <oovoo-chat to="...">), in two browser contexts. */
describe('<oovoo-chat> on a markup-only page', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: pagesDir });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * Opens `uid`'s page as the spec's sign-in returns to it (`t` and `pid` in the URL, from a
   * server-to-server login here), and records the chat events the page sees.
   */
  async function open(uid: 'alice' | 'bob'): Promise<Page> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { page } = await newPerson(browser, { permissions: [] });
    await page.addInitScript(() => {
      const w = window as unknown as { chatEvents: string[] };
      w.chatEvents = [];
      for (const type of ['oovoo-message', 'oovoo-send', 'oovoo-receipt', 'oovoo-error']) {
        document.addEventListener(type, (e) => {
          const detail = (e as CustomEvent<{ state?: string }>).detail;
          w.chatEvents.push(detail?.state ? `${type}:${detail.state}` : type);
        });
      }
    });
    await page.goto(`${server.url}/${uid}.html?t=${encodeURIComponent(token)}&pid=${uid}`);
    await page.locator('oovoo-login[state="connected"]').waitFor({ timeout: 20_000 });
    return page;
  }

  const events = (page: Page) => page.evaluate(() => (window as unknown as { chatEvents: string[] }).chatEvents);
  const texts = (page: Page, part: string) => page.locator(`oovoo-chat [part~="${part}"]`).allTextContents();

  async function waitForText(page: Page, part: string, expected: string[]): Promise<void> {
    await waitFor(
      () => texts(page, part),
      (seen) => JSON.stringify(seen) === JSON.stringify(expected),
      { what: `${part} of ${page.url()} to be ${JSON.stringify(expected)}`, timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  it("both sign in and chat: each sees the other's message, the sender sees Delivered then Read", async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    assert.doesNotMatch(alice.url(), /[?&]t=/, 'the token left the address bar');

    const aliceInput = alice.locator('oovoo-chat textarea');
    await aliceInput.fill('Hello Bob <img src=x onerror="window.xss=1">');
    await aliceInput.press('Enter');

    await waitForText(bob, 'body', ['Hello Bob <img src=x onerror="window.xss=1">']);
    assert.deepEqual(await texts(bob, 'sender'), ['alice']);
    await waitForText(alice, 'status', ['Read']);
    assert.deepEqual(await events(alice), ['oovoo-send', 'oovoo-receipt:Delivered', 'oovoo-receipt:Read']);
    assert.deepEqual(await events(bob), ['oovoo-message']);
    assert.equal(await aliceInput.inputValue(), '');

    // Shift+Enter starts a new line; Enter sends.
    const bobInput = bob.locator('oovoo-chat textarea');
    await bobInput.click();
    await bob.keyboard.type('Hi Alice');
    await bob.keyboard.press('Shift+Enter');
    await bob.keyboard.type('how are you?');
    await bob.keyboard.press('Enter');

    await waitForText(alice, 'body', ['Hello Bob <img src=x onerror="window.xss=1">', 'Hi Alice\nhow are you?']);
    await waitForText(bob, 'status', ['Read']);
    assert.deepEqual(await events(bob), [
      'oovoo-message',
      'oovoo-send',
      'oovoo-receipt:Delivered',
      'oovoo-receipt:Read',
    ]);
    // Rendered as text: no image, no script ran; both unread counts are back to none.
    assert.equal(await bob.locator('oovoo-chat img').count(), 0);
    assert.equal(await bob.evaluate(() => (window as unknown as { xss?: number }).xss), undefined);
    for (const page of [alice, bob]) assert.equal(await page.locator('oovoo-chat').getAttribute('unread'), null);

    await alice.context().close();
    await bob.context().close();
  });
});
