import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/elements/login/login.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { loadExtras } from '../../../src/elements/extras/load-extras.js';
import { ErrorCode } from '../../../src/sdk/index.js';
import { messageFromFrame, sessionTokenFor, testConfig, uniqueUser, waitFor } from '../helpers.js';

/** How many sockets the server holds for one user of the main test app. */
async function serverConnections(user: string): Promise<number> {
  return ((await (await fetch(`/__oovoo/connections?user=${encodeURIComponent(user)}`)).json()) as { count: number })
    .count;
}

/**
 * Waits until the element shows `expected` as its error (the words come with the extras; before them
 * the spec's description shows) and returns what it shows in the end.
 */
async function errorWords(el: OovooLogin, expected: string): Promise<string> {
  const text = () => el.shadowRoot!.querySelector('[part="error"]')?.textContent?.trim() ?? '';
  await waitFor(() => text() === expected, "the error's words", { timeout: 30_000 }).catch(() => undefined);
  return text();
}

describe('<oovoo-login>', () => {
  // The sign-in form and the errors' words come with the extras: load them once, with room for the
  // dev server's first compile of their modules (Lucide's index among them).
  before(async function () {
    this.timeout(120_000);
    await loadExtras();
  });

  it('signs in directly with a web token: oovoo-login then oovoo-connect, state reflected', async () => {
    const config = await testConfig();
    const user = uniqueUser('direct');
    const events: string[] = [];
    const holder = document.createElement('div');
    for (const type of ['oovoo-login', 'oovoo-connect', 'oovoo-error'] as const)
      holder.addEventListener(type, () => events.push(type));
    document.body.appendChild(holder);

    const el = await fixture<OovooLogin>(
      html`<oovoo-login
        server=${config.server}
        app-token=${config.webProduction}
        user-id=${user}
        display-name="Dana"
      ></oovoo-login>`,
      { parentNode: holder },
    );
    await waitFor(() => el.state === 'connected', 'never connected', { timeout: 10000 });

    expect(events).to.deep.equal(['oovoo-login', 'oovoo-connect']);
    expect(el.getAttribute('state')).to.equal('connected');
    expect(el.client.userId).to.equal(user);
    expect(el.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('Dana');
  });

  it("connects with a session token from the host page's server-to-server login", async () => {
    const config = await testConfig();
    const user = uniqueUser('s2s');
    const token = await sessionTokenFor(user);

    const el = await fixture<OovooLogin>(
      html`<oovoo-login server=${config.server} session-token=${token} user-id=${user}></oovoo-login>`,
    );
    const event = await oneEvent(el, 'oovoo-connect');

    expect(event.detail.userId).to.equal(user);
    expect(event.detail.appId).to.equal(config.appId);
  });

  it("fires oovoo-error with the spec's code for a bad app token", async () => {
    const config = await testConfig();

    const el = await fixture<OovooLogin>(
      html`<oovoo-login
        server=${config.server}
        app-token="ovt1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        user-id="x"
      ></oovoo-login>`,
    );
    const event = await oneEvent(el, 'oovoo-error');

    expect(event.detail.code).to.equal(ErrorCode.AuthenticationFailed);
    expect(event.detail.name).to.equal('AuthenticationFailed');
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('[part="error"]')!.getAttribute('role')).to.equal('alert');
    // In words, naming the attribute to change; the code beside them for support.
    const expected =
      'The server refused the app token. Copy app-token again from the developer portal: it may have been revoked, or belong to another app or server. (-30000)';
    expect(await errorWords(el, expected)).to.equal(expected);
  });

  it('fires oovoo-error -30005 when the sandbox attribute does not match the token', async () => {
    const config = await testConfig();

    const el = await fixture<OovooLogin>(
      html`<oovoo-login server=${config.server} app-token=${config.webProduction} user-id="x" sandbox></oovoo-login>`,
    );
    const event = await oneEvent(el, 'oovoo-error');

    expect(event.detail.code).to.equal(ErrorCode.InvalidEnvironment);
    // The SDK's description names its parameter (isSandbox); the element names its attribute.
    expect(event.detail.description).to.contain('isSandbox');
    const expected = 'This is a production token: remove the sandbox attribute from <oovoo-login>. (-30005)';
    expect(await errorWords(el, expected)).to.equal(expected);
  });

  it('a sandbox token without the sandbox attribute: the error says to add it', async () => {
    const config = await testConfig();
    const el = await fixture<OovooLogin>(
      html`<oovoo-login server=${config.server} app-token=${config.webSandbox} user-id="x"></oovoo-login>`,
    );
    const event = await oneEvent(el, 'oovoo-error');

    expect(event.detail.code).to.equal(ErrorCode.InvalidEnvironment);
    const expected = 'This is a sandbox token: add the sandbox attribute to <oovoo-login>. (-30005)';
    expect(await errorWords(el, expected)).to.equal(expected);
  });

  it('without the server attribute on a page another server serves: the error names the URL tried and the attribute', async () => {
    const config = await testConfig();
    // This page comes from the test runner's server, not from oovoo-server: the login's request gets its 404.
    const el = await fixture<OovooLogin>(
      html`<oovoo-login app-token=${config.webSandbox} sandbox user-id="x"></oovoo-login>`,
    );
    const event = await oneEvent(el, 'oovoo-error');

    expect(event.detail.code).to.equal(ErrorCode.UnspecifiedError);
    expect(event.detail.description).to.contain(`${location.origin}/`);
    const expected = `No ooVoo server answered at ${location.origin} (HTTP 404): probably this page’s own web server. Set the server attribute of <oovoo-login> to the address of oovoo-server. (-20000)`;
    expect(await errorWords(el, expected)).to.equal(expected);
  });

  it('without a token: the error says which attributes sign in', async () => {
    const config = await testConfig();
    const el = await fixture<OovooLogin>(html`<oovoo-login server=${config.server} user-id="x"></oovoo-login>`);

    const expected = 'To sign in, set app-token (or a session-token from your backend) on <oovoo-login>. (-40000)';
    expect(await errorWords(el, expected)).to.equal(expected);
  });

  it('renders an accessible sign-in form without a user id, and signs in from it', async () => {
    const config = await testConfig();
    const el = await fixture<OovooLogin>(
      html`<oovoo-login server=${config.server} app-token=${config.webSandbox} sandbox></oovoo-login>`,
    );
    // The form comes with the extras (a page that names its user never loads it).
    await waitFor(() => el.shadowRoot!.querySelector('form') !== null, 'no sign-in form');
    const form = el.shadowRoot!.querySelector('form')!;
    await expect(el).to.be.accessible();
    const user = uniqueUser('form');

    (form.querySelector('input[name=userId]') as HTMLInputElement).value = user;
    (form.querySelector('input[name=displayName]') as HTMLInputElement).value = 'Form User';
    (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await waitFor(() => el.state === 'connected', 'never connected', { timeout: 10000 });

    expect(el.userId).to.equal(user);
    expect(el.displayName).to.equal('Form User');
    await expect(el).to.be.accessible();
  });

  it('replaces visible strings', async () => {
    const el = await fixture<OovooLogin>(
      html`<oovoo-login .strings=${{ signIn: 'Anmelden', userIdLabel: 'Benutzer' }}></oovoo-login>`,
    );
    await waitFor(() => el.shadowRoot!.querySelector('form') !== null, 'no sign-in form');

    expect(el.shadowRoot!.querySelector('button[type=submit]')!.textContent).to.equal('Anmelden');
    expect(el.shadowRoot!.querySelector('label')!.textContent).to.contain('Benutzer');
  });

  it('logout() disconnects and fires oovoo-logout', async () => {
    const config = await testConfig();
    const user = uniqueUser('logout');
    const el = await fixture<OovooLogin>(
      html`<oovoo-login server=${config.server} app-token=${config.webProduction} user-id=${user}></oovoo-login>`,
    );
    await oneEvent(el, 'oovoo-connect');

    setTimeout(() => el.logout());
    const event = await oneEvent(el, 'oovoo-logout');

    expect(event.detail.userId).to.equal(user);
    expect(el.state).to.equal('signed-out');
    expect(el.client.connectionState).to.equal('idle');
  });

  it('leaves no connection behind when removed, and signs in again when added back', async () => {
    const config = await testConfig();
    const user = uniqueUser('remount');
    const el = await fixture<OovooLogin>(
      html`<oovoo-login server=${config.server} app-token=${config.webProduction} user-id=${user}></oovoo-login>`,
    );
    await waitFor(() => el.state === 'connected', 'never connected', { timeout: 10000 });
    const parent = el.parentNode!;

    el.remove();
    await waitFor(async () => (await serverConnections(user)) === 0, 'socket left open', { timeout: 5000 });
    parent.appendChild(el);
    el.remove();
    parent.appendChild(el);
    await waitFor(() => el.state === 'connected', 'did not sign in again', { timeout: 10000 });

    expect(await serverConnections(user)).to.equal(1);
  });

  it('its events bubble out of shadow roots', async () => {
    const config = await testConfig();
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    document.body.appendChild(host);
    const listened = oneEvent(document.body, 'oovoo-connect');

    const el = document.createElement('oovoo-login');
    el.server = config.server;
    el.sessionToken = await sessionTokenFor('shadow-user');
    el.userId = 'shadow-user';
    root.appendChild(el);

    const event = await listened;
    expect(event.detail.userId).to.equal('shadow-user');
    host.remove();
  });
});

describe('<oovoo-login mode="redirect">', () => {
  it("runs the spec's redirect flow, connects, and cleans t and pid from the address bar", async () => {
    const config = await testConfig();
    const user = uniqueUser('redirect');
    const src = `/test/browser/pages/login-element.html?mode=redirect&server=${encodeURIComponent(config.server)}&appToken=${encodeURIComponent(config.webProduction)}&user=${user}`;

    const { data, frame } = await messageFromFrame<{
      connected?: { userId: string };
      href?: string;
      state?: string;
      error?: unknown;
    }>(src);
    frame.remove();

    expect(data.error).to.equal(undefined);
    expect(data.connected?.userId).to.equal(user);
    expect(data.state).to.equal('connected');
    expect(data.href).not.to.match(/[?&](t|pid)=/);
  });
});

describe('<oovoo-login mode="popup">', () => {
  it('signs in through a popup that hands the token back by postMessage', async () => {
    const config = await testConfig();
    const user = uniqueUser('popup');
    // The popup lands on the same page, whose <oovoo-login> hands the token to its opener and closes.
    const src = `/test/browser/pages/login-element.html?mode=popup&server=${encodeURIComponent(config.server)}&appToken=${encodeURIComponent(config.webProduction)}&user=${user}`;

    const { data, frame } = await messageFromFrame<{
      connected?: { userId: string };
      href?: string;
      state?: string;
      error?: unknown;
    }>(src);
    frame.remove();

    expect(data.error).to.equal(undefined);
    expect(data.connected?.userId).to.equal(user);
    expect(data.state).to.equal('connected');
    // The opener never navigated: the token came by postMessage.
    expect(data.href).not.to.match(/[?&]t=/);
  });
});
