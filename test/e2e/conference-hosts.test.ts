// Hosts and the lobby between SDK pages in real Chromium (issue 14): a host's mute, stop and removal
// seen on the target page (and refused from a participant's), the lock, and the lobby's admit and deny.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CONFERENCE_LOCKED_CODE, LOBBY_DENIED_CODE } from '../../src/protocol/index.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import {
  relaxedLimits,
  s2sLogin,
  sessionTokenFor,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant, preparePage, waitForEvent, type RecordedEvent } from './conference-fixture.js';

/** 352x288 at a low frame rate: three pages on two cores. */
const SMALL = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [10, 15] };
const HOST_EVENTS = [
  'mutedByHost',
  'videoStoppedByHost',
  'removedByHost',
  'lobbyWaiting',
  'knock',
  'knocksChanged',
  'roomLockChanged',
  'lobbyChanged',
  'roleChanged',
];

/**
 * Opens the page, connects and starts a join without waiting for its answer (a lobby may hold it):
 * every conference event, the host ones included, is recorded as the fixture's Participant reads them,
 * and the join's callback result lands in `__conf.joinResult`.
 */
async function startJoin(page: Page, baseUrl: string, o: { token: string; uid: string; conf: string }) {
  await preparePage(page);
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/index.html`);
  await page.evaluate(
    async ({ o, params, hostEvents }) => {
      const w = window as any;
      const t: any = (w.__conf = { events: [], joinResult: undefined });
      await w.ooVooClient.connect({ userId: o.uid, userToken: o.token });
      const c = (t.c = w.ooVooClient.AVChat.init(params));
      c.onConferenceStateChanged = (e: any) => t.events.push(['state', e.type, e.errorCode ?? null]);
      c.onParticipantJoined = (e: any) => {
        t.events.push(['joined', e.uid]);
        const v = document.createElement('video');
        v.id = `v_${e.uid}`;
        v.autoplay = true;
        v.muted = e.uid === o.uid;
        v.srcObject = e.stream;
        document.body.append(v);
      };
      c.onParticipantLeft = (e: any) => t.events.push(['left', e.uid]);
      c.onRemoteVideoStateChanged = (e: any) => t.events.push(['video', e.uid, e.state]);
      for (const name of hostEvents) c.events.on(name, (e: any) => t.events.push([name, e]));
      c.join(o.conf, o.uid, `data of ${o.uid}`, (res: any) => (t.joinResult = res));
    },
    { o, params: SMALL, hostEvents: HOST_EVENTS },
  );
  return new Participant(page, o.uid);
}

const joinResult = (p: Participant) => p.page.evaluate(() => (window as any).__conf.joinResult);
const joined = (p: Participant) =>
  waitFor(
    () => joinResult(p),
    (r) => r !== undefined,
    { what: `${p.uid}'s join answer`, timeoutMs: 30_000 },
  );
const hostEvent = (p: Participant, name: string, match: (e: any) => boolean = () => true) =>
  waitForEvent(p, (e: RecordedEvent) => e[0] === name && match(e[1]), 20_000, name);
const hc = (p: Participant, getter: string) =>
  p.page.evaluate((g) => (window as any).__conf.c.HostController[g], getter);

