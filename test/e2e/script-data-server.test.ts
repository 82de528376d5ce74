import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A copy of the SDK script served from elsewhere (a CDN) names its server with `data-server`: the page's
 * own origin, the CDN's and the server's are three. The script tag comes after the markup, as WordPress and
 * most sites place scripts: the elements upgrade while it runs, and the chat's chunk loads at once.
 */
describe('<script src="…cdn…/oovoo.min.js" data-server="…">', () => {
  let cdn: TestServer;
  let server: TestServer;
  let pages: Server;
  let pagesUrl = '';
  let browser: Browser;
  let html = '';

  before(async () => {
    // The CDN: a server with no app at all, which only hands out the built scripts.
    cdn = await startTestServer();
    server = await startTestServer({ ...relaxedLimits });
    pages = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => pages?.close(resolve));
    await server?.stop();
    await cdn?.stop();
  });

  /** Opens the page as alice with a session token from the server; records where scripts and sockets went. */
  async function open(scriptAttributes: string): Promise<{ page: Page; scripts: string[]; sockets: string[] }> {
    const app = await server.createApp(['127.0.0.1']);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice', '127.0.0.1');
    html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>data-server</title></head><body>
<oovoo-login user-id="alice" session-token="${token}"><oovoo-chat to="bob"></oovoo-chat></oovoo-login>
<script src="${cdn.url}/oovoo.min.js" ${scriptAttributes}></script>
</body></html>`;
    const { page } = await newPerson(browser, { permissions: [] });
    const scripts: string[] = [];
    const sockets: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${pagesUrl}/`);
    return { page, scripts, sockets };
  }

  it('connects to the server it names, and loads the chunks from beside the script', async () => {
    const { page, scripts, sockets } = await open(`data-server="${server.url}/"`);
    await page.locator('oovoo-login[state="connected"]').waitFor({ timeout: 20_000 });
    await page.locator('oovoo-chat textarea').waitFor({ timeout: 20_000 });
    assert.ok(scripts.includes(`${cdn.url}/oovoo-chat.min.js`), `the chat's chunk came from the CDN: ${scripts}`);
    assert.ok(
      scripts.every((url) => url.startsWith(`${cdn.url}/`)),
      `every script from the CDN: ${scripts}`,
    );
    const serverHost = new URL(server.url).host;
    assert.ok(sockets.length > 0 && sockets.every((url) => new URL(url).host === serverHost), `sockets: ${sockets}`);
    await page.context().close();
  });

  it('without data-server it takes the script’s own origin, which here is not a server of this app', async () => {
    const { page, sockets } = await open('');
    await page.locator('oovoo-login[state="error"]').waitFor({ timeout: 20_000 });
    assert.ok(!sockets.some((url) => new URL(url).host === new URL(server.url).host), `sockets: ${sockets}`);
    await page.context().close();
  });
});
