import { expect } from '@open-wc/testing';
import { ErrorCode, OoVooClient, OoVooError, type ConnectResult } from '../../src/sdk/index.js';
import { messageFromFrame, sessionTokenFor, testConfig, uniqueUser } from './helpers.js';

type Result = ConnectResult & { error?: { code: number; name: string; description: string } };

async function newClient(appId?: string): Promise<OoVooClient> {
  const config = await testConfig();
  const client = new OoVooClient();
  client.configure({ server: config.server, ...(appId ? { appId } : {}) });
  return client;
}

function connectWithCallback(client: OoVooClient, params: Parameters<OoVooClient['connect']>[0]): Promise<Result> {
  return new Promise((resolve) => {
    void client.connect(params, (res) => resolve(res as Result));
  });
}

describe('ooVooClient.connect', () => {
  const clients: OoVooClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('connects with a session token from server-to-server login', async () => {
    const client = await newClient();
    clients.push(client);
    const user = uniqueUser();
    const token = await sessionTokenFor(user);

    const result = await connectWithCallback(client, { userId: user, userToken: token, enableMesagging: true });

    expect(result.error).to.equal(undefined);
    expect(result.userId).to.equal(user);
    expect(client.connectionState).to.equal('connected');
  });

  it('accepts a numeric user id, as the spec samples pass one', async () => {
    const client = await newClient();
    clients.push(client);
    const token = await sessionTokenFor('1234567890');

    const result = await connectWithCallback(client, { userId: 1234567890, userToken: token });

    expect(result.error).to.equal(undefined);
    expect(result.userId).to.equal('1234567890');
  });

  it('refuses a token that is not a session token with InvalidToken (-30001)', async () => {
    const config = await testConfig();
    const client = await newClient();

    const result = await connectWithCallback(client, { userId: 'x', userToken: config.webProduction });

    expect(result.error?.code).to.equal(ErrorCode.InvalidToken);
    expect(result.error?.name).to.equal('InvalidToken');
    expect(client.connectionState).to.equal('idle');
  });

  it('refuses a tampered session token with -30001', async () => {
    const client = await newClient();
    const token = await sessionTokenFor('mallory');
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(atob(p!.replace(/-/g, '+').replace(/_/g, '/')));
    payload.sub = 'alice';
    const forged = `${h}.${btoa(JSON.stringify(payload)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.${s}`;

    const result = await connectWithCallback(client, { userId: 'alice', userToken: forged });

    expect(result.error?.code).to.equal(ErrorCode.InvalidToken);
  });

  it("refuses a user id other than the token's with NotAuthorized (-35001)", async () => {
    const client = await newClient();
    const token = await sessionTokenFor('bob');

    const result = await connectWithCallback(client, { userId: 'not-bob', userToken: token });

    expect(result.error?.code).to.equal(ErrorCode.NotAuthorized);
  });

  it("refuses another app's session token when the App ID is configured (-30001)", async () => {
    const config = await testConfig();
    const client = await newClient(config.appId);
    const user = uniqueUser();
    const token = await sessionTokenFor(user, 'other');

    const result = await connectWithCallback(client, { userId: user, userToken: token });

    expect(result.error?.code).to.equal(ErrorCode.InvalidToken);
  });

  it('refuses a blocked app with BlockedAppId (-30004)', async () => {
    const config = await testConfig();
    const client = await newClient();

    const result = await connectWithCallback(client, { userId: 'blocked-user', userToken: config.blockedSessionToken });

    expect(result.error?.code).to.equal(ErrorCode.BlockedAppId);
  });

  it('answers bad parameters with BadRequest (-40000) in the callback, never a throw', async () => {
    const client = await newClient();

    const noParams = await connectWithCallback(client, null as never);
    const noUser = await connectWithCallback(client, { userId: '', userToken: 'x' });

    expect(noParams.error?.code).to.equal(ErrorCode.BadRequest);
    expect(noUser.error?.code).to.equal(ErrorCode.BadRequest);
  });

  it('rejects the Promise form with an OoVooError carrying the code', async () => {
    const client = await newClient();
    let caught: unknown;

    try {
      await client.connect({ userId: 'x', userToken: 'not-a-token' });
    } catch (e) {
      caught = e;
    }

    expect(caught).to.be.instanceOf(OoVooError);
    expect((caught as OoVooError).code).to.equal(ErrorCode.InvalidToken);
  });

  it('disconnect is idempotent and reports the closed state', async () => {
    const client = await newClient();
    const user = uniqueUser();
    await client.connect({ userId: user, userToken: await sessionTokenFor(user) });

    client.disconnect();
    client.disconnect();

    expect(client.connectionState).to.equal('idle');
  });
});

describe('ooVooClient.authorization (client-side login) from a real page', () => {
  interface FrameResult {
    result?: Result;
    participantId?: number;
    state?: string;
    href?: string;
    loadError?: boolean;
  }

  async function runLoginPage(appToken: string, sandbox: 'true' | 'false' | 'default') {
    const config = await testConfig();
    const src = `/test/browser/pages/spec-login.html?server=${encodeURIComponent(config.server)}&appToken=${encodeURIComponent(appToken)}&sandbox=${sandbox}`;
    const { data, frame } = await messageFromFrame<FrameResult>(src);
    frame.remove();
    return data;
  }

  it('redirects back with a session token and connects (production, isSandbox: false as the spec sample)', async () => {
    const config = await testConfig();

    const data = await runLoginPage(config.webProduction, 'false');

    expect(data.loadError).to.equal(undefined);
    expect(data.result?.error).to.equal(undefined);
    expect(data.state).to.equal('connected');
    // The page's user id (10 or 11 digits) came back through the callback's pid, and is who connected.
    expect(String(data.participantId)).to.match(/^\d{10,11}$/);
    expect(String(data.result?.userId)).to.equal(String(data.participantId));
    // The callback's own query survives; the token is added as t.
    expect(data.href).to.match(/[?&]pid=\d+/);
    expect(data.href).to.match(/[?&]t=[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('logs in with a sandbox token when isSandbox is left to its default (true)', async () => {
    const config = await testConfig();

    const data = await runLoginPage(config.webSandbox, 'default');

    expect(data.result?.error).to.equal(undefined);
    expect(data.state).to.equal('connected');
  });

  it('reports bad parameters with -40000 instead of navigating', async () => {
    const client = await newClient();
    const result = await new Promise<Result>((resolve) => {
      client.authorization({ token: '', userId: 'x', callbackUrl: location.href }, (r) => resolve(r as Result));
    });

    expect(result.error?.code).to.equal(ErrorCode.BadRequest);
  });
});
