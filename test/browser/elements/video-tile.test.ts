import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/video-tile/video-tile.js';
import type { OovooVideoTile } from '../../../src/elements/video-tile/video-tile.js';
import { joined, signedIn, uniqueConference, waitForVideo } from './conference-helpers.js';

/** How much of a receiver's audio has been played out, and its energy (from inbound-rtp stats). */
async function playout(receiver: RTCRtpReceiver): Promise<{ energy: number; duration: number }> {
  for (const stat of (await receiver.getStats()).values()) {
    if (stat.type === 'inbound-rtp')
      return { energy: stat.totalAudioEnergy ?? 0, duration: stat.totalSamplesDuration ?? 0 };
  }
  return { energy: 0, duration: 0 };
}

/** Most energy a second of silence adds (decoder tail included); one beep of the fake microphone adds about 0.1. */
const SILENT_ENERGY = 1e-4;

/** Resolves once `receiver` has played out `seconds` of audio in a row without energy. */
async function silencePlayedOut(receiver: RTCRtpReceiver, seconds: number): Promise<void> {
  const history: Array<{ energy: number; duration: number }> = [];
  await waitUntil(
    async () => {
      const now = await playout(receiver);
      history.push(now);
      const start = history.filter((h) => now.duration - h.duration >= seconds).at(-1);
      return start !== undefined && now.energy - start.energy < SILENT_ENERGY;
    },
    'the receiver never played a second of silence after the mute',
    { timeout: 20000, interval: 100 },
  );
}

describe('<oovoo-video-tile>', () => {
  it('alone, outside a conference: absent, shows who is missing, parts present, accessible', async () => {
    const tile = await fixture<OovooVideoTile>(html`<oovoo-video-tile participant="nobody"></oovoo-video-tile>`);

    expect(tile.hasAttribute('absent')).to.equal(true);
    expect(tile.hasAttribute('camera-off')).to.equal(true);
    for (const part of ['base', 'video', 'placeholder', 'label', 'name'])
      expect(tile.shadowRoot!.querySelector(`[part="${part}"]`), part).to.not.equal(null);
    expect(tile.shadowRoot!.querySelector('[part="placeholder"]')!.textContent).to.contain('Not in the call');
    expect(tile.fit).to.equal('cover');
    tile.fit = 'contain';
    tile.mirror = true;
    await tile.updateComplete;
    expect(tile.getAttribute('fit')).to.equal('contain');
    expect(tile.hasAttribute('mirror')).to.equal(true);
    tile.strings = { waiting: 'Pas dans l’appel' };
    await tile.updateComplete;
    expect(tile.shadowRoot!.querySelector('[part="placeholder"]')!.textContent).to.contain('Pas dans l’appel');
    await expect(tile).to.be.accessible();
  });

  it('laid out by markup inside a conference: binds local and remote streams, shows speaking and muted', async function () {
    // Two joins, decoded video, speaking seen, then a second of silence played out after the mute
    // and 2.5 s of quiet: more than the default 20 s on a busy machine.
    this.timeout(60_000);
    const conf = uniqueConference();
    const alice = await signedIn(
      () =>
        html`<oovoo-conference conference-id=${conf} autojoin>
          <oovoo-video-tile slot="tiles" participant="local" mirror fit="contain"></oovoo-video-tile>
        </oovoo-conference>`,
    );
    await joined(alice);
    const bob = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(bob);
    const mine = alice.conference.querySelector('oovoo-video-tile')!;
    const theirs = document.createElement('oovoo-video-tile');
    theirs.participant = bob.user;
    theirs.slot = 'tiles';
    alice.conference.append(theirs);

    // The built-in grid gave way to the page's tiles.
    expect(
      alice.conference.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="tiles"]')!.assignedElements(),
    ).to.have.length(2);
    const local = await waitForVideo(() => mine, 'local tile');
    expect(local.muted).to.equal(true);
    expect(mine.hasAttribute('absent')).to.equal(false);
    const remote = await waitForVideo(() => theirs, 'remote tile');
    expect(remote.muted).to.equal(false);
    expect(theirs.shadowRoot!.querySelector('[part="name"]')!.textContent).to.equal(bob.user);

    // The fake microphone beeps: the level meter sees it on both tiles.
    await waitUntil(() => theirs.hasAttribute('speaking'), 'remote never speaking', { timeout: 15000, interval: 50 });
    await waitUntil(() => mine.hasAttribute('speaking'), 'local never speaking', { timeout: 15000, interval: 50 });

    const receiver = alice.conference
      .conference!.peerConnection(bob.user)!
      .getReceivers()
      .find((r) => r.track.kind === 'audio')!;
    const beforeMute = await playout(receiver);
    bob.conference.setMicMuted(true);
    await waitUntil(() => theirs.hasAttribute('muted'), 'remote mute not shown');
    expect(theirs.shadowRoot!.querySelector('[part="mic"]')!.textContent!.trim()).to.equal('Microphone off');
    expect(theirs.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-label')).to.contain(
      `${bob.user}, Microphone off`,
    );
    // What the mute guarantees is that Bob's microphone track is disabled: his sender encodes
    // silence from then on. Alice hears it only after the network and her jitter buffer (seconds on
    // a busy machine), so the tile's "muted" (a signaling frame) can come before beeps sent earlier
    // are played. Wait until her receiver has played out a full second of Bob's audio without
    // energy (the fake microphone beeps every half second): from there on it plays only silence.
    expect(beforeMute.duration).to.be.greaterThan(0);
    await silencePlayedOut(receiver, 1);
    // The speaking indicator holds a moment past the last loud sample; then, silence: no speaking
    // while her receiver plays out well over a few beep periods of Bob's audio.
    await waitUntil(() => !theirs.hasAttribute('speaking'), 'still speaking after the silence was played');
    const quietFrom = (await playout(receiver)).duration;
    let spoke = false;
    await waitUntil(
      async () => {
        spoke ||= theirs.hasAttribute('speaking');
        return (await playout(receiver)).duration - quietFrom >= 2.5;
      },
      'the receiver never played 2.5 s more of audio',
      { timeout: 20000, interval: 50 },
    );
    expect(spoke).to.equal(false);
    await expect(theirs).to.be.accessible();
  });

  it('detaches its video when removed and binds it again when added back', async () => {
    const conf = uniqueConference();
    const alice = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(alice);
    const tile = document.createElement('oovoo-video-tile');
    alice.conference.append(tile);
    const video = await waitForVideo(() => tile, 'local tile');
    const stream = video.srcObject;
    expect(stream).to.be.instanceOf(MediaStream);

    tile.remove();
    expect(video.srcObject).to.equal(null);
    expect(tile.hasAttribute('speaking')).to.equal(false);

    alice.conference.append(tile);
    await tile.updateComplete;
    expect(video.srcObject).to.equal(stream);
    expect(tile.current()!.local).to.equal(true);
  });
});
