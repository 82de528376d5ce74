import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/elements/conference/conference.js';
import '../../../src/elements/prejoin/prejoin.js';
import type { OovooPrejoin, PrejoinChoices } from '../../../src/elements/prejoin/prejoin.js';
import { DEFAULT_STRINGS } from '../../../src/elements/prejoin/prejoin-strings.js';
import { waitFor } from '../helpers.js';
import { joined, signedIn, uniqueConference } from './conference-helpers.js';

type Capture = (constraints?: MediaStreamConstraints) => Promise<MediaStream>;

/** Every getUserMedia call (its constraints) and every track it gave, while a test runs; `fail` makes a kind refuse. */
const capture = {
  asked: [] as MediaStreamConstraints[],
  tracks: [] as MediaStreamTrack[],
  fail: {} as Partial<Record<'audio' | 'video', string>>,
  original: undefined as Capture | undefined,
  install(): void {
    const devices = navigator.mediaDevices;
    this.original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      this.asked.push(constraints ?? {});
      const refused = constraints?.video ? this.fail.video : this.fail.audio;
      if (refused) throw new DOMException('refused by the test', refused);
      const stream = await this.original!(constraints);
      this.tracks.push(...stream.getTracks());
      return stream;
    };
  },
  uninstall(): void {
    if (this.original) navigator.mediaDevices.getUserMedia = this.original;
    for (const track of this.tracks) track.stop();
    this.asked = [];
    this.tracks = [];
    this.fail = {};
  },
  live(kind: 'audio' | 'video'): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === kind && t.readyState === 'live');
  },
};

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const preview = (el: OovooPrejoin) => part(el, 'preview') as HTMLVideoElement | null;
const meter = (el: OovooPrejoin) => part(el, 'meter') as HTMLMeterElement;

async function previewPlays(el: OovooPrejoin): Promise<void> {
  await waitFor(() => {
    const video = preview(el);
    return !!video && video.videoWidth > 0 && !video.paused;
  }, 'the preview never played');
}

describe('<oovoo-prejoin>', () => {
  beforeEach(() => capture.install());
  afterEach(() => capture.uninstall());

  it('renders: the preview plays, the meter moves, devices listed, the name filled in, parts present, accessible', async () => {
    const el = await fixture<OovooPrejoin>(html`<oovoo-prejoin display-name="Ada"></oovoo-prejoin>`);

    await previewPlays(el);
    // The fake microphone beeps: the level rises above silence and changes from frame to frame.
    const levels = new Set<number>();
    await waitFor(
      () => {
        levels.add(meter(el).value);
        return [...levels].filter((v) => v > 0.2).length >= 2;
      },
      `the meter never moved (levels ${[...levels].join(', ')})`,
    );
    await waitFor(() => part(el, 'camera-select') && part(el, 'microphone-select'), 'no device lists');
    const cameras = [...(part(el, 'camera-select') as HTMLSelectElement).options];
    expect(cameras.length).to.be.greaterThan(0);
    expect(cameras.every((o) => o.textContent!.trim() !== '')).to.equal(true);
    expect((part(el, 'name-input') as HTMLInputElement).value).to.equal('Ada');
    for (const name of ['base', 'preview', 'form', 'camera-switch', 'mic-switch', 'meter', 'test-sound', 'join-button'])
      expect(part(el, name), name).to.not.equal(null);
    expect(part(el, 'camera-switch')!.getAttribute('aria-checked')).to.equal('true');
    expect(el.getAttribute('audio')).to.equal('on');
    await expect(el).to.be.accessible();
  });

  it('switches close what is off (the camera light goes out); a chosen camera opens exactly; Join fires the choices and closes everything', async () => {
    const el = await fixture<OovooPrejoin>(html`<oovoo-prejoin></oovoo-prejoin>`);
    await previewPlays(el);
    await waitFor(() => capture.live('audio').length === 1, 'the microphone never opened');

    part(el, 'camera-switch')!.click();
    await el.updateComplete;
    expect(el.getAttribute('video')).to.equal('off');
    expect(part(el, 'camera-switch')!.getAttribute('aria-checked')).to.equal('false');
    expect(capture.live('video')).to.deep.equal([], 'the camera is closed');
    expect(part(el, 'placeholder')!.textContent).to.contain('Camera off');

    part(el, 'mic-switch')!.click();
    await el.updateComplete;
    expect(capture.live('audio')).to.deep.equal([], 'the microphone is closed');
    expect(meter(el).hidden).to.equal(true);

    part(el, 'camera-switch')!.click();
    await previewPlays(el);
    const select = part(el, 'camera-select') as HTMLSelectElement;
    const cameraId = select.options[select.options.length - 1]!.value;
    select.value = cameraId;
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.getAttribute('camera-id')).to.equal(cameraId);
    await waitFor(
      () => capture.asked.some((c) => String(JSON.stringify(c.video)).includes(cameraId)),
      'never asked for it',
    );
    await waitFor(() => capture.live('video')[0]?.getSettings().deviceId === cameraId, 'the chosen camera not open');
    await previewPlays(el);

    const name = part(el, 'name-input') as HTMLInputElement;
    name.value = '  Ada Lovelace ';
    name.dispatchEvent(new Event('input'));
    const fired = oneEvent(el, 'oovoo-prejoin-join');
    part(el, 'join-button')!.click();
    const choices: PrejoinChoices = (await fired).detail;

    expect(choices).to.deep.equal({
      displayName: 'Ada Lovelace',
      audio: false,
      video: true,
      cameraId,
      microphoneId: '',
      speakerId: '',
    });
    expect(capture.live('video')).to.deep.equal([], 'Join closed the camera');
    expect(capture.asked.filter((c) => c.audio).length).to.equal(1, 'the microphone was opened once, at the start');
  });

  it('audio="off": the microphone is never opened', async () => {
    const el = await fixture<OovooPrejoin>(html`<oovoo-prejoin audio="off"></oovoo-prejoin>`);
    await previewPlays(el);

    expect(capture.asked.filter((c) => c.audio)).to.deep.equal([]);
    expect(capture.tracks.map((t) => t.kind)).to.deep.equal(['video']);
    expect(part(el, 'mic-switch')!.getAttribute('aria-checked')).to.equal('false');
    expect(el.choices.audio).to.equal(false);
  });

  for (const [name, key] of [
    ['NotAllowedError', 'deviceDenied'],
    ['NotFoundError', 'deviceNotFound'],
    ['NotReadableError', 'deviceInUse'],
    ['OverconstrainedError', 'deviceUnavailable'],
  ] as const) {
    it(`a ${name} is explained in words with what to do, never as a code; Try again opens it`, async () => {
      capture.fail = { video: name, audio: name };
      const el = await fixture<OovooPrejoin>(html`<oovoo-prejoin></oovoo-prejoin>`);

      await waitFor(() => el.shadowRoot!.querySelectorAll('[part="error"]').length === 2, 'no errors shown');
      const errors = [...el.shadowRoot!.querySelectorAll('[part="error"]')].map((e) =>
        e.textContent!.replace(/\s+/g, ' '),
      );
      expect(errors[0]).to.contain('Camera:').and.to.contain(DEFAULT_STRINGS[key]);
      expect(errors[1]).to.contain('Microphone:').and.to.contain(DEFAULT_STRINGS[key]);
      for (const text of errors) expect(text).to.not.contain(name).and.to.not.contain('refused by the test');
      await expect(el).to.be.accessible();

      capture.fail = {};
      part(el, 'retry')!.click();
      await previewPlays(el);
      expect(el.shadowRoot!.querySelectorAll('[part="error"]').length).to.equal(1, 'the microphone still says why');
    });
  }

  it('the test sound plays on the chosen speaker (setSinkId)', async () => {
    const sinks: string[] = [];
    const proto = HTMLMediaElement.prototype as HTMLMediaElement & { setSinkId(id: string): Promise<void> };
    const setSinkId = proto.setSinkId;
    proto.setSinkId = async (id: string) => void sinks.push(id);
    try {
      const el = await fixture<OovooPrejoin>(html`<oovoo-prejoin speaker-id="speaker-2"></oovoo-prejoin>`);
      const button = part(el, 'test-sound') as HTMLButtonElement;
      button.click();
      await waitFor(() => button.disabled, 'the test sound never started');
      await waitFor(() => !button.disabled, 'the test sound never ended');
      expect(sinks).to.deep.equal(['speaker-2']);
    } finally {
      proto.setSinkId = setSinkId;
    }
  });
});

