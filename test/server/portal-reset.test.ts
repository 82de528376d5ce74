import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CapturingMailer, PortalClient, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple battery horse';
const HOUR = 3600_000;
const relaxedPortal = {
  signInRate: { burst: 100_000, perSecond: 100_000 },
  failedSignInRate: { burst: 100_000, perSecond: 100_000 },
};

/** The portal's clock, moved by the tests: links expire without waiting for them. */
class TestClock {
  private offset = 0;
  readonly now = () => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** Reset mails to this address so far. */
function resetMails(mailer: CapturingMailer, email: string) {
  return mailer.sent.filter((m) => m.to === email && m.kind === 'password-reset');
}

/** Waits (with a deadline) until the server, which mails after answering, has sent `count` reset mails to this address; the newest token. */
async function resetToken(mailer: CapturingMailer, email: string, count = 1, timeoutMs = 5000): Promise<string> {
  const mails = await waitFor(
    () => resetMails(mailer, email),
    (sent) => sent.length >= count,
    { what: `${count} reset mails to ${email}`, timeoutMs, intervalMs: 10 },
  );
  return /#reset=([\w-]+)$/.exec(mails[count - 1]!.link!)![1]!;
}

function requestReset(client: PortalClient, email: string) {
  return client.request('POST', '/password-reset/request', { email });
}

function reset(client: PortalClient, token: string, password: string) {
  return client.request('POST', '/password-reset', { token, password });
}

describe('portal password reset', () => {
  let server: TestServer;
  const mailer = new CapturingMailer();
  const clock = new TestClock();

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, portal: { mailer, now: clock.now, ...relaxedPortal } });
  });
  after(async () => {
    await server?.stop();
  });

  it('answers alike for a known and an unknown address, and mails only the known one', async () => {
    await verifiedDeveloper(server.url, mailer, 'known@example.com');
    const anonymous = new PortalClient(server.url);
    const unknown = await requestReset(anonymous, 'unknown@example.com');
    const known = await requestReset(anonymous, 'Known@Example.com');
    assert.equal(unknown.status, 202);
    assert.deepEqual(known.body, unknown.body);
    assert.equal(known.status, unknown.status);
    assert.deepEqual([...known.headers.keys()].sort(), [...unknown.headers.keys()].sort());
    await resetToken(mailer, 'known@example.com');
    // The store runs one query at a time in order, so the unknown address's lookup ended before the
    // known one's mail went out: it sent nothing.
    assert.deepEqual(resetMails(mailer, 'unknown@example.com'), []);
    const mail = resetMails(mailer, 'known@example.com')[0]!;
    assert.match(mail.subject, /Reset your password/);
    assert.match(mail.text, /valid for 1 hour, once/);
  });

  it('sets the new password once, ends every session of the account, and the old password stops working', async () => {
    const laptop = await verifiedDeveloper(server.url, mailer, 'ends@example.com');
    const phone = new PortalClient(server.url);
    assert.equal((await phone.signIn('ends@example.com', PASSWORD)).status, 200);
    const bystander = await verifiedDeveloper(server.url, mailer, 'bystander@example.com');

    assert.equal((await requestReset(new PortalClient(server.url), 'ends@example.com')).status, 202);
    const token = await resetToken(mailer, 'ends@example.com');
    const stranger = new PortalClient(server.url);
    const done = await reset(stranger, token, NEW_PASSWORD);
    assert.equal(done.status, 204);

    for (const client of [laptop, phone]) {
      const session = await client.request('GET', '/session');
      assert.equal(session.status, 401);
      assert.equal(session.body.error.code, -30001);
    }
    assert.equal((await bystander.request('GET', '/session')).status, 200, 'other accounts keep their sessions');
    const old = await new PortalClient(server.url).signIn('ends@example.com', PASSWORD);
    assert.equal(old.status, 401);
    assert.equal(old.body.error.code, -30000);
    assert.equal((await new PortalClient(server.url).signIn('ends@example.com', NEW_PASSWORD)).status, 200);

    const again = await reset(stranger, token, 'a third password');
    assert.equal(again.status, 400);
    assert.equal(again.body.error.code, -60401);
    assert.equal((await new PortalClient(server.url).signIn('ends@example.com', 'a third password')).status, 401);
    assert.equal((await new PortalClient(server.url).signIn('ends@example.com', NEW_PASSWORD)).status, 200);
  });

  it('keeps the token when the new password is refused, and a used link voids the other links', async () => {
    await verifiedDeveloper(server.url, mailer, 'twice@example.com');
    const anonymous = new PortalClient(server.url);
    await requestReset(anonymous, 'twice@example.com');
    const first = await resetToken(mailer, 'twice@example.com', 1);
    await requestReset(anonymous, 'twice@example.com');
    const second = await resetToken(mailer, 'twice@example.com', 2);
    assert.notEqual(first, second);

    const short = await reset(anonymous, second, 'short');
    assert.equal(short.status, 400);
    assert.equal(short.body.error.code, -40000);
    assert.equal((await reset(anonymous, second, NEW_PASSWORD)).status, 204);
    const voided = await reset(anonymous, first, 'yet another one');
    assert.equal(voided.status, 400);
    assert.equal(voided.body.error.code, -60401);
    assert.equal((await anonymous.signIn('twice@example.com', NEW_PASSWORD)).status, 200);
  });

  it('refuses an expired link and leaves the password as it was', async () => {
    await verifiedDeveloper(server.url, mailer, 'late@example.com');
    await requestReset(new PortalClient(server.url), 'late@example.com');
    const token = await resetToken(mailer, 'late@example.com');
    clock.advance(HOUR + 1000);
    const late = await reset(new PortalClient(server.url), token, NEW_PASSWORD);
    assert.equal(late.status, 400);
    assert.equal(late.body.error.code, -60401);
    assert.equal((await new PortalClient(server.url).signIn('late@example.com', PASSWORD)).status, 200);
    assert.equal((await new PortalClient(server.url).signIn('late@example.com', NEW_PASSWORD)).status, 401);
  });

  it('refuses bad input, cross-origin requests and forms, changing nothing', async () => {
    await verifiedDeveloper(server.url, mailer, 'guarded@example.com');
    const anonymous = new PortalClient(server.url);
    const badEmail = await requestReset(anonymous, 'not an email');
    assert.equal(badEmail.status, 400);
    assert.equal(badEmail.body.error.code, -40000);
    assert.equal((await reset(anonymous, 'x'.repeat(43), NEW_PASSWORD)).body.error.code, -60401);
    assert.equal(
      (await anonymous.request('POST', '/password-reset', { token: 'a', password: NEW_PASSWORD, extra: 1 })).status,
      400,
    );

    const crossSite = new PortalClient(server.url, 'http://evil.example');
    for (const res of [
      await requestReset(crossSite, 'guarded@example.com'),
      await reset(crossSite, 'x'.repeat(43), NEW_PASSWORD),
      await anonymous.request(
        'POST',
        '/password-reset/request',
        { email: 'guarded@example.com' },
        { headers: { 'sec-fetch-site': 'cross-site' } },
      ),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, -35001);
    }
    const form = await anonymous.request('POST', '/password-reset/request', undefined, {
      raw: 'email=guarded%40example.com',
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 400);
    // A refused request is refused before the lookup-and-mail job starts: there is nothing to wait for.
    assert.deepEqual(resetMails(mailer, 'guarded@example.com'), []);
  });

  it('lets the owner of an address take it back from an unverified sign-up by resetting the password', async () => {
    const squatter = new PortalClient(server.url);
    assert.equal((await squatter.signUp('owner@example.com', 'squatters password')).status, 201);
    await requestReset(new PortalClient(server.url), 'owner@example.com');
    assert.equal(
      (await reset(new PortalClient(server.url), await resetToken(mailer, 'owner@example.com'), NEW_PASSWORD)).status,
      204,
    );
    assert.equal((await squatter.request('GET', '/session')).status, 401);
    const owner = new PortalClient(server.url);
    const signIn = await owner.signIn('owner@example.com', NEW_PASSWORD);
    assert.equal(signIn.status, 200);
    assert.equal(signIn.body.account.verified, true, 'the reset link proved the mailbox');
    assert.equal((await owner.request('POST', '/apps', { name: 'Owner app' })).status, 201);
  });
});

