// Through Janus, a camera and microphone off at AVChat.init are never opened; turned on later, the
// publisher's transceivers (there from the first offer, sending nothing) get the tracks and the
// others decode them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { captured, recordCapture } from '../e2e/conference-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { decodesFrom, SfuHarness, SMALL } from './sfu-conference-fixture.js';

describe('SFU: a camera and microphone off at init', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start([]);
  });
  after(async () => {
    await sfu?.stop();
  });

  it('are never opened; turned on later, the others get them', async () => {
    const { server, app } = await sfu.serverWithSfu(1);
    sfu.beforeJoin = recordCapture;
    const quiet = await sfu.join(server, app, 'quiet', 'sfu-off', { ...SMALL, audio: false, video: false });
    sfu.beforeJoin = undefined;
    const other = await sfu.join(server, app, 'other', 'sfu-off');
    assert.equal(server.conference.room(app.appId, 'sfu-off')?.mode, 'sfu');
    await decodesFrom(quiet, ['other'], 60_000);
    assert.deepEqual(await captured(quiet.page), { asked: [], obtained: [] }, 'nothing opened while both are off');

    await quiet.call('VideoController.startTransmit');
    await decodesFrom(other, ['quiet'], 60_000);
    assert.deepEqual((await captured(quiet.page)).obtained, ['video']);
    assert.equal((await other.stats('quiet')).audioBytes, 0, 'no audio yet');

    await quiet.call('AudioController.setRecorderMute', false);
    const heard = await waitFor(
      () => other.stats('quiet'),
      (s) => s.audioBytes > 0,
      { what: 'other receiving the microphone turned on later', timeoutMs: 30_000, intervalMs: 250 },
    );
    await waitFor(
      () => other.stats('quiet'),
      (s) => s.audioBytes > heard.audioBytes + 1000,
      { what: 'audio bytes rising', timeoutMs: 20_000, intervalMs: 250 },
    );
    assert.deepEqual((await captured(quiet.page)).obtained, ['video', 'audio']);
  });
});
