// The active speaker across three mesh pages: the fake microphone sounds on every page, so two mute
// and the third is the speaker on every page (its own included); when another takes the microphone,
// the speaker moves everywhere, and a muted participant is never listed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant } from './conference-fixture.js';

/** 352x288 at a low frame rate: three pages of a mesh stay light on two cores. */
const SMALL = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [5, 10] };

describe('conference: active speaker', () => {
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

  /** Joins and records every activeSpeakerChanged (listening is what starts the SDK's polls). */
  async function join(uid: string): Promise<Participant> {
    const { page } = await newPerson(browser);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, {
      token,
      uid,
      conf: 'speakers',
      params: SMALL,
    });
    assert.deepEqual(result, { conf: 'speakers' });
    await page.evaluate(() => {
      const t = (window as any).__conf;
      t.c.events.on('activeSpeakerChanged', (e: any) => t.events.push(['speakers', e.speakers]));
    });
    return participant;
  }

  const speakers = (p: Participant): Promise<string[]> =>
    p.page.evaluate(() => (window as any).__conf.c.activeSpeakers as string[]);

  /** Waits until every page lists exactly `uid` as speaking, and its last event said so. */
  async function everyPageHears(people: Participant[], uid: string): Promise<void> {
    for (const p of people) {
      await waitFor(
        async () => ({ now: await speakers(p), events: (await p.events()).filter((e) => e[0] === 'speakers') }),
        ({ now, events }) => now.length === 1 && now[0] === uid && (events.at(-1)?.[1] as string[])?.[0] === uid,
        { what: `${p.uid} hearing only ${uid}`, timeoutMs: 20_000, intervalMs: 250 },
      );
    }
  }

  it('the one unmuted participant is the speaker on every page; the speaker moves with the microphone', async () => {
    const people = [await join('as-ann'), await join('as-ben'), await join('as-cat')];
    const [ann, ben, cat] = people as [Participant, Participant, Participant];
    await ann.call('AudioController.setRecorderMute', true);
    await ben.call('AudioController.setRecorderMute', true);
    for (const p of people) for (const other of people) if (other !== p) await p.waitForMediaFrom(other.uid);

    await everyPageHears(people, 'as-cat');
    const lists = async (p: Participant) =>
      (await p.events()).filter((e) => e[0] === 'speakers').map((e) => e[1] as string[]);
    const before = await Promise.all(people.map(async (p) => (await lists(p)).length));

    // Cat hands the microphone to Ann.
    await cat.call('AudioController.setRecorderMute', true);
    await ann.call('AudioController.setRecorderMute', false);
    await everyPageHears(people, 'as-ann');

    for (const [i, p] of people.entries()) {
      const all = await lists(p);
      assert.ok(
        all.slice(before[i]).every((list) => !list.includes('as-cat') && !list.includes('as-ben')),
        `${p.uid}: after the swap no muted participant is listed: ${JSON.stringify(all)}`,
      );
      assert.ok(all.length <= 8, `${p.uid}: the list changed only a few times, no flicker: ${JSON.stringify(all)}`);
    }
    for (const p of people) await p.page.context().close();
  });
});