describe('portal password reset limits', () => {
  let server: TestServer;
  const mailer = new CapturingMailer();
  const clock = new TestClock();

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      portal: {
        mailer,
        now: clock.now,
        ...relaxedPortal,
        passwordResetRate: { burst: 8, perSecond: 8 / 3600 },
        passwordResetMailRate: { burst: 2, perSecond: 2 / 3600 },
      },
    });
  });
  after(async () => {
    await server?.stop();
  });

  it('limits requests per email, alike whether or not an account has it, and per address', async () => {
    await verifiedDeveloper(server.url, mailer, 'limited@example.com');
    const client = new PortalClient(server.url);
    const statuses = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await requestReset(client, email));
      return answers;
    };
    const known = await statuses('limited@example.com');
    const unknown = await statuses('nobody@example.com');
    assert.deepEqual(
      known.map((a) => a.status),
      [202, 202, 429],
    );
    assert.deepEqual(
      unknown.map((a) => a.status),
      [202, 202, 429],
    );
    assert.deepEqual(known[2]!.body, unknown[2]!.body);
    assert.equal(known[2]!.body.error.code, -40000);
    assert.equal(known[2]!.headers.get('retry-after'), '1800');
    await resetToken(mailer, 'limited@example.com', 2);

    // Six taken from this address so far; two more, then the address is out.
    assert.equal((await requestReset(client, 'a@example.com')).status, 202);
    assert.equal((await requestReset(client, 'b@example.com')).status, 202);
    const byAddress = await requestReset(client, 'c@example.com');
    assert.equal(byAddress.status, 429);

    clock.advance(3600_000);
    assert.equal((await requestReset(client, 'limited@example.com')).status, 202, 'the buckets refill');
    await resetToken(mailer, 'limited@example.com', 3);
    assert.equal(resetMails(mailer, 'limited@example.com').length, 3);
  });
});

