import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { CapturingMailer, PortalClient, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** A developer's own page: only the SDK script; the test drives login and the call through it. */
const CALL_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>call</title>
<script src="/oovoo.min.js"></script></head><body></body></html>`;

/** The figures of one row of the usage table, by metric. */
function tableRow(page: Page, day: string): Promise<Record<string, string>> {
  return page
    .locator(`portal-usage tr[data-day="${day}"] td[data-metric]`)
    .evaluateAll((cells) =>
      Object.fromEntries(cells.map((c) => [c.getAttribute('data-metric'), c.textContent?.trim() ?? ''])),
    );
}

/** Signs in with the token on a page of the permitted origin (direct login), connects and joins the conference. */
async function joinCall(page: Page, url: string, token: string, uid: string): Promise<void> {
  await page.goto(url);
  const result = await page.evaluate(
    async ({ token, uid }) => {
      const w = window as any;
      const login = await fetch('/1.0/sso/app/login/direct', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, userId: uid, isSandbox: true }),
      });
      const body = await login.json();
      if (!login.ok) return { error: body.error };
      await w.ooVooClient.connect({ userId: uid, userToken: body.payload.token });
      const conference = w.ooVooClient.AVChat.init({ audio: true, video: true });
      w.conference = conference;
      return new Promise((resolve) => conference.join('portal-e2e-room', uid, (res: any) => resolve(res)));
    },
    { token, uid },
  );
  assert.deepEqual((result as any).error, undefined, `${uid} joined`);
}

describe('developer portal in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let pagesDir: string;
  const mailer = new CapturingMailer();

  before(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'oovoo-portal-pages-'));
    writeFileSync(join(pagesDir, 'call.html'), CALL_PAGE);
    server = await startTestServer({ ...relaxedLimits, demoDir: pagesDir, portal: { mailer } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(pagesDir, { recursive: true, force: true });
  });

  it('signs up, verifies, makes an app, a domain and a token, signs users into a call with it, and shows the call in the usage charts, table and CSV', async () => {
    const portalUrl = `http://127.0.0.1:${server.port}/portal`;
    const { context, page } = await newPerson(browser);
    await page.goto(portalUrl);

    // Sign up.
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill('dev@example.com');
    await page.getByLabel(/^Password/).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Verify your email' }).waitFor();

    // Verify with the link from the mail.
    const link = mailer.linkFor('dev@example.com');
    await page.goto(link);
    await page.getByText('Your email address is verified.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/portal');

    // Create an app: its four tokens are shown once.
    await page.getByLabel('Name', { exact: true }).fill('Portal e2e app');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByRole('heading', { name: 'Portal e2e app' }).waitFor();
    assert.equal(await page.locator('portal-token-reveal code[data-token-id]').count(), 4);
    await page.getByRole('button', { name: 'I have copied them' }).click();
    assert.equal(await page.locator('portal-token-reveal code[data-token-id]').count(), 0);
    const appId = (await page.locator('code[data-app-id]').textContent())!.trim();

    // Add a domain.
    await page.getByLabel('Domain (host or host:port)').fill('localhost');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.locator('li[data-domain="localhost"]').waitFor();
    assert.deepEqual((await server.apps.get(appId)).domains, ['localhost']);

    // Create a sandbox web token: shown once, copyable, then listed by id only.
    await page.getByLabel('Type').selectOption('web');
    await page.getByLabel('Environment').selectOption('sandbox');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.locator('portal-token-reveal code[data-token-id]');
    await shown.waitFor();
    const token = (await shown.textContent())!.trim();
    const tokenId = (await shown.getAttribute('data-token-id'))!;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: `http://127.0.0.1:${server.port}`,
    });
    await page.getByRole('button', { name: 'Copy the web sandbox token' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    const row = page.locator(`tr[data-token-id="${tokenId}"]`);
    assert.match((await row.textContent())!, /web\s*sandbox.*live/s);
    assert.equal(await page.locator('portal-app-detail tbody tr[data-token-id]').count(), 5);

    // Use the token from a page on the permitted origin: two people sign in and join a call.
    const callUrl = `http://localhost:${server.port}/call.html`;
    const alice = await newPerson(browser);
    const bob = await newPerson(browser);
    try {
      await joinCall(alice.page, callUrl, token, 'alice');
      await joinCall(bob.page, callUrl, token, 'bob');
      for (const p of [alice.page, bob.page]) {
        await waitFor(
          () => p.evaluate(() => (window as any).conference.participants.length),
          (n) => n === 1,
          { what: 'each sees the other', timeoutMs: 30_000, intervalMs: 250 },
        );
      }
      // Stay a little, so the call has participant-minutes worth showing.
      await new Promise((r) => setTimeout(r, 1500));
      await alice.page.evaluate(() => (window as any).conference.leave());
      await bob.page.evaluate(() => (window as any).conference.leave());
    } finally {
      await alice.context.close();
      await bob.context.close();
    }

    // Both leaves reached the server and their minutes are written (usage is flushed in batches: a
    // flush between the two leaves would show one person's minutes, then both).
    await waitFor(
      () => server.conference.room(appId, 'portal-e2e-room'),
      (room) => room === undefined,
      { what: 'both to have left the call', timeoutMs: 30_000, intervalMs: 100 },
    );
    await server.conference.usage.flush();
    // The server recorded the call; the portal shows exactly that.
    const today = new Date().toISOString().slice(0, 10);
    const recorded = await waitFor(
      async () => (await server.store.conferenceUsage.list(appId)).find((d) => d.day === today),
      (d) => d !== undefined && d.conferences === 1 && d.peakParticipants === 2 && d.participantMinutes > 0,
      { what: 'the call in the conference usage', timeoutMs: 30_000, intervalMs: 250 },
    );
    const minutes = String(Math.round(recorded!.participantMinutes * 100) / 100);
    const cells = await waitFor(
      async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return tableRow(page, today);
      },
      (r) => r.conferences === '1' && r.participantMinutes === minutes,
      { what: 'the usage table to show the call', timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.deepEqual(cells, {
      participantMinutes: minutes,
      conferences: '1',
      peakParticipants: '2',
      messagesSent: '0',
      messagesDelivered: '0',
      pushesSent: '0',
    });
    const totals = await tableRow(page, 'total');
    assert.equal(totals.conferences, '1');
    assert.equal(await page.locator('portal-usage tbody tr').count(), 7, 'seven days by default');

    // Charts: today's bar carries the same figures, the other days are zero.
    for (const [metric, value] of [
      ['conferences', 1],
      ['peakParticipants', 2],
      ['participantMinutes', Number(minutes)],
    ] as const) {
      const bars = await page
        .locator(`portal-bar-chart[data-metric="${metric}"] rect[data-day]`)
        .evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-day'), Number(r.getAttribute('data-value'))]));
      assert.equal(bars.length, 7);
      assert.deepEqual(bars.at(-1), [today, value], metric);
      assert.ok(
        bars.slice(0, -1).every(([, v]) => v === 0),
        metric,
      );
      const label = await page.locator(`portal-bar-chart[data-metric="${metric}"] svg`).getAttribute('aria-label');
      assert.match(label!, new RegExp(`: ${value} in total over 7 days`));
    }

    // 30 and 90 days.
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await waitFor(
      () => page.locator('portal-usage tbody tr').count(),
      (n) => n === 30,
      { what: '30 rows', timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.equal((await tableRow(page, today)).conferences, '1');
    await page.getByRole('button', { name: 'Last 90 days' }).click();
    await waitFor(
      () => page.locator('portal-usage tbody tr').count(),
      (n) => n === 90,
      { what: '90 rows', timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.equal(await page.locator('portal-bar-chart[data-metric="conferences"] rect[data-day]').count(), 90);

    // CSV export through the link, as a download.
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), new RegExp(`^usage-${appId}-\\d{4}-\\d{2}-\\d{2}-${today}\\.csv$`));
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    assert.equal(csv.length, 91);
    assert.equal(csv.at(-1), `${today},${minutes},1,2,0,0,0`);

    // Revoked in the portal: the next login with the token is refused at once.
    await page.getByRole('button', { name: `Revoke ${tokenId}` }).click();
    await page.getByText(`Revoked ${tokenId}.`).waitFor();
    const probe = await newPerson(browser);
    try {
      await probe.page.goto(callUrl);
      const refused = await probe.page.evaluate(async (t) => {
        const res = await fetch('/1.0/sso/app/login/direct', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: t, userId: 'carol', isSandbox: true }),
        });
        return { status: res.status, code: (await res.json()).error?.code };
      }, token);
      assert.deepEqual(refused, { status: 401, code: -30000 });
    } finally {
      await probe.context.close();
    }
    await context.close();
  });

  it('resets a forgotten password from the mailed link, once, and ends the sessions of the account', async () => {
    const api: PortalClient = await verifiedDeveloper(server.url, mailer, 'forgetful@example.com');
    const { context, page } = await newPerson(browser);
    try {
      await page.goto(`http://127.0.0.1:${server.port}/portal`);
      await page.getByRole('button', { name: 'Forgot password?' }).click();
      await page.getByLabel('Email').fill('forgetful@example.com');
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('status').filter({ hasText: 'we sent it a link' }).waitFor();
      const link = await waitFor(
        async () => mailer.sent.find((m) => m.to === 'forgetful@example.com' && m.kind === 'password-reset')?.link,
        (l) => l !== undefined,
        { what: 'the reset mail', timeoutMs: 10_000, intervalMs: 250 },
      );

      await page.goto(link!);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
      await page.getByLabel(/^New password/).fill('a brand new password');
      await page.getByRole('button', { name: 'Set the password' }).click();
      await page.getByText('Your password is changed').waitFor();
      assert.equal((await api.request('GET', '/session')).status, 401, 'the old session ended');

      await page.getByLabel('Email').fill('forgetful@example.com');
      await page.getByLabel(/^Password/).fill('a brand new password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Your apps' }).waitFor();

      await page.goto(link!);
      await page.getByLabel(/^New password/).fill('yet another password');
      await page.getByRole('button', { name: 'Set the password' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'This reset link is not valid, was used already, or has expired.' })
        .waitFor();
    } finally {
      await context.close();
    }
  });

  it("shows an app's history retention and saves a change of it", async () => {
    const api = await verifiedDeveloper(server.url, mailer, 'keeper@example.com');
    const created = await api.request('POST', '/apps', { name: 'Keeper', domains: [] });
    assert.equal(created.status, 201);
    const appId: string = created.body.app.id;
    const { context, page } = await newPerson(browser);
    try {
      await page.goto(`http://127.0.0.1:${server.port}/portal`);
      await page.getByLabel('Email').fill('keeper@example.com');
      await page.getByLabel(/^Password/).fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Keeper' }).click();
      const days = page.getByLabel('Days kept (0 to 3650)');
      // The server's default, as the API shows it.
      await waitFor(
        () => days.inputValue(),
        (v) => v === '30',
        { what: 'the default shown' },
      );

      await days.fill('7');
      await page.getByRole('button', { name: 'Save history days' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      assert.equal((await server.apps.get(appId)).historyDays, 7);
      await page.reload();
      await waitFor(
        () => days.inputValue(),
        (v) => v === '7',
        { what: 'the saved value shown after a reload' },
      );

      // 0 keeps no history: a value the API takes, not "unset".
      await days.fill('0');
      await page.getByRole('button', { name: 'Save history days' }).click();
      await waitFor(
        async () => (await server.apps.get(appId)).historyDays,
        (d) => d === 0,
        { what: '0 saved' },
      );
    } finally {
      await context.close();
    }
  });

  it('shows bad input as a clear error and keeps nothing', async () => {
    const { context, page } = await newPerson(browser);
    try {
      await page.goto(`http://127.0.0.1:${server.port}/portal`);
      await page.getByLabel('Email').fill('nobody@example.com');
      await page.getByLabel(/^Password/).fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();

      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill('dev@example.com');
      await page.getByLabel(/^Password/).fill('another password');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('alert').filter({ hasText: 'An account with this email already exists.' }).waitFor();

      await page.getByLabel('Email').fill('second@example.com');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
      await page.goto(mailer.linkFor('second@example.com'));
      await page.getByLabel('Name', { exact: true }).fill('Second');
      await page.getByLabel(/Permitted domains/).fill('http://not a domain/');
      await page.getByRole('button', { name: 'Create app' }).click();
      await page.getByRole('alert').filter({ hasText: '"http://not" is not a host or host:port' }).waitFor();
      const appsOfSecond = (await server.apps.list()).filter((a) => a.name === 'Second');
      assert.deepEqual(appsOfSecond, []);
    } finally {
      await context.close();
    }
  });
});
