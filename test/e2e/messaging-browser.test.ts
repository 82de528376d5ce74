import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

const demoDir = join(import.meta.dirname, '..', '..', 'demo');

/** The spec's Text Chat Sample in two (or more) real browser pages. */
describe('Text Chat Sample (spec) in Chromium', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens the sample signed in as `uid` (a session token from the server-to-server login, as a site's backend would get it). */
  async function openSample(uid: string): Promise<Page> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { page } = await newPerson(browser, { permissions: [] });
    await page.goto(
      `${server.url}/samples/text-chat.html?t=${encodeURIComponent(token)}&pid=${encodeURIComponent(uid)}`,
    );
    await page.waitForFunction(() => (window as any).ooVooClient?.connectionState === 'connected', undefined, {
      timeout: 20_000,
    });
    return page;
  }

  async function sendFrom(page: Page, to: string, body: string): Promise<void> {
    await page.fill('#uids', to);
    await page.fill('textarea', body);
    await page.click('input[value="Send Message"]');
  }

  async function waitForLog(page: Page, lines: string[]): Promise<string> {
    await page.waitForFunction(
      (expected) => {
        const log = document.getElementsByTagName('p')[0]!.innerText;
        return expected.every((line) => log.includes(line));
      },
      lines,
      { timeout: 20_000 },
    );
    return page.evaluate(() => document.getElementsByTagName('p')[0]!.innerText);
  }

  it('two pages exchange a message and the sender sees Delivered and Read', async () => {
    const alice = await openSample('1000000001');
    const bob = await openSample('1000000002');

    await sendFrom(alice, '1000000002', 'Hello Bob <img src=x onerror=alert(1)>');
    await waitForLog(bob, ['1000000001: Hello Bob <img src=x onerror=alert(1)>']);
    const aliceLog = await waitForLog(alice, ['Message delivered to 1000000002', 'Message read by 1000000002']);
    assert.ok(aliceLog.indexOf('Message delivered to') < aliceLog.indexOf('Message read by'));
    // The body is text, never markup.
    assert.equal(await bob.locator('p img').count(), 0);

    await sendFrom(bob, '1000000001', 'Hi Alice');
    await waitForLog(alice, ['1000000002: Hi Alice']);
    const bobAfter = await waitForLog(bob, ['Message delivered to 1000000001', 'Message read by 1000000001']);
    // Exactly once: one line per message and receipt.
    assert.equal(bobAfter.split('1000000001: Hello Bob').length - 1, 1);
    await alice.context().close();
    await bob.context().close();
  });

  it('messages to a user who is not connected arrive in order when they open the page; then the sender gets the receipts', async () => {
    const alice = await openSample('2000000001');
    for (const body of ['first', 'second', 'third']) {
      await sendFrom(alice, '2000000002', body);
      // Each send is stored before the next click: the order is the sending order.
      await alice.waitForFunction(() => (window as any).ooVooClient.Messaging.unacknowledgedSends === 0, undefined, {
        timeout: 20_000,
      });
    }
    assert.equal(await server.store.messages.pendingCount(app.appId, '2000000002'), 3);

    const carol = await openSample('2000000002');
    const carolLog = await waitForLog(carol, ['2000000001: first', '2000000001: second', '2000000001: third']);
    const order = ['first', 'second', 'third'].map((b) => carolLog.indexOf(`2000000001: ${b}`));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    const aliceLog = await waitForLog(alice, ['Message delivered to 2000000002', 'Message read by 2000000002']);
    assert.equal(aliceLog.split('Message delivered to 2000000002').length - 1, 3);
    assert.equal(aliceLog.split('Message read by 2000000002').length - 1, 3);
    await alice.context().close();
    await carol.context().close();
  });

  it('every tab of the same user receives the message once', async () => {
    const sender = await openSample('3000000001');
    const tab1 = await openSample('3000000002');
    const tab2 = await openSample('3000000002');
    await sendFrom(sender, '3000000002', 'to both tabs');
    for (const tab of [tab1, tab2]) {
      const log = await waitForLog(tab, ['3000000001: to both tabs']);
      assert.equal(log.split('to both tabs').length - 1, 1);
    }
    for (const page of [sender, tab1, tab2]) await page.context().close();
  });
});