describe('portal sign-up reclaims an address from an unverified account', () => {
  let server: TestServer;
  const mailer = new CapturingMailer();
  const clock = new TestClock();

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, portal: { mailer, now: clock.now, ...relaxedPortal } });
  });
  after(async () => {
    await server?.stop();
  });

  it('only after its verification link expired; the old account and its sessions are gone', async () => {
    const squatter = new PortalClient(server.url);
    const held = await squatter.signUp('victim@example.com', 'squatters password');
    assert.equal(held.status, 201);
    const staleLink = mailer.linkFor('victim@example.com');

    clock.advance(48 * HOUR - 60_000);
    const early = await new PortalClient(server.url).signUp('victim@example.com', PASSWORD);
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, -60303);

    clock.advance(2 * 60_000);
    const owner = new PortalClient(server.url);
    const reclaimed = await owner.signUp('Victim@Example.com', PASSWORD);
    assert.equal(reclaimed.status, 201);
    assert.notEqual(reclaimed.body.account.id, held.body.account.id);
    assert.equal(reclaimed.body.account.verified, false);

    assert.equal((await squatter.request('GET', '/session')).status, 401);
    assert.equal((await new PortalClient(server.url).signIn('victim@example.com', 'squatters password')).status, 401);
    assert.equal((await squatter.verify(staleLink)).status, 400);
    const link = mailer.linkFor('victim@example.com');
    assert.notEqual(link, staleLink);
    assert.equal((await owner.verify(link)).body.account.id, reclaimed.body.account.id);
    assert.equal((await owner.request('GET', '/session')).body.account.verified, true);
  });

  it('a resent link holds the address until that link expires too', async () => {
    const squatter = new PortalClient(server.url);
    await squatter.signUp('resent@example.com', 'squatters password');
    clock.advance(47 * HOUR);
    assert.equal((await squatter.request('POST', '/account/verification')).status, 202);
    clock.advance(2 * HOUR);
    assert.equal((await new PortalClient(server.url).signUp('resent@example.com', PASSWORD)).status, 409);
    clock.advance(47 * HOUR);
    assert.equal((await new PortalClient(server.url).signUp('resent@example.com', PASSWORD)).status, 201);
  });

  it('never takes a verified address', async () => {
    await verifiedDeveloper(server.url, mailer, 'kept@example.com');
    clock.advance(100 * HOUR);
    const res = await new PortalClient(server.url).signUp('kept@example.com', 'another password');
    assert.equal(res.status, 409);
    assert.equal((await new PortalClient(server.url).signIn('kept@example.com', PASSWORD)).status, 200);
  });
});
