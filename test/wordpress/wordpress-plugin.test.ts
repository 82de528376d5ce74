import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { pluginLogLines, startPluginSite, type PluginSite } from '../helpers/wordpress.js';

/**
 * The WordPress plugin in a real WordPress (Debian's, on its own MariaDB, served by PHP's built-in server),
 * installed from its zip, beside our server on port 0, with pages in real Chromium.
 */
describe('the oovoo plugin in a real WordPress', () => {
  let server: TestServer;
  let app: TestApp;
  let site: PluginSite;
  let browser: Browser;
  const users: Record<string, number> = {};
  let callPage = '';
  let blockPage = '';

  before(async () => {
    server = await startTestServer({ ...relaxedLimits });
    // Client-side login off: the web token works only server-to-server, and may make hosts.
    app = await server.createApp(['127.0.0.1'], { clientLogin: 'none' });
    site = await startPluginSite();
    process.stdout.write(`# MariaDB, WordPress and the plugin ready in ${site.setupMs} ms\n`);
    users.alice = await site.wp.addUser('alice', 'editor', 'Alice Editor');
    users.bob = await site.wp.addUser('bob', 'author', 'Bob Author');
    callPage = await site.wp.addPage(
      'Team call',
      '[oovoo_conference id="team" layout="speaker"]\n\n[oovoo_chat to="alice,bob"]',
    );
    blockPage = await site.wp.addPage(
      'Blocks',
      '<!-- wp:oovoo/conference {"id":"team-blocks","layout":"spotlight"} /-->\n<!-- wp:oovoo/chat {"to":"bob"} /-->',
    );
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.stop();
    await server?.stop();
  });

  const webTokens = () => app.tokens.map((t) => t.token);
  const settings = async () => JSON.parse(await site.wp.php("echo wp_json_encode(get_option('oovoo_settings'));"));

  /** Logs a WordPress user in through wp-login.php, landing on `then`. */
  async function logIn(login: string, then: string): Promise<Page> {
    const { page } = await newPerson(browser);
    await page.goto(`${site.wp.url}/wp-login.php?redirect_to=${encodeURIComponent(then)}`);
    await page.locator('#user_login').fill(login);
    await page.locator('#user_pass').fill(site.wp.admin.password);
    await Promise.all([page.waitForURL(then, { timeout: 30_000 }), page.locator('#wp-submit').click()]);
    return page;
  }

  /** The page's HTML as WordPress sent it, for the page's user (cookies of its context). */
  async function sentHtml(page: Page, url: string): Promise<string> {
    const response = await page.request.get(url);
    assert.equal(response.status(), 200, url);
    return response.text();
  }

  const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

  it('the administrator sets it up on Settings → oovoo; the token is never shown back; Test connection says it works', async () => {
    const settingsUrl = `${site.wp.url}/wp-admin/options-general.php?page=oovoo`;
    const page = await logIn(site.wp.admin.login, settingsUrl);
    const notice = page.locator('.oovoo-notice');

    await page.getByRole('button', { name: 'Test connection' }).click();
    await notice.filter({ hasText: 'not set up yet' }).waitFor();

    const token = app.token('web', 'production');
    await page.locator('#oovoo-server_url').fill(`${server.url}/`);
    await page.locator('#oovoo-app_id').fill(app.appId);
    await page.locator('#oovoo-web_token').fill(token);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await notice.filter({ hasText: 'Settings saved.' }).waitFor();
    const saved = await settings();
    assert.equal(saved.server_url, server.url, 'kept as an origin');
    assert.equal(saved.web_token, token);
    assert.equal(saved.app_id, app.appId);

    const html = await sentHtml(page, settingsUrl);
    assert.ok(!html.includes(token), 'the settings page does not print the web token');
    assert.ok(html.includes(`ending in …${token.slice(-4)}`));
    assert.equal(await page.locator('#oovoo-web_token').inputValue(), '');

    await page.getByRole('button', { name: 'Test connection' }).click();
    const said = await notice.filter({ hasText: 'Connected to' }).textContent();
    assert.match(said ?? '', new RegExp(`Connected to ${server.url}: it signed you in as user "1" with the host role`));
    await page.context().close();
  });

  it('the settings form refuses a POST without its nonce, with a wrong one, and from a user who may not manage options', async () => {
    const before = await settings();
    // The whole form as the page posts it (an unchecked box is absent), with the saved values.
    const form: Record<string, string> = {
      action: 'oovoo_save_settings',
      ...(before.autojoin ? { 'oovoo[autojoin]': '1' } : {}),
    };
    for (const key of ['server_url', 'app_id', 'id_mode', 'hosts', 'layout', 'resolution', 'theme'])
      form[`oovoo[${key}]`] = before[key];
    const attack = { ...form, 'oovoo[server_url]': 'http://attacker.example' };
    const post = (page: Page, fields: Record<string, string>) =>
      page.request.post(`${site.wp.url}/wp-admin/admin-post.php`, { form: fields, maxRedirects: 0 });
    const admin = await logIn(site.wp.admin.login, `${site.wp.url}/wp-admin/options-general.php?page=oovoo`);
    assert.equal((await post(admin, attack)).status(), 403, 'no nonce');
    assert.equal((await post(admin, { ...attack, oovoo_nonce: 'a1b2c3d4e5' })).status(), 403, 'a wrong nonce');
    const nonce = await admin.locator('#oovoo-settings input[name="oovoo_nonce"]').inputValue();
    const bob = await logIn('bob', `${site.wp.url}/`);
    assert.equal((await post(bob, { ...attack, oovoo_nonce: nonce })).status(), 403, 'an author');
    assert.deepEqual(await settings(), before);
    // The same form with the page's own nonce goes through: the refusals above were the nonce's and the capability's.
    const accepted = await post(admin, { ...form, oovoo_nonce: nonce });
    assert.equal(accepted.status(), 302);
    assert.match(accepted.headers().location ?? '', /options-general\.php\?page=oovoo$/);
    assert.deepEqual(await settings(), before);
    await admin.context().close();
    await bob.context().close();
  });

  it("two WordPress users log in, open the page, see each other's video and message each other; no web token in the page", async () => {
    const [alice, bob] = await Promise.all([logIn('alice', callPage), logIn('bob', callPage)]);
    const uid = { alice: String(users.alice), bob: String(users.bob) };

    const html = await sentHtml(alice, callPage);
    for (const token of webTokens()) assert.ok(!html.includes(token), 'no web token in the page');
    const scripts = html.match(/<script[^>]*oovoo\.min\.js[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1, 'one script tag');
    assert.match(scripts[0]!, new RegExp(`data-server="${server.url}"`));
    assert.match(scripts[0]!, new RegExp(`src=['"]${server.url}/oovoo.min.js['"]`));

    const tokenOf = (page: Page) => page.locator('oovoo-login').first().getAttribute('session-token');
    const aliceClaims = claims((await tokenOf(alice))!);
    assert.equal(aliceClaims.sub, uid.alice);
    assert.equal(aliceClaims.role, 'host', 'an editor hosts');
    assert.equal(claims((await tokenOf(bob))!).role, undefined, 'an author takes part');
    assert.equal(await bob.locator('oovoo-chat').getAttribute('to'), uid.alice, 'the reader is left out of `to`');

    const joined = (page: Page) =>
      page.waitForFunction(() => document.querySelector('oovoo-conference')?.getAttribute('state') === 'joined', null, {
        timeout: 30_000,
      });
    await Promise.all([joined(alice), joined(bob)]);
    const remoteVideo = (page: Page, other: string) =>
      page.evaluate((u) => {
        const tile = document
          .querySelector('oovoo-conference')!
          .shadowRoot!.querySelector(`oovoo-video-tile[participant="${u}"]`);
        const video = tile?.shadowRoot?.querySelector('video');
        return {
          width: video?.videoWidth ?? 0,
          playing: !!video && !video.paused,
          name: tile?.shadowRoot?.querySelector('[part="name"]')?.textContent ?? '',
        };
      }, other);
    for (const [page, other, name] of [
      [alice, uid.bob, 'Bob Author'],
      [bob, uid.alice, 'Alice Editor'],
    ] as const) {
      const seen = await waitFor(
        () => remoteVideo(page, other),
        (s) => s.width > 0 && s.playing,
        { what: `${name}'s video playing`, timeoutMs: 30_000, intervalMs: 200 },
      );
      assert.equal(seen.name, name);
    }

    const say = async (page: Page, text: string) => {
      await page.locator('oovoo-chat textarea').fill(text);
      await page.locator('oovoo-chat textarea').press('Enter');
    };
    const bodies = (page: Page) => page.locator('oovoo-chat [part~="body"]').allTextContents();
    const until = (page: Page, expected: string[]) =>
      waitFor(
        () => bodies(page),
        (seen) => JSON.stringify(seen) === JSON.stringify(expected),
        { what: `chat of ${page.url()} to be ${JSON.stringify(expected)}`, timeoutMs: 20_000, intervalMs: 100 },
      );
    await say(alice, 'Hello Bob, from WordPress');
    await until(bob, ['Hello Bob, from WordPress']);
    await say(bob, 'Hi Alice');
    await until(alice, ['Hello Bob, from WordPress', 'Hi Alice']);
    await alice.context().close();
    await bob.context().close();
  });

  it('a guest sees the log-in message; with guests allowed, a guest joins with an id the site made', async () => {
    const { page } = await newPerson(browser);
    await page.goto(callPage);
    await page.getByText('Log in to join the video call.').waitFor();
    await page.getByText('Log in to chat.').waitFor();
    assert.equal(await page.locator('oovoo-login').count(), 0);
    assert.equal(await page.locator('script[src*="oovoo.min.js"]').count(), 0, 'no script beside the log-in message');

    await site.wp.php(
      "update_option('oovoo_settings', array_merge(get_option('oovoo_settings'), array('allow_guests' => true)));",
    );
    try {
      await page.goto(callPage);
      await page.locator('oovoo-login[state="connected"]').first().waitFor({ timeout: 20_000 });
      const ids = await page.locator('oovoo-login').evaluateAll((els) => els.map((e) => e.getAttribute('user-id')));
      for (const id of ids) assert.match(id ?? '', /^guest-[a-z0-9]{12}$/);
      const html = await sentHtml(page, callPage);
      for (const token of webTokens()) assert.ok(!html.includes(token), 'no web token in the page');
    } finally {
      await site.wp.php(
        "update_option('oovoo_settings', array_merge(get_option('oovoo_settings'), array('allow_guests' => false)));",
      );
      await page.context().close();
    }
  });

  it('the blocks render the same elements as the shortcodes', async () => {
    const alice = await logIn('alice', blockPage);
    const conference = alice.locator('oovoo-login > oovoo-conference');
    assert.equal(await conference.getAttribute('conference-id'), 'team-blocks');
    assert.equal(await conference.getAttribute('layout'), 'spotlight');
    assert.equal(await alice.locator('oovoo-login > oovoo-chat').getAttribute('to'), String(users.bob));
    await alice.context().close();
  });

  it("the plugin's PHP logged no warning, notice or error", () => {
    assert.deepEqual(pluginLogLines(site.wp), []);
  });
});
