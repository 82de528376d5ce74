// The move from mesh to SFU (make before break): a mesh of four joined by a fifth at the default
// --sfu-from. Nobody sees a leave or a second join, every page ends up decoding every other on its
// one subscriber connection, and the time from the fifth join to that is reported. Without the
// three-layer field trial: five pages encoding three layers each starve two cores.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import type { Participant } from '../e2e/conference-fixture.js';
import { SMALL, SfuHarness, allDecoding, decodesFrom } from './sfu-conference-fixture.js';

describe('a mesh of four moves to the SFU when a fifth joins', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start([]);
  });
  after(async () => {
    await sfu?.stop();
  });

  it('no leave or join again, every tile decoding, each page on one subscriber connection', async (t) => {
    const { server, app } = await sfu.serverWithSfu(5);
    const uids = ['mv1', 'mv2', 'mv3', 'mv4', 'mv5'];
    const others = (uid: string) => uids.filter((u) => u !== uid);
    const pages: Participant[] = [];
    for (const uid of uids.slice(0, 4)) pages.push(await sfu.join(server, app, uid, 'sfu-move', SMALL));
    for (const p of pages) await decodesFrom(p, others(p.uid).slice(0, 3), 60_000);
    const room = server.conference.room(app.appId, 'sfu-move')!;
    assert.equal(room.mode, 'mesh');

    const joinedAt = Date.now();
    pages.push(await sfu.join(server, app, 'mv5', 'sfu-move', SMALL));
    assert.equal(room.mode, 'sfu');
    const ms = await allDecoding(pages);
    t.diagnostic(
      `every page decoding every other ${Date.now() - joinedAt} ms after the fifth joined (${ms} ms after its join returned)`,
    );

    // The mesh links went: each page receives the four others on one connection.
    for (const p of pages) {
      await waitFor(
        () =>
          p.page.evaluate(
            (from) => new Set(from.map((uid) => (window as any).__conf.c.peerConnection(uid))).size,
            others(p.uid),
          ),
        (connections) => connections === 1,
        { what: `${p.uid} receives everyone on one connection`, timeoutMs: 20_000 },
      );
    }
    for (const p of pages) {
      const events = await p.events();
      assert.deepEqual(
        events.filter((e) => e[0] === 'left'),
        [],
        `${p.uid} saw nobody leave`,
      );
      const joined = events.filter((e) => e[0] === 'joined').map((e) => e[1]);
      assert.deepEqual([...joined].sort(), [...uids].sort(), `${p.uid}: one joined each, itself included`);
    }
  });
});