describe('conference: hosts and the lobby between SDK pages', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    // Client-side login for sandbox only: the production web token (the hosts' logins) stays server-side.
    app = await server.createApp(['localhost', '127.0.0.1'], { clientLogin: 'sandbox' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function person(uid: string, conf: string, role: 'host' | 'participant' = 'participant') {
    const { page } = await newPerson(browser);
    page.setDefaultTimeout(60_000);
    const at = app.token('web', 'production');
    const body = JSON.stringify({ payload: { user_id: uid, role } });
    const token =
      role === 'host'
        ? (await s2sLogin(server.url, at, body, { origin: 'localhost' })).body.payload.token
        : await sessionTokenFor(server.url, at, uid);
    return startJoin(page, server.url, { token, uid, conf });
  }

  it('a host mutes, stops and removes a participant, who is told each time; a participant’s try is refused', async () => {
    const host = await person('e-host', 'hosted', 'host');
    assert.ok(!(await joined(host)).error);
    const bob = await person('e-bob', 'hosted');
    assert.deepEqual(await joined(bob), { conf: 'hosted' });
    await host.waitForMediaFrom('e-bob', 60_000);
    assert.equal(await hc(host, 'role'), 'host');
    assert.equal(await hc(bob, 'role'), 'participant');
    assert.deepEqual(await hc(bob, 'hosts'), ['e-host']);
    await hostEvent(host, 'roleChanged', (e) => e.role === 'host');

    // A participant's page calling the host API: the server refuses it, and the host keeps its microphone.
    assert.deepEqual(await bob.call('HostController.muteParticipant', 'e-host'), { rejected: -35001 });
    assert.deepEqual(await bob.call('HostController.removeParticipant', 'e-host'), { rejected: -35001 });
    assert.deepEqual(await bob.call('HostController.lockRoom', true), { rejected: -35001 });
    assert.equal(await host.call('AudioController.isRecorderMuted'), false);
    assert.equal(await hc(bob, 'locked'), false);

    // Muted by the host: bob's microphone track is off, bob is told, the host sees it muted.
    assert.deepEqual(await host.call('HostController.muteParticipant', 'e-bob'), { delivered: true });
    await hostEvent(bob, 'mutedByHost', (e) => e.by === 'e-host');
    const micEnabled = () =>
      bob.page.evaluate(async () => (await (window as any).__conf.c.localStream).getAudioTracks()[0].enabled);
    assert.equal(await micEnabled(), false);
    assert.equal(await bob.call('AudioController.isRecorderMuted'), true);
    const hostSeesMuted = () => host.page.evaluate(() => (window as any).__conf.c.remoteParticipant('e-bob').muted);
    await waitFor(hostSeesMuted, (m) => m === true, { what: 'the host sees bob muted', timeoutMs: 10_000 });
    // Only bob unmutes: the host has no way to, and bob's own unmute works.
    await bob.call('AudioController.setRecorderMute', false);
    assert.equal(await micEnabled(), true);
    await waitFor(hostSeesMuted, (m) => m === false, { what: 'the host sees bob unmuted', timeoutMs: 10_000 });

    // Video stopped by the host: bob stops transmitting and is told; the host sees the video paused.
    assert.deepEqual(await host.call('HostController.stopParticipantVideo', 'e-bob'), { delivered: true });
    await hostEvent(bob, 'videoStoppedByHost', (e) => e.by === 'e-host');
    assert.equal(await bob.call('VideoController.isTransmitted'), false);
    await waitForEvent(host, (e) => e[0] === 'video' && e[1] === 'e-bob' && e[2] === 'PAUSED', 10_000, 'bob paused');

    // Removed: bob gets the reason and DISCONNECTED ('removed'); the host sees him leave; he cannot come back.
    assert.deepEqual(await host.call('HostController.removeParticipant', 'e-bob', 'Testing removal'), {});
    await hostEvent(bob, 'removedByHost', (e) => e.by === 'e-host' && e.reason === 'Testing removal');
    await waitForEvent(
      bob,
      (e) => e[0] === 'state' && e[1] === 'DISCONNECTED' && e[2] === 'removed',
      10_000,
      'removed',
    );
    await waitForEvent(host, (e) => e[0] === 'left' && e[1] === 'e-bob', 10_000, 'bob left');
    const again = await bob.page.evaluate(
      () =>
        new Promise<any>((resolve) => {
          const c = (window as any).__conf.c;
          c.join('hosted', 'e-bob', '', (res: any) => resolve(res));
        }),
    );
    assert.equal(again.error.code, LOBBY_DENIED_CODE);
    await host.call('leave');
  });

  it('the lobby: a host sees the knock and admits one page, denies another; the lock refuses a third', async () => {
    const host = await person('l-host', 'lobby', 'host');
    assert.ok(!(await joined(host)).error);
    assert.deepEqual(await host.call('HostController.setLobby', true), {});
    assert.equal(await hc(host, 'lobbyEnabled'), true);

    const ann = await person('l-ann', 'lobby');
    await hostEvent(ann, 'lobbyWaiting', (e) => e.hostPresent === true && e.timeoutMs > 60_000);
    assert.equal(await hc(ann, 'inLobby'), true);
    await hostEvent(host, 'knock', (e) => e.uid === 'l-ann' && e.user_data === 'data of l-ann');
    assert.deepEqual(await hc(host, 'waiting'), [{ uid: 'l-ann', user_data: 'data of l-ann' }]);
    assert.equal(await joinResult(ann), undefined, 'still waiting');

    assert.deepEqual(await host.call('HostController.admit', 'l-ann'), {});
    assert.deepEqual(await joined(ann), { conf: 'lobby' });
    assert.equal(await hc(ann, 'inLobby'), false);
    assert.equal(await hc(ann, 'lobbyEnabled'), true, 'the admitted page sees the lobby on');
    await hostEvent(host, 'knocksChanged', (e) => e.waiting.length === 0);
    await host.waitForMediaFrom('l-ann', 60_000);

    const dan = await person('l-dan', 'lobby');
    await hostEvent(host, 'knock', (e) => e.uid === 'l-dan');
    assert.deepEqual(await host.call('HostController.deny', 'l-dan', 'Invite only'), {});
    const denied = await joined(dan);
    assert.equal(denied.error.code, LOBBY_DENIED_CODE);
    assert.match(denied.error.description, /Invite only/);
    await waitForEvent(
      host,
      (e) => e[0] === 'knocksChanged' && (e[1] as any).waiting.length === 0,
      10_000,
      'no knock left',
    );

    // Locked: everyone in the room is told; a join is refused at once, saying why.
    assert.deepEqual(await host.call('HostController.lockRoom', true), {});
    await hostEvent(ann, 'roomLockChanged', (e) => e.locked === true && e.by === 'l-host');
    const refused = await dan.page.evaluate(
      () =>
        new Promise<any>((resolve) => {
          const c = (window as any).__conf.c;
          c.join('lobby', 'l-dan', '', (res: any) => resolve(res));
        }),
    );
    assert.equal(refused.error.code, CONFERENCE_LOCKED_CODE);
    assert.match(refused.error.description, /locked/);
    const events = await ann.events();
    assert.ok(!events.some((e) => e[0] === 'joined' && e[1] === 'l-dan'), 'dan never reached the room');
  });
});
