import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Participant, preparePage, waitForEvent } from './conference-fixture.js';

const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** Records, at each getUserMedia call, whether the adapter script had already finished loading. */
const CAPTURE_PROBE = `(() => {
  window.__capture = [];
  const md = navigator.mediaDevices;
  const original = md.getUserMedia.bind(md);
  md.getUserMedia = (constraints) => {
    window.__capture.push(performance.getEntriesByType('resource').some((e) => /\\/oovoo-adapter\\.min\\.js$/.test(e.name)));
    return original(constraints);
  };
})()`;

const page = (script: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>adapter</title><script src="${script}"></script></head><body></body></html>`;

describe('webrtc-adapter: a separate script, loaded only where needed, before capture', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  let pagesDir: string;

  before(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'oovoo-adapter-pages-'));
    writeFileSync(join(pagesDir, 'index.html'), page('/oovoo.min.js'));
    writeFileSync(join(pagesDir, 'spec.html'), page('/webrtc/oovoosdk-2.1.1.min.js'));
    server = await startTestServer({ ...relaxedLimits, demoDir: pagesDir });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });

  /** A page as some browser; records the adapter requests it makes. */
  async function person(opts: {
    userAgent?: string;
    path: string;
  }): Promise<{ page: Page; adapterRequests: string[] }> {
    const context = await browser.newContext({
      permissions: ['camera', 'microphone'],
      ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`));
    const adapterRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('oovoo-adapter')) adapterRequests.push(new URL(r.url()).pathname);
    });
    if (opts.userAgent) {
      // Client hints would still say Chromium: a browser with only a user agent string (Firefox, Safari).
      await page.addInitScript(`Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined })`);
    }
    await page.addInitScript(CAPTURE_PROBE);
    await preparePage(page);
    await page.goto(`${server.url}${opts.path}`);
    return { page, adapterRequests };
  }

  async function joinCall(p: Page, uid: string, conf: string): Promise<Participant> {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(p, server.url, { token, uid, conf });
    assert.deepEqual(result, { conf }, `${uid} joined`);
    return participant;
  }

  it('is served beside both SDK script paths, and the main script does not contain it', async () => {
    for (const path of ['/oovoo-adapter.min.js', '/webrtc/oovoo-adapter.min.js']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /javascript/);
      assert.ok((await res.text()).includes('mozGetUserMedia'), `${path} is webrtc-adapter`);
    }
    const main = await (await fetch(`${server.url}/oovoo.min.js`)).text();
    assert.ok(!main.includes('mozGetUserMedia'), 'the main script leaves webrtc-adapter out');
  });

  it('a browser that needs the shims loads them before capture and holds a call with current Chromium, which does not load them', async () => {
    const firefoxLike = await person({ userAgent: FIREFOX_UA, path: '/spec.html' });
    const chromium = await person({ path: '/index.html' });

    const alice = await joinCall(firefoxLike.page, 'alice', 'adapter-call');
    const bob = await joinCall(chromium.page, 'bob', 'adapter-call');
    await alice.waitForMediaFrom('bob');
    await bob.waitForMediaFrom('alice');
    await waitForEvent(alice, (e) => e[0] === 'joined' && e[1] === 'bob');

    // Loaded from beside the script the page used, once, and finished before the camera was asked for.
    assert.deepEqual(firefoxLike.adapterRequests, ['/webrtc/oovoo-adapter.min.js']);
    assert.deepEqual(await firefoxLike.page.evaluate(() => (window as any).__capture), [true]);
    // Current Chromium never fetches it.
    assert.deepEqual(chromium.adapterRequests, []);
    assert.deepEqual(await chromium.page.evaluate(() => (window as any).__capture), [false]);
  });
});
