// <oovoo-conference>'s errors in words (issue 18): what happened and what to change, naming the
// element's attribute, with the spec's code beside for support; a camera and microphone the browser
// refuses are said in the status line while the call goes on. Markup-only pages on the script build
// (run `npm run build` first).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { launchChromiumWithout } from './conference-fixture.js';

const PAGE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'errors-pages', 'call.html'), 'utf8');

describe('<oovoo-conference> errors in words, markup-only pages', () => {
  let server: TestServer;
  let app: TestApp;
  const browsers: Browser[] = [];
  const pagesDir = mkdtempSync(join(tmpdir(), 'oovoo-errors-pages-'));

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: pagesDir });
    app = await server.createApp(['localhost', '127.0.0.1']);
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
    rmSync(pagesDir, { recursive: true, force: true });
  });

  async function open(browser: Browser, uid: string, attributes: string, permissions?: string[]): Promise<Page> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const filled = PAGE.replace('%SESSION_TOKEN%', token)
      .replaceAll('%USER_ID%', uid)
      .replace('%CONFERENCE_ATTRIBUTES%', attributes);
    writeFileSync(join(pagesDir, `${uid}.html`), filled);
    const { page } = await newPerson(browser, permissions ? { permissions } : {});
    page.setDefaultTimeout(30_000);
    await page.goto(`${server.url}/${uid}.html`);
    return page;
  }

  /** The text of a part of the conference once it reads `expected` (what it read last, on a timeout). */
  async function partText(page: Page, part: string, expected: string): Promise<string> {
    const read = () =>
      page
        .locator(`oovoo-conference [part~="${part}"]`)
        .first()
        .evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '')
        .catch(() => '');
    let last = '';
    await waitFor(
      async () => (last = await read()),
      (text) => text === expected,
      { what: `${part}: ${expected}`, timeoutMs: 30_000 },
    ).catch(() => undefined);
    return last;
  }

  it('a Join without conference-id says which attribute to set, with the code beside', async () => {
    const browser = await launchChromiumWithout([]);
    browsers.push(browser);
    const page = await open(browser, 'err-noconf', '');
    await page.locator('oovoo-login[state="connected"]').waitFor();
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    const expected = 'Set the conference-id attribute of <oovoo-conference> to the name of the call. (-40000)';
    assert.equal(await partText(page, 'error', expected), expected);
    assert.equal(await page.locator('oovoo-conference').getAttribute('state'), 'error');
  });

  it('a camera and microphone the browser refuses: the call goes on, and the status line says what to do', async () => {
    // Without the auto-accepting permission UI and without a grant, Chromium refuses the request.
    const browser = await launchChromiumWithout(['--use-fake-ui-for-media-stream']);
    browsers.push(browser);
    const page = await open(browser, 'err-denied', 'conference-id="errors-denied" autojoin', []);
    await waitFor(
      () => page.locator('oovoo-conference').getAttribute('state'),
      (state) => state === 'joined',
      { what: 'joined', timeoutMs: 30_000 },
    );
    const expected =
      'The browser is not allowed to use your camera and microphone. Allow them for this site (the icon in the address bar, or the site settings), then join again.';
    assert.equal(await partText(page, 'status', expected), expected);
  });
});
