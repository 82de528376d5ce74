import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const pagesDir = join(import.meta.dirname, 'chat-pages');

/**
 * <oovoo-chat> history on the markup-only pages (the script-tag build, its chat chunk loaded on
 * demand): a page loaded again shows the conversation with its receipts, and a message deleted
 * for everyone shows as deleted on the other page, before and after it is loaded again.
 */
describe('<oovoo-chat> history across page loads', () => {
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

  /** Loads `uid`'s page (again) as the sign-in returns to it: a fresh session token in the URL. */
  async function load(page: Page, uid: 'alice' | 'bob'): Promise<void> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    await page.goto(`${server.url}/${uid}.html?t=${encodeURIComponent(token)}&pid=${uid}`);
    await page.locator('oovoo-login[state="connected"]').waitFor({ timeout: 20_000 });
  }

  async function open(uid: 'alice' | 'bob'): Promise<Page> {
    const { page } = await newPerson(browser, { permissions: [] });
    await load(page, uid);
    return page;
  }

  const texts = (page: Page, part: string) => page.locator(`oovoo-chat [part~="${part}"]`).allTextContents();

  async function waitForText(page: Page, part: string, expected: string[]): Promise<void> {
    await waitFor(
      () => texts(page, part),
      (seen) => JSON.stringify(seen.map((s) => s.trim())) === JSON.stringify(expected),
      { what: `${part} of ${page.url()} to be ${JSON.stringify(expected)}`, timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  it('a page loaded again shows the conversation and its receipts; a deletion for everyone reaches the other page', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    const send = async (page: Page, body: string) => {
      const input = page.locator('oovoo-chat textarea');
      await input.fill(body);
      await input.press('Enter');
    };
    await send(alice, 'one');
    await send(alice, 'two');
    await waitForText(alice, 'status', ['Read', 'Read']);
    await send(bob, 'three');
    await waitForText(bob, 'status', ['Read']);

    await load(alice, 'alice');
    await waitForText(alice, 'body', ['one', 'two', 'three']);
    await waitForText(alice, 'status', ['Read', 'Read']);
    assert.equal(await alice.locator('oovoo-chat').getAttribute('unread'), null);

    await alice.locator('oovoo-chat [part="delete"]').nth(1).click();
    await waitForText(bob, 'body', ['one', 'Message deleted', 'three']);
    await waitForText(alice, 'body', ['one', 'Message deleted', 'three']);
    await load(bob, 'bob');
    await waitForText(bob, 'body', ['one', 'Message deleted', 'three']);
    assert.deepEqual(await texts(bob, 'delete'), ['Delete']);

    await alice.context().close();
    await bob.context().close();
  });
});
