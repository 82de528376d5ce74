import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitFor } from '../helpers.js';
import '../../../src/elements/conference/conference.js';
import type { OovooConference } from '../../../src/elements/conference/conference.js';
import { ErrorCode } from '../../../src/sdk/index.js';
import { countFrames, joined, signedIn, tileOf, types, uniqueConference, waitForVideo } from './conference-helpers.js';

describe('<oovoo-conference>', () => {
  it('joins with autojoin: events in the documented order, state reflected, parts and slots present', async () => {
    const conf = uniqueConference();

    const alice = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(alice);

    const sequence = types(alice).filter((t) => t !== 'state:ACCESS_ACCEPTED');
    expect(sequence).to.deep.equal(['state:CONNECTED', 'state:JOINED', 'oovoo-participant-join', 'oovoo-join']);
    expect(alice.events.find(([t]) => t === 'oovoo-participant-join')![1]).to.deep.equal({
      uid: alice.user,
      displayName: alice.user,
      userData: '',
      local: true,
    });
    expect(alice.events.find(([t]) => t === 'oovoo-join')![1]).to.deep.equal({ conferenceId: conf, uid: alice.user });
    expect(alice.conference.getAttribute('state')).to.equal('joined');
    const root = alice.conference.shadowRoot!;
    for (const part of ['base', 'grid', 'controls', 'mic-button', 'camera-button', 'leave-button', 'status']) {
      expect(root.querySelector(`[part~="${part}"]`), part).to.not.equal(null);
    }
    for (const slot of ['tiles', 'controls', 'controls-start', 'controls-end'])
      expect(root.querySelector(`slot[name="${slot}"]`), slot).to.not.equal(null);
    expect(root.querySelector('slot:not([name])')).to.not.equal(null);
    const local = tileOf(alice.conference, 'local')!;
    expect(local.hasAttribute('mirror')).to.equal(true);
    await waitForVideo(() => tileOf(alice.conference, 'local'), 'local preview');
    await expect(alice.conference).to.be.accessible();
  });

  it('attributes and properties stay in step: audio="off" video="off" start muted, camera off; properties reflect and reach the SDK', async () => {
    const conf = uniqueConference();

    const alice = await signedIn(
      () =>
        html`<oovoo-conference
          conference-id=${conf}
          audio="off"
          video="off"
          layout="speaker"
          resolution="normal"
          autojoin
        ></oovoo-conference>`,
    );
    const el = alice.conference;
    await joined(alice);

    expect(el.muted).to.equal(true);
    expect(el.hasAttribute('muted')).to.equal(true);
    expect(el.cameraOff).to.equal(true);
    expect(el.hasAttribute('camera-off')).to.equal(true);
    expect(el.conference!.AudioController.isRecorderMuted()).to.equal(true);
    expect(el.conference!.VideoController.isTransmitted()).to.equal(false);
    expect(el.conferenceId).to.equal(conf);
    expect(el.layout).to.equal('speaker');
    expect(tileOf(el, 'local')!.hasAttribute('camera-off')).to.equal(true);
    expect(tileOf(el, 'local')!.hasAttribute('muted')).to.equal(true);

    el.setMicMuted(false);
    el.setCameraOn(true);
    await el.updateComplete;
    expect(el.hasAttribute('muted')).to.equal(false);
    expect(el.hasAttribute('camera-off')).to.equal(false);
    expect(el.conference!.AudioController.isRecorderMuted()).to.equal(false);
    expect(el.conference!.VideoController.isTransmitted()).to.equal(true);

    el.setAttribute('muted', '');
    await el.updateComplete;
    expect(el.muted).to.equal(true);
    expect(el.conference!.AudioController.isRecorderMuted()).to.equal(true);
    const micButton = el.shadowRoot!.querySelector('[part~="mic-button"]') as HTMLButtonElement;
    expect(micButton.getAttribute('aria-pressed')).to.equal('true');
    micButton.click();
    await el.updateComplete;
    expect(el.muted).to.equal(false);
    expect(micButton.getAttribute('aria-pressed')).to.equal('false');
  });

  it('two participants see each other; mute, camera off and data reach the other side; names render as text', async () => {
    const conf = uniqueConference();
    const evil = '<img src=x onerror="window.__xss=1">Eve';
    const alice = await signedIn(
      () =>
        html`<oovoo-conference
          conference-id=${conf}
          display-name=${evil}
          user-data="<script>window.__xss=2</script>"
          autojoin
        ></oovoo-conference>`,
    );
    await joined(alice);
    const bob = await signedIn(
      () => html`<oovoo-conference conference-id=${conf} display-name="Bob" autojoin></oovoo-conference>`,
    );
    await joined(bob);

    // Bob saw Alice (already there) join before his own oovoo-join; Alice saw Bob join.
    const aliceSeen = bob.events.find(([t, d]) => t === 'oovoo-participant-join' && d.uid === alice.user)![1];
    expect(aliceSeen).to.deep.equal({
      uid: alice.user,
      displayName: evil,
      userData: '<script>window.__xss=2</script>',
      local: false,
    });
    expect(types(bob).indexOf('oovoo-join')).to.be.greaterThan(types(bob).lastIndexOf('oovoo-participant-join'));
    await waitFor(
      () => alice.events.some(([t, d]) => t === 'oovoo-participant-join' && d.uid === bob.user),
      'alice never saw bob',
    );
    await waitForVideo(() => tileOf(bob.conference, alice.user), 'alice at bob');
    await waitForVideo(() => tileOf(alice.conference, bob.user), 'bob at alice');

    const name = tileOf(bob.conference, alice.user)!.shadowRoot!.querySelector('[part="name"]')!;
    expect(name.textContent).to.equal(evil);
    expect(name.querySelector('img')).to.equal(null);
    expect((window as any).__xss).to.equal(undefined);

    alice.conference.setMicMuted(true);
    await waitFor(() => tileOf(bob.conference, alice.user)!.hasAttribute('muted'), 'mute never showed at bob');
    alice.conference.setCameraOn(false);
    await waitFor(
      () => tileOf(bob.conference, alice.user)!.hasAttribute('camera-off'),
      'camera-off never showed at bob',
    );
    expect(tileOf(bob.conference, alice.user)!.shadowRoot!.querySelector('[part="placeholder"]')).to.not.equal(null);
    alice.conference.setMicMuted(false);
    await waitFor(() => !tileOf(bob.conference, alice.user)!.hasAttribute('muted'), 'unmute never showed at bob');

    const data = oneEvent(bob.conference, 'oovoo-data');
    await alice.conference.conference!.sendData(alice.user, '', 'hello bob');
    expect((await data).detail).to.deep.equal({ uid: alice.user, data: 'hello bob' });
    await expect(bob.conference).to.be.accessible();
  });

  it('someone who joins later sees who is already muted or has the camera off', async () => {
    const conf = uniqueConference();
    const alice = await signedIn(
      () => html`<oovoo-conference conference-id=${conf} audio="off" video="off" autojoin></oovoo-conference>`,
    );
    await joined(alice);

    const bob = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(bob);

    await bob.conference.updateComplete;
    const tile = tileOf(bob.conference, alice.user)!;
    await tile.updateComplete;
    expect(tile.hasAttribute('muted')).to.equal(true);
    expect(tile.hasAttribute('camera-off')).to.equal(true);
    expect(bob.conference.conference!.remoteParticipant(alice.user)).to.include({ muted: true, video: 'PAUSED' });
  });

  it('Leave asks first (cancelable oovoo-leave-request), then leaves: participant-leave, DISCONNECTED, oovoo-leave; tracks ended', async () => {
    const conf = uniqueConference();
    const alice = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(alice);
    const bob = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(bob);
    await waitForVideo(() => tileOf(alice.conference, bob.user), 'bob at alice');
    const sdk = alice.conference.conference!;
    const local = await sdk.localStream;
    const pc = sdk.peerConnection(bob.user)!;
    const leaveButton = () => alice.conference.shadowRoot!.querySelector('[part~="leave-button"]') as HTMLButtonElement;

    const refuse = (e: Event) => e.preventDefault();
    alice.login.addEventListener('oovoo-leave-request', refuse, { once: true });
    leaveButton().click();
    expect(alice.conference.state).to.equal('joined');
    alice.events.length = 0;
    leaveButton().click();

    expect(types(alice)).to.deep.equal([
      'oovoo-leave-request',
      'oovoo-participant-leave',
      'state:DISCONNECTED',
      'oovoo-leave',
    ]);
    expect(alice.events[3]![1]).to.deep.equal({ conferenceId: conf, uid: alice.user, errorCode: '' });
    expect(alice.conference.state).to.equal('left');
    await alice.conference.updateComplete;
    expect(alice.conference.getAttribute('state')).to.equal('left');
    expect(alice.conference.shadowRoot!.querySelector('[part~="join-button"]')).to.not.equal(null);
    expect(local.getTracks().length).to.equal(2);
    await waitFor(() => local.getTracks().every((t) => t.readyState === 'ended'), 'local tracks still live');
    expect(pc.connectionState).to.equal('closed');
    await waitFor(
      () => bob.events.some(([t, d]) => t === 'oovoo-participant-leave' && d.uid === alice.user),
      'bob never saw alice leave',
    );
  });

  it('removed mid-call and added back: nothing left behind, then joins anew', async () => {
    const conf = uniqueConference();
    const alice = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(alice);
    const bob = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(bob);
    await waitForVideo(() => tileOf(alice.conference, bob.user), 'bob at alice');
    const sdk = alice.conference.conference!;
    const local = await sdk.localStream;
    const pc = sdk.peerConnection(bob.user)!;
    const remoteTracks = tileOf(alice.conference, bob.user)!.current()!.stream.getTracks();
    expect(remoteTracks.length).to.equal(2);
    const el = alice.conference;

    el.remove();

    expect(el.conference).to.equal(undefined);
    expect(pc.connectionState).to.equal('closed');
    expect(remoteTracks.every((t) => t.readyState === 'ended')).to.equal(true);
    await waitFor(() => local.getTracks().every((t) => t.readyState === 'ended'), 'local tracks still live');
    await waitFor(
      () => bob.events.some(([t, d]) => t === 'oovoo-participant-leave' && d.uid === alice.user),
      'bob never saw alice leave',
    );
    expect(el.getAttribute('state')).to.equal('idle');

    // Added back (a framework re-mounting it): autojoin joins again, with fresh media.
    const rejoined = oneEvent(el, 'oovoo-join');
    alice.login.appendChild(el);
    await rejoined;
    expect(el.conference).to.not.equal(sdk);
    await waitForVideo(() => tileOf(el, bob.user), 'bob at alice after re-adding');
    await waitForVideo(() => tileOf(bob.conference, alice.user), 'alice at bob after re-adding');
    // Mounted twice in a row: still one conference, joined once.
    el.remove();
    alice.login.appendChild(el);
    await waitFor(() => el.state === 'joined', 'not joined after a double mount', { timeout: 15000 });
    expect(bob.conference.conference!.participants).to.deep.equal([alice.user]);
  });

  it('replaces every visible string', async () => {
    const conf = uniqueConference();
    const strings = {
      leave: 'Quitter',
      mute: 'Couper le micro',
      unmute: 'Activer le micro',
      stopVideo: 'Couper la vidéo',
      startVideo: 'Activer la vidéo',
      you: 'Moi',
      controls: 'Commandes',
      devices: 'Appareils',
    };
    const alice = await signedIn(
      () =>
        html`<oovoo-conference
          conference-id=${conf}
          display-name="Alice"
          .strings=${strings}
          autojoin
        ></oovoo-conference>`,
    );
    await joined(alice);
    await alice.conference.updateComplete;
    const root = alice.conference.shadowRoot!;

    expect(root.querySelector('[part~="leave-button"]')!.textContent!.trim()).to.equal('Quitter');
    expect(root.querySelector('[part~="mic-button"]')!.textContent!.trim()).to.equal('Couper le micro');
    expect(root.querySelector('[part~="camera-button"]')!.textContent!.trim()).to.equal('Couper la vidéo');
    expect(root.querySelector('[part="controls"]')!.getAttribute('aria-label')).to.equal('Commandes');
    const tile = tileOf(alice.conference, 'local')!;
    await tile.updateComplete;
    expect(tile.shadowRoot!.querySelector('[part="name"]')!.textContent).to.equal('Alice (Moi)');
    await waitFor(() => root.querySelector('[part="devices"] summary'), 'no device chooser');
    expect(root.querySelector('[part="devices"] summary')!.textContent!.trim()).to.equal('Appareils');

    // Muted and with the camera off, each button names what pressing it does.
    alice.conference.muted = true;
    alice.conference.cameraOff = true;
    await alice.conference.updateComplete;
    expect(root.querySelector('[part~="mic-button"]')!.textContent!.trim()).to.equal('Activer le micro');
    expect(root.querySelector('[part~="camera-button"]')!.textContent!.trim()).to.equal('Activer la vidéo');
  });

  it('switches the camera from the device chooser; the other side keeps getting video', async () => {
    const conf = uniqueConference();
    const alice = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(alice);
    const bob = await signedIn(() => html`<oovoo-conference conference-id=${conf} autojoin></oovoo-conference>`);
    await joined(bob);
    await waitForVideo(() => tileOf(bob.conference, alice.user), 'alice at bob');
    const root = alice.conference.shadowRoot!;
    // The lists load with the elements' extras when the chooser first opens.
    await waitFor(() => root.querySelector('[part="devices"]'), 'no device chooser');
    root.querySelector<HTMLElement>('[part="devices"] summary')!.click();
    await waitFor(() => root.querySelector('[part="device-select"]'), 'no device lists');
    const local = await alice.conference.conference!.localStream;
    const before = local.getVideoTracks()[0]!;
    const select = root.querySelector('[part="device-select"]') as HTMLSelectElement;

    select.value = select.options[0]!.value;
    select.dispatchEvent(new Event('change'));

    await waitFor(() => local.getVideoTracks()[0] !== before, 'camera never switched');
    expect(before.readyState).to.equal('ended');
    expect(local.getVideoTracks()[0]!.readyState).to.equal('live');
    const remote = tileOf(bob.conference, alice.user)!.shadowRoot!.querySelector('video')!;
    const frames = countFrames(remote);
    await waitFor(() => frames() > 10, 'video stopped after the switch', { timeout: 15000 });
  });

  it('fires oovoo-error: outside a signed-in login, and for a bad frame rate (-40000)', async () => {
    const alone = await fixture<OovooConference>(html`<oovoo-conference conference-id="x"></oovoo-conference>`);
    const notConnected = oneEvent(alone, 'oovoo-error');
    void alone.join();
    expect((await notConnected).detail.code).to.equal(ErrorCode.UnspecifiedError);
    expect(alone.state).to.equal('error');
    await alone.updateComplete;
    expect(alone.shadowRoot!.querySelector('[part="error"]')!.getAttribute('role')).to.equal('alert');

    const alice = await signedIn(
      () => html`<oovoo-conference conference-id=${uniqueConference()} min-fps="2"></oovoo-conference>`,
    );
    const bad = oneEvent(alice.conference, 'oovoo-error');
    void alice.conference.join();
    expect((await bad).detail.code).to.equal(ErrorCode.BadRequest);
    expect(alice.conference.getAttribute('state')).to.equal('error');
    expect(alice.conference.conference).to.equal(undefined);
    await expect(alice.conference).to.be.accessible();
  });
});
