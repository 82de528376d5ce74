// Six SDK pages in one room on the SFU (a mesh stops at six): every page decodes rising frames from
// each of the five others, all on its one subscriber connection. Chromium runs without the
// three-layer field trial, so a 352x288 camera sends one layer: the server's layer choice for a
// room of six (the middle one) must not leave a page without video when that layer never arrives.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Participant } from '../e2e/conference-fixture.js';
import { SMALL, SfuHarness, decodesFrom } from './sfu-conference-fixture.js';

describe('a room of six on the SFU', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start([]);
  });
  after(async () => {
    await sfu?.stop();
  });

  it('six pages each decode every one of the five others', async () => {
    const { server, app } = await sfu.serverWithSfu(1);
    const uids = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
    const others = (uid: string) => uids.filter((u) => u !== uid);
    const pages: Participant[] = [];
    for (const uid of uids) pages.push(await sfu.join(server, app, uid, 'sfu-six', SMALL));
    const room = server.conference.room(app.appId, 'sfu-six')!;
    assert.equal(room.mode, 'sfu');
    assert.equal(room.size, 6);
    for (const page of pages) await decodesFrom(page, others(page.uid), 90_000);
    for (const page of pages) {
      const connections = await page.page.evaluate(
        (from) => new Set(from.map((uid) => (window as any).__conf.c.peerConnection(uid))).size,
        others(page.uid),
      );
      assert.equal(connections, 1, `${page.uid} receives everyone on one connection`);
    }
  });
});
