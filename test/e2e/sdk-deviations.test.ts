import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { Participant, preparePage, waitForEvent } from './conference-fixture.js';

const page = (script: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>sdk</title><script src="${script}"></script></head><body></body></html>`;

/** The spec's last deviations from the ooVoo JS SDK 2.1.1, each as the SDK now behaves. */
describe('SDK: the spec deviations closed', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  let pagesDir: string;

  before(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'oovoo-sdk-pages-'));
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

  async function open(path: string): Promise<Page> {
    const { page: p } = await newPerson(browser);
    await preparePage(p);
    await p.goto(`${server.url}${path}`);
    return p;
  }

  it('AVChat.init with a parameter it does not know warns and goes on: the conference joins (with a padded uid)', async () => {
    const p = await open('/index.html');
    const warnings: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'dev-init');

    const result = await p.evaluate(async (token) => {
      const w = window as any;
      await w.ooVooClient.connect({ userId: 'dev-init', userToken: token });
      const init = await new Promise((resolve) => {
        const c = w.ooVooClient.AVChat.init({ audio: false, video: false, cameraFacing: 'user' }, (res: any) =>
          resolve({ res, c }),
        );
      });
      const { res, c } = init as any;
      // The uid trimmed as everywhere else.
      const joined = await new Promise((resolve) => c.join('dev-init-conf', ' dev-init ', (r: any) => resolve(r)));
      c.leave();
      return { init: res, joined };
    }, token);

    assert.deepEqual(result, { init: {}, joined: { conf: 'dev-init-conf' } });
    assert.ok(
      warnings.some((w) => w.includes('cameraFacing')),
      `a warning names the parameter: ${JSON.stringify(warnings)}`,
    );
    await p.context().close();
  });

  it('stopTransmit() before join(): the others are told PAUSED and get no video until startTransmit()', async () => {
    const alicePage = await open('/index.html');
    const aliceToken = await sessionTokenFor(server.url, app.token('web', 'production'), 'dev-paused');
    await alicePage.evaluate(async (token) => {
      const w = window as any;
      await w.ooVooClient.connect({ userId: 'dev-paused', userToken: token });
      const c = w.ooVooClient.AVChat.init({ audio: true, video: true });
      w.__c = c;
      c.VideoController.stopTransmit();
      await c.join('dev-paused-conf', 'dev-paused', '');
    }, aliceToken);
    const bobToken = await sessionTokenFor(server.url, app.token('web', 'production'), 'dev-watcher');
    const { participant: bob } = await Participant.join(await open('/index.html'), server.url, {
      token: bobToken,
      uid: 'dev-watcher',
      conf: 'dev-paused-conf',
    });

    // Audio flows (the link is up), the state says PAUSED, and no video frame arrives.
    await waitFor(
      () => bob.stats('dev-paused'),
      (s) => s.audioBytes > 20_000,
      { what: 'audio from alice', timeoutMs: 20_000, intervalMs: 200 },
    );
    await waitFor(
      () => bob.page.evaluate(() => (window as any).__conf.c.remoteParticipant('dev-paused')?.video),
      (v) => v === 'PAUSED',
      { what: 'PAUSED at bob', timeoutMs: 10_000, intervalMs: 200 },
    );
    const paused = await bob.stats('dev-paused');
    assert.equal(paused.framesDecoded, 0, 'no frame decoded while paused');
    assert.ok(paused.videoBytes < 2_000, `no video bytes while paused (${paused.videoBytes})`);
    assert.equal(await alicePage.evaluate(() => (window as any).__c.VideoController.isTransmitted()), false);

    await alicePage.evaluate(() => (window as any).__c.VideoController.startTransmit());
    await waitForEvent(bob, (e) => e[0] === 'video' && e[1] === 'dev-paused' && e[2] === 'PLAY', 10_000, 'PLAY');
    await waitFor(
      () => bob.stats('dev-paused'),
      (s) => s.framesDecoded > 5,
      { what: 'frames after startTransmit', timeoutMs: 20_000, intervalMs: 200 },
    );
    // The topology's statsFor reads the same from getStats, with a bitrate between two readings.
    const read = await waitFor(
      () => bob.page.evaluate(() => (window as any).__conf.c.statsFor('dev-paused')),
      (r: any) => r.bitrate > 0,
      { what: 'a bitrate from statsFor', timeoutMs: 10_000, intervalMs: 200 },
    );
    assert.ok(read.framesDecoded > 5 && read.packetsLost >= 0, JSON.stringify(read));
    assert.equal(typeof read.rtt, 'number');
    assert.equal(
      await bob.page.evaluate(async () => (await (window as any).__conf.c.statsFor('nobody')) ?? null),
      null,
    );
    await alicePage.context().close();
    await bob.page.context().close();
  });

  it('the URL.createObjectURL(stream) shim plays through src, setAttribute and <source>, only from the spec path', async () => {
    const spec = await open('/spec.html');
    const result = await spec.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const ctx = canvas.getContext('2d')!;
      const timer = setInterval(() => ctx.fillRect(0, 0, 64, 48), 50);
      const stream = canvas.captureStream(10);
      const url = URL.createObjectURL(stream as unknown as Blob);
      const make = () => {
        const v = document.createElement('video');
        v.muted = true;
        v.autoplay = true;
        document.body.append(v);
        return v;
      };
      const byProperty = make();
      byProperty.src = url;
      const byAttribute = make();
      byAttribute.setAttribute('src', url);
      const bySourceAfter = make();
      const source = document.createElement('source');
      bySourceAfter.append(source);
      source.src = url;
      const bySourceBefore = document.createElement('video');
      const early = document.createElement('source');
      early.setAttribute('src', url);
      bySourceBefore.append(early);
      document.body.append(bySourceBefore);
      await new Promise((r) => setTimeout(r, 0));
      const played = [byProperty, byAttribute, bySourceAfter, bySourceBefore].map((v) => v.srcObject === stream);
      // An ordinary URL afterwards takes over again.
      byAttribute.setAttribute('src', 'about:blank');
      const deadline = Date.now() + 10_000;
      while (byProperty.videoWidth === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      clearInterval(timer);
      return {
        played,
        replaced: byAttribute.srcObject === null,
        width: byProperty.videoWidth,
        blob: url.startsWith('blob:'),
      };
    });
    assert.deepEqual(result, { played: [true, true, true, true], replaced: true, width: 64, blob: true });

    const plain = await open('/index.html');
    const untouched = await plain.evaluate(() => {
      let threw = false;
      try {
        URL.createObjectURL(new MediaStream() as unknown as Blob);
      } catch {
        threw = true;
      }
      const native = (f: unknown) => String(f).includes('[native code]');
      return {
        threw,
        createObjectURL: native(URL.createObjectURL),
        setAttribute: native(Element.prototype.setAttribute),
        src: native(Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'src')!.set),
        sdk: typeof (window as any).ooVooClient,
      };
    });
    assert.deepEqual(untouched, { threw: true, createObjectURL: true, setAttribute: true, src: true, sdk: 'object' });
    await spec.context().close();
    await plain.context().close();
  });

  it('a method called without a callback leaves no unhandled Promise rejection', async () => {
    const p = await open('/index.html');
    const reports = await p.evaluate(async () => {
      const w = window as any;
      const seen: string[] = [];
      window.addEventListener('unhandledrejection', (e) => seen.push(String(e.reason?.code ?? e.reason)));
      const c = w.ooVooClient.AVChat.init({ audio: false, video: false });
      const calls: Array<(cb?: (r: unknown) => void) => unknown> = [
        (cb) => c.join('conf', 'nobody', cb),
        (cb) => c.join('conf', 'nobody', 'data', cb),
        (cb) => c.sendData('nobody', '', 'x', cb),
        (cb) => w.ooVooClient.Messaging.send({ to: 'bob', body: 'x' }, cb),
        (cb) => w.ooVooClient.Messaging.sendAcknowledgement({ to: 'bob', msg_id: 'm', state: 'Read' }, cb),
        (cb) => w.ooVooClient.Push.send({ to: 'bob', body: 'x' }, cb),
        (cb) => w.ooVooClient.connect({ userId: '', userToken: '' }, cb),
      ];
      // Spec-style calls: no callback, the returned Promise ignored.
      for (const call of calls) call();
      // The same calls with a callback, to know the first ones have failed too.
      const results = [];
      for (const call of calls) results.push(await new Promise((resolve) => call(resolve)));
      // A rejection nobody handles, as a marker: reports come in order, so every earlier one came before it.
      void Promise.reject(new Error('marker'));
      const deadline = Date.now() + 5_000;
      while (!seen.some((s) => s.includes('marker')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      return { seen, failed: results.map((r: any) => typeof r?.error?.code === 'number') };
    });
    assert.deepEqual(reports, { seen: ['Error: marker'], failed: [true, true, true, true, true, true, true] });
    await p.context().close();
  });
});
