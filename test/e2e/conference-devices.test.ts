import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { launchChromiumWithout, PAGES_DIR, Participant, waitForEvent } from './conference-fixture.js';

describe('conference: camera and microphone access', () => {
  let server: TestServer;
  let app: TestApp;
  const browsers: Browser[] = [];

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    app = await server.createApp(['localhost', '127.0.0.1']);
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  async function joinIn(browser: Browser, uid: string, permissions: string[]) {
    const context = await browser.newContext({ permissions });
    const page = await context.newPage();
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    return Participant.join(page, server.url, { token, uid, conf: `devices-${uid}` });
  }

  it('ACCESS_DENIED when the person refuses camera and microphone; the join still succeeds, receive-only', async () => {
    // Without the auto-accepting permission UI and without a grant, Chromium refuses the request.
    const browser = await launchChromiumWithout(['--use-fake-ui-for-media-stream']);
    browsers.push(browser);
    const { participant, result } = await joinIn(browser, 'denied', []);
    assert.deepEqual(result, { conf: 'devices-denied' });
    const events = await waitForEvent(participant, (e) => e[0] === 'state' && e[1] === 'JOINED', 10_000, 'JOINED');
    const states = events.filter((e) => e[0] === 'state').map((e) => e[1]);
    assert.ok(states.includes('ACCESS_DENIED'), `states: ${states.join(', ')}`);
    assert.ok(!states.includes('ACCESS_ACCEPTED'));
  });

  it('DEVICE_NOT_FOUND when the machine has no camera or microphone', async () => {
    const browser = await launchChromiumWithout(['--use-fake-device-for-media-stream']);
    browsers.push(browser);
    const { participant, result } = await joinIn(browser, 'nodevice', ['camera', 'microphone']);
    assert.deepEqual(result, { conf: 'devices-nodevice' });
    const events = await waitForEvent(participant, (e) => e[0] === 'state' && e[1] === 'JOINED', 10_000, 'JOINED');
    const states = events.filter((e) => e[0] === 'state').map((e) => e[1]);
    assert.ok(states.includes('DEVICE_NOT_FOUND'), `states: ${states.join(', ')}`);
    assert.ok(!states.includes('ACCESS_ACCEPTED'));
  });
});
