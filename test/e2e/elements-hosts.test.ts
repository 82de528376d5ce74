// Hosts and the lobby in <oovoo-conference> (issue 14), on markup-only pages with the script build
// (run `npm run build` first): a host's page and participants' pages, each signed in by
// <oovoo-login session-token> (the host's token from the server-to-server login with role host).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, s2sLogin, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'elements-pages');
/** The page's markup, with placeholders the test fills per user (a page needs a real address: Chromium
 * keeps a page that no server sent from opening a WebSocket to the local server). */
const PAGE = readFileSync(join(PAGES_DIR, 'hosts.html'), 'utf8');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ROOM = 'hosted-markup';
/** The element's events the pages record (they bubble out of the shadow DOM to the document). */
const RECORDED = ['oovoo-knock', 'oovoo-lobby-wait', 'oovoo-host-action', 'oovoo-room-change', 'oovoo-error'];

type Recorded = [string, Record<string, unknown>];

/** waitFor with room for a busy 2-core machine (several pages with video at once). */
const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) =>
  waitFor(read, ok, { what, timeoutMs: 30_000 });

describe('<oovoo-conference> with a host and a lobby, markup-only pages', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  const errors: string[] = [];
  let host: Page;
  const pagesDir = mkdtempSync(join(tmpdir(), 'oovoo-hosts-pages-'));

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: pagesDir });
    // Client-side login for sandbox tokens only: the production token (and so a host's login) stays server-side.
    app = await server.createApp(['localhost', '127.0.0.1'], { clientLogin: 'sandbox' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(pagesDir, { recursive: true, force: true });
  });

  /** Opens the page for a user: its session token (a host's when asked) filled into the markup. */
  async function open(uid: string, name: string, role: 'host' | 'participant' = 'participant'): Promise<Page> {
    const body = JSON.stringify({ payload: { user_id: uid, role } });
    const login = await s2sLogin(server.url, app.token('web', 'production'), body, { origin: 'localhost' });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const { page } = await newPerson(browser);
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => errors.push(`${uid}: ${e.message}`));
    await page.addInitScript((types: string[]) => {
      const w = window as unknown as { __events: Recorded[] };
      w.__events = [];
      for (const type of types)
        document.addEventListener(type, (e) => w.__events.push([type, (e as CustomEvent).detail]));
    }, RECORDED);
    const filled = PAGE.replace('%SESSION_TOKEN%', login.body.payload.token)
      .replace('%USER_ID%', uid)
      .replace('%DISPLAY_NAME%', name)
      .replace('%CONFERENCE_ID%', ROOM);
    writeFileSync(join(pagesDir, `${uid}.html`), filled);
    await page.goto(`${server.url}/${uid}.html`);
    return page;
  }

  const conference = (page: Page) => page.locator('oovoo-conference');
  const attribute = (page: Page, name: string) => conference(page).getAttribute(name);
  const untilState = (page: Page, state: string) =>
    until(
      () => attribute(page, 'state'),
      (s) => s === state,
      `state ${state}`,
    );
  const text = (page: Page, part: string) =>
    page
      .locator(`oovoo-conference [part~="${part}"]`)
      .first()
      .evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '');
  const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: Recorded[] }).__events);
  const panelNames = (page: Page) =>
    page.locator('oovoo-conference [part="participant-name"]').evaluateAll((els) => els.map((e) => e.textContent));
  /** axe-core over the conference and its shadow DOM: the violations' rule ids and targets. */
  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element): Promise<any> } }).axe;
      const result = await axe.run(document.querySelector('oovoo-conference')!);
      return result.violations.map(
        (v: any) => `${v.id}: ${v.nodes.map((n: any) => JSON.stringify(n.target)).join(' ')}`,
      );
    });
  }

  it('a host mutes, stops and removes from the panel; the participant is told in words; a participant has no host actions', async () => {
    host = await open('h-host', 'Hana Host', 'host');
    await untilState(host, 'joined');
    const [bob, carol] = await Promise.all([open('h-bob', 'Bob Brown'), open('h-carol', 'Carol Cruz')]);
    await Promise.all([untilState(bob, 'joined'), untilState(carol, 'joined')]);

    // The host's panel: the lock and lobby switches, and each other participant's actions.
    await until(
      () => attribute(host, 'call-role'),
      (r) => r === 'host',
      "the host's call-role",
    );
    await host.getByRole('button', { name: 'Mute Bob Brown' }).waitFor();
    await host.getByRole('button', { name: 'Remove Carol Cruz' }).waitFor();
    await host.getByRole('button', { name: 'Lock the call' }).waitFor();
    assert.equal(await host.locator('oovoo-conference [part~="host-action"]').count(), 6);
    await until(
      () => text(host, 'host-badge'),
      (t) => t === 'Host',
      "the host's badge",
    );
    assert.deepEqual(await axeViolations(host), []);
    assert.ok((await events(host)).some(([t, d]) => t === 'oovoo-room-change' && d['role'] === 'host'));

    // A participant's panel lists everyone and offers no host action.
    await until(
      () => panelNames(carol),
      (names) => names.length === 3,
      "carol's panel",
    );
    assert.equal(await carol.locator('oovoo-conference [part~="host-action"]').count(), 0);
    assert.equal(await carol.locator('oovoo-conference [part~="host-controls"]').count(), 0);
    // No lock or lobby here: the host's presence alone marks the call and its host for participants.
    await until(
      () => attribute(carol, 'call-role'),
      (r) => r === 'participant',
      "carol's call-role",
    );
    await until(
      () =>
        carol
          .locator('oovoo-conference [part="participant"]')
          .filter({ has: carol.locator('[part~="host-badge"]') })
          .locator('[part="participant-name"]')
          .allTextContents(),
      (names) => names.length === 1 && names[0] === 'Hana Host',
      "the host's badge on carol's panel",
    );

    // Muted by the host: bob is told, his microphone button shows muted, and only he unmutes.
    await host.getByRole('button', { name: 'Mute Bob Brown' }).click();
    await until(
      () => text(bob, 'notice'),
      (t) => t.includes('A host muted you; unmute when you are ready'),
      "bob's notice",
    );
    assert.equal(await attribute(bob, 'muted'), '');
    assert.equal(await bob.locator('oovoo-conference [part~="mic-button"]').getAttribute('aria-pressed'), 'true');
    await until(
      () => host.getByRole('button', { name: 'Mute Bob Brown' }).isDisabled(),
      (d) => d,
      "the host's mute button disabled once bob is muted",
    );
    await bob.getByRole('button', { name: 'Unmute', exact: true }).click();
    await until(
      () => bob.locator('oovoo-conference [part="notice"]').count(),
      (n) => n === 0,
      'the notice gone once bob unmuted',
    );

    // Video stopped by the host.
    await host.getByRole('button', { name: 'Stop the video of Bob Brown' }).click();
    await until(
      () => text(bob, 'notice'),
      (t) => t.includes('A host stopped your video; start it when you are ready'),
      "bob's video notice",
    );
    assert.equal(await attribute(bob, 'camera-off'), '');

    // Removed after the host confirms: bob's call ends with the reason in words, never a code.
    await host.getByRole('button', { name: 'Remove Bob Brown' }).click();
    await until(
      () => text(host, 'remove-confirm'),
      (t) => t.includes('Remove Bob Brown from the call?'),
      'the confirmation',
    );
    assert.deepEqual(await axeViolations(host), []);
    await host.getByRole('button', { name: 'Remove', exact: true }).click();
    await untilState(bob, 'error');
    await until(
      () => text(bob, 'error'),
      (t) => t === 'A host removed you from the call.',
      "bob's ending",
    );
    await until(
      () => panelNames(host),
      (names) => !names.some((n) => n?.includes('Bob')),
      'bob gone from the host’s panel',
    );
    const told = (await events(bob)).filter(([t]) => t === 'oovoo-host-action').map(([, d]) => d['action']);
    assert.deepEqual(told, ['mute', 'stop-video', 'remove']);
    await Promise.all([bob.context().close(), carol.context().close()]);
  });

  it('with the lobby on, a joiner waits until admitted; another is denied, then refused by the lock; without a host, it says so', async () => {
    await host.getByRole('button', { name: 'Lobby: let people in one by one' }).click();
    await until(
      () => attribute(host, 'lobby'),
      (v) => v === '',
      "the host's lobby attribute",
    );

    // Dave waits: the waiting screen (a host is there), axe-clean; the host sees the knock and admits him.
    const dave = await open('h-dave', 'Dave Doe');
    await untilState(dave, 'waiting');
    assert.equal(await text(dave, 'lobby-message'), 'Waiting for the host to let you in');
    assert.equal(await dave.locator('oovoo-conference [part="lobby-no-host"]').count(), 0);
    await dave.getByRole('button', { name: 'Leave' }).waitFor();
    assert.deepEqual(await axeViolations(dave), []);
    await until(
      () => text(host, 'knocks-title'),
      (t) => t === 'Dave Doe wants to join',
      "the host's knock",
    );
    assert.ok((await events(host)).some(([t, d]) => t === 'oovoo-knock' && d['displayName'] === 'Dave Doe'));
    assert.deepEqual(await axeViolations(host), []);
    await host.getByRole('button', { name: 'Admit' }).click();
    await untilState(dave, 'joined');
    await until(
      () => panelNames(host),
      (names) => names.includes('Dave Doe'),
      'dave in the host’s panel',
    );
    assert.equal(await host.locator('oovoo-conference [part="knocks"]').count(), 0);

    // Erin waits and is denied: her page says so in words.
    const erin = await open('h-erin', 'Erin Eve');
    await untilState(erin, 'waiting');
    await until(
      () => text(host, 'knocks-title'),
      (t) => t === 'Erin Eve wants to join',
      "erin's knock",
    );
    await host.getByRole('button', { name: 'Deny' }).click();
    await untilState(erin, 'error');
    await until(
      () => text(erin, 'error'),
      (t) => t === 'A host did not let you in.',
      "erin's ending",
    );
    assert.ok((await events(erin)).some(([t, d]) => t === 'oovoo-error' && d['code'] === -60311));

    // Locked: her next try is refused at once, in words.
    await host.getByRole('button', { name: 'Lock the call' }).click();
    await until(
      () => attribute(host, 'locked'),
      (v) => v === '',
      "the host's locked attribute",
    );
    await erin.getByRole('button', { name: 'Join' }).click();
    await until(
      () => text(erin, 'error'),
      (t) => t === 'This call is locked: a host has to unlock it before you can join.',
      "erin's locked ending",
    );

    // The host unlocks and leaves (the lobby stays on): erin waits again, told that no host is here; she leaves.
    await host.getByRole('button', { name: 'Lock the call' }).click();
    await until(
      () => attribute(host, 'locked'),
      (v) => v === null,
      'unlocked',
    );
    await host.getByRole('button', { name: 'Leave' }).click();
    await untilState(host, 'left');
    await erin.getByRole('button', { name: 'Join' }).click();
    await untilState(erin, 'waiting');
    await until(
      () => text(erin, 'lobby-no-host'),
      (t) => t === 'No host is here yet',
      "erin's no-host line",
    );
    await erin.getByRole('button', { name: 'Leave' }).click();
    await untilState(erin, 'left');
    // Never a raw code on the page.
    assert.doesNotMatch(await conference(erin).evaluate((el) => el.shadowRoot!.textContent ?? ''), /-?603\d\d/);
    assert.deepEqual(errors, []);
  });
});