describe('<oovoo-conference prejoin>', () => {
  beforeEach(() => capture.install());
  afterEach(() => capture.uninstall());

  it('shows the pre-join instead of the tiles and Join button; its Join joins with exactly those choices', async function () {
    this.timeout(40_000);
    const conf = uniqueConference();
    const alice = await signedIn(
      () => html`<oovoo-conference conference-id=${conf} prejoin autojoin></oovoo-conference>`,
    );
    const el = alice.conference;
    await waitFor(() => el.shadowRoot!.querySelector('oovoo-prejoin'), 'no pre-join shown');
    const prejoin = el.shadowRoot!.querySelector('oovoo-prejoin')!;
    expect(el.state).to.equal('idle', 'autojoin waits for the pre-join');
    expect(el.shadowRoot!.querySelector('[part~="join-button"]')).to.equal(null);
    await previewPlays(prejoin);
    await expect(el).to.be.accessible();

    part(prejoin, 'mic-switch')!.click();
    await prejoin.updateComplete;
    const name = part(prejoin, 'name-input') as HTMLInputElement;
    name.value = 'Grace';
    name.dispatchEvent(new Event('input'));
    const cameraId = prejoin.choices.cameraId;
    expect(cameraId).to.not.equal('');
    capture.asked = [];
    part(prejoin, 'join-button')!.click();
    await joined(alice);

    expect(el.shadowRoot!.querySelector('oovoo-prejoin')).to.equal(null);
    expect(el.muted).to.equal(true);
    expect(el.conference!.AudioController.isRecorderMuted()).to.equal(true);
    const stream = await el.conference!.localStream;
    expect(stream.getAudioTracks()).to.deep.equal([], 'the microphone was not opened for the call');
    expect(stream.getVideoTracks()[0]!.getSettings().deviceId).to.equal(cameraId);
    expect(capture.asked.map((c) => !!c.audio)).to.deep.equal([false], 'the call asked for the camera alone');
    expect(alice.events.find(([t]) => t === 'oovoo-participant-join')![1].displayName).to.equal('Grace');
  });
});
