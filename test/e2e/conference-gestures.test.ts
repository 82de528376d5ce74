// Raised hands and reactions between SDK pages: seen by the room (and by a later joiner for a hand),
// not by another room; a reaction outside the set is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { PAGES_DIR, Participant, waitForEvent } from './conference-fixture.js';

describe('conference: raised hands and reactions', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function join(uid: string, conf: string): Promise<Participant> {
    const { page } = await newPerson(browser);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, { token, uid, conf });
    assert.deepEqual(result, { conf });
    return participant;
  }
  const seen = (p: Participant, kind: string, uid: string, value: unknown) =>
    waitForEvent(
      p,
      (e) => e[0] === kind && e[1] === uid && e[2] === value,
      10_000,
      `${p.uid}: ${kind} ${uid} ${value}`,
    );

  it('a hand reaches the room and a later joiner; reactions reach the room; another room sees neither', async () => {
    const alice = await join('g-alice', 'gestures');
    const bob = await join('g-bob', 'gestures');
    const dave = await join('g-dave', 'gestures-elsewhere');

    assert.deepEqual(await alice.call('setHandRaised', true), {});
    await seen(bob, 'hand', 'g-alice', true);
    await seen(alice, 'hand', 'g-alice', true);
    assert.equal(await alice.page.evaluate(() => (window as any).__conf.c.handRaised), true);

    const carol = await join('g-carol', 'gestures');
    assert.equal(
      await carol.page.evaluate(() => (window as any).__conf.c.remoteParticipant('g-alice')?.hand),
      true,
      'a later joiner sees the raised hand',
    );

    assert.deepEqual(await bob.call('sendReaction', 'clap'), {});
    for (const p of [alice, bob, carol]) await seen(p, 'reaction', 'g-bob', 'clap');
    assert.deepEqual(await bob.call('sendReaction', 'boo'), { rejected: -40000 });

    assert.deepEqual(await alice.call('setHandRaised', false), {});
    for (const p of [bob, carol]) await seen(p, 'hand', 'g-alice', false);

    const elsewhere = (await dave.events()).filter((e) => e[0] === 'hand' || e[0] === 'reaction');
    assert.deepEqual(elsewhere, [], 'another room saw no hand and no reaction');
  });
});
