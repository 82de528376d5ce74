import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { packageRoot } from '../../src/server/index.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';

/** Polls a condition in the page until it holds, with a deadline that fits a loaded 2-core machine. */
async function until(
  page: Page,
  what: string,
  fn: (arg: string) => boolean,
  arg = '',
  timeoutMs = 30_000,
): Promise<void> {
  await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 100 }).catch((e: Error) => {
    throw new Error(`${what} (${page.url()}): ${e.message.split('\n')[0]}`);
  });
}

/**
 * demo/index.html as `npm start` serves it: one script tag and the elements, nothing else.
 * Two people in two browser contexts sign in, join, see each other, chat, and see each other mute.
 */
describe('the markup-only demo (demo/index.html)', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: join(packageRoot, 'demo') });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    // What `oovoo-server start` writes when it makes the development app.
    writeFileSync(join(server.dataDir, 'demo-app-token'), `${app.token('web', 'sandbox')}\n`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(userId: string, displayName: string): Promise<Page> {
    const { page } = await newPerson(browser);
    await page.goto(`${server.url}/`);
    await page.locator('oovoo-login input[name="userId"]').fill(userId);
    await page.locator('oovoo-login input[name="displayName"]').fill(displayName);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('oovoo-login[state="connected"]').waitFor({ timeout: 30_000 });
    await page.locator('oovoo-conference[state="joined"]').waitFor({ timeout: 30_000 });
    return page;
  }

  it('is markup only: one script tag, no inline script, the token filled in by the server', async () => {
    const res = await fetch(`${server.url}/`);
    const html = await res.text();

    assert.equal(res.status, 200);
    assert.equal((html.match(/<script\b/g) ?? []).length, 1);
    assert.match(html, /<script src="\/oovoo\.min\.js"><\/script>/);
    assert.match(html, /app-token="ovt1\.[\w-]+\.[\w-]+"/);
    assert.doesNotMatch(html, /%OOVOO_DEMO_TOKEN%/);
  });

  it('two tabs sign in, join, see each other in tiles, chat with receipts, and muting shows on the other tile', async () => {
    const hostileName = '<img src=x onerror="window.__xss=1">Ann';
    const alice = await signIn('alice', hostileName);
    const bob = await signIn('bob', 'Bob');

    // Each sees the other's video decoding in a tile. (Runs in the page: it gets the uid as its argument.)
    const seesVideoOf = (uid: string) => {
      const tile = document
        .querySelector('oovoo-conference')
        ?.shadowRoot?.querySelector(`oovoo-video-tile[participant="${uid}"]`);
      const video = tile?.shadowRoot?.querySelector('video');
      return video instanceof HTMLVideoElement && video.videoWidth > 0;
    };
    await until(alice, 'alice sees bob', seesVideoOf, 'bob');
    await until(bob, 'bob sees alice', seesVideoOf, 'alice');

    // The hostile display name is text on bob's side, and no script ran.
    const names = await bob.locator('oovoo-video-tile[participant="alice"] [part~="name"]').allTextContents();
    assert.deepEqual(names, [hostileName]);
    assert.equal(await bob.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await bob.locator('oovoo-video-tile img').count(), 0);

    // Chat: alice writes, bob reads, alice sees Read.
    await alice.locator('oovoo-chat [part~="input"]').fill('hello from alice');
    await alice.locator('oovoo-chat [part~="input"]').press('Enter');
    await until(bob, 'bob gets the message', () =>
      [
        ...(document.querySelector('oovoo-conference oovoo-chat')?.shadowRoot?.querySelectorAll('[part~="body"]') ??
          []),
      ].some((el) => el.textContent === 'hello from alice'),
    );
    await until(alice, 'alice sees Read', () =>
      [
        ...(document.querySelector('oovoo-conference oovoo-chat')?.shadowRoot?.querySelectorAll('[part~="status"]') ??
          []),
      ].some((el) => /read/i.test(el.textContent ?? '')),
    );

    // Muting: alice mutes, bob's tile of alice shows it.
    await alice.locator('oovoo-conference [part~="mic-button"]').click();
    await until(bob, "bob's tile of alice shows muted", () =>
      document
        .querySelector('oovoo-conference')!
        .shadowRoot!.querySelector('oovoo-video-tile[participant="alice"]')!
        .hasAttribute('muted'),
    );
    await alice.locator('oovoo-conference [part~="mic-button"]').click();
    await until(
      bob,
      "bob's tile of alice shows unmuted",
      () =>
        !document
          .querySelector('oovoo-conference')!
          .shadowRoot!.querySelector('oovoo-video-tile[participant="alice"]')!
          .hasAttribute('muted'),
    );

    await alice.context().close();
    await bob.context().close();
  });
});
