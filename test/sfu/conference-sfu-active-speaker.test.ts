// The active speaker and network quality through the move from mesh to SFU: two pages in a mesh
// hear Ben (Ann is muted); Cat's join moves the room to Janus, and every page still hears only Ben
// (levels now per stream mid of the one subscriber connection), then only Cat once Ben hands her the
// microphone. Every participant's network quality, and each page's own uplink (the publisher), reads
// excellent or good.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import type { Participant } from '../e2e/conference-fixture.js';
import { SMALL, SfuHarness, allDecoding } from './sfu-conference-fixture.js';

describe('active speaker and network quality across the move to the SFU', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start([]);
  });
  after(async () => {
    await sfu?.stop();
  });

  const speakers = (p: Participant): Promise<string[]> =>
    p.page.evaluate(() => (window as any).__conf.c.activeSpeakers as string[]);

  async function everyPageHears(pages: Participant[], uid: string): Promise<void> {
    for (const p of pages) {
      await waitFor(
        () => speakers(p),
        (now) => now.length === 1 && now[0] === uid,
        { what: `${p.uid} hearing only ${uid}`, timeoutMs: 30_000, intervalMs: 250 },
      );
    }
  }

  it('the speaker is found before and after the move, and follows the microphone', async () => {
    const { server, app } = await sfu.serverWithSfu(3);
    const join = async (uid: string, muted: boolean) => {
      const p = await sfu.join(server, app, uid, 'sfu-speakers', SMALL);
      if (muted) await p.call('AudioController.setRecorderMute', true);
      await p.page.evaluate(() => {
        const t = (window as any).__conf;
        t.c.onActiveSpeakerChanged = (e: any) => t.events.push(['speakers', e.speakers]);
      });
      return p;
    };
    const ann = await join('sp-ann', true);
    const ben = await join('sp-ben', false);
    await everyPageHears([ann, ben], 'sp-ben');

    const cat = await join('sp-cat', true);
    const pages = [ann, ben, cat];
    assert.equal(server.conference.room(app.appId, 'sfu-speakers')!.mode, 'sfu');
    await allDecoding(pages, 60_000);
    await everyPageHears(pages, 'sp-ben');

    await ben.call('AudioController.setRecorderMute', true);
    await cat.call('AudioController.setRecorderMute', false);
    await everyPageHears(pages, 'sp-cat');

    for (const p of pages) {
      const ratings = await p.page.evaluate(
        (uids) => uids.map((uid) => [uid, (window as any).__conf.c.networkQuality(uid)]),
        pages.map((o) => o.uid),
      );
      for (const [uid, q] of ratings)
        assert.ok(['excellent', 'good'].includes(q), `${p.uid} rates ${uid} ${q}: ${JSON.stringify(ratings)}`);
    }
  });
});
