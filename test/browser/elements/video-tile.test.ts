import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/elements/video-tile/video-tile.js';
import type { OovooVideoTile } from '../../../src/elements/video-tile/video-tile.js';
import { joined, signedIn, uniqueConference, waitForVideo } from './conference-helpers.js';

describe('<oovoo-video-tile>', () => {
  it('alone, outside a conference: absent, shows who is missing, parts present, accessible', async () => {
    const tile = await fixture<OovooVideoTile>(html`<oovoo-video-tile participant="nobody"></oovoo-video-tile>`);

    expect(tile.hasAttribute('absent')).to.equal(true);
    expect(tile.hasAttribute('camera-off')).to.equal(true);
    for (const part of ['base', 'video', 'placeholder', 'label', 'name']) expect(tile.shadowRoot!.querySelector(`[part="${part}"]`), part).to.not.equal(null);
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

  it('laid out by markup inside a conference: binds local and remote streams, shows speaking and muted', async () => {
    const conf = uniqueConference();
    const alice = await signedIn(
      () => html`<oovoo-conference conference-id=${conf} autojoin>
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
    expect(alice.conference.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="tiles"]')!.assignedElements()).to.have.length(2);
    const local = await waitForVideo(() => mine, 'local tile');
    expect(local.muted).to.equal(true);
    expect(mine.hasAttribute('absent')).to.equal(false);
    const remote = await waitForVideo(() => theirs, 'remote tile');
    expect(remote.muted).to.equal(false);
    expect(theirs.shadowRoot!.querySelector('[part="name"]')!.textContent).to.equal(bob.user);

    // The fake microphone beeps: the level meter sees it on both tiles.
    await waitUntil(() => theirs.hasAttribute('speaking'), 'remote never speaking', { timeout: 15000, interval: 50 });
    await waitUntil(() => mine.hasAttribute('speaking'), 'local never speaking', { timeout: 15000, interval: 50 });

    bob.conference.setMicMuted(true);
    await waitUntil(() => theirs.hasAttribute('muted'), 'remote mute not shown');
    expect(theirs.shadowRoot!.querySelector('[part="mic"]')!.textContent).to.equal('Microphone off');
    expect(theirs.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-label')).to.contain(`${bob.user}, Microphone off`);
    // Muted: silence, so no speaking for well over a beep period.
    await waitUntil(() => !theirs.hasAttribute('speaking'), 'still speaking after mute');
    const since = Date.now();
    let spoke = false;
    while (Date.now() - since < 2500) {
      spoke ||= theirs.hasAttribute('speaking');
      await new Promise((r) => setTimeout(r, 50));
    }
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
