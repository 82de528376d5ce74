import type { PropertyDeclarations } from 'lit';
import { OovooElement } from '../base/oovoo-element.js';
import type { ConferenceState } from '../context.js';
import type { ConferenceStrings } from './conference-strings.js';
import type { ConferenceLayout } from './stage.js';

/**
 * `<oovoo-conference>`'s reactive properties (its attributes, documented on the element) with their
 * defaults, and the commands that only set one of them; the element (conference.ts) does the work.
 */
export abstract class ConferenceProperties extends OovooElement<ConferenceStrings> {
  static override properties: PropertyDeclarations = {
    conferenceId: { attribute: 'conference-id' },
    displayName: { attribute: 'display-name' },
    userData: { attribute: 'user-data' },
    resolution: {},
    minFps: { attribute: 'min-fps', type: Number },
    maxFps: { attribute: 'max-fps', type: Number },
    audio: {},
    video: {},
    layout: { reflect: true },
    maxTiles: { attribute: 'max-tiles', type: Number },
    pinned: { reflect: true },
    theme: { reflect: true },
    participantsOpen: { type: Boolean, reflect: true, attribute: 'participants-open' },
    pictureInPicture: { type: Boolean, reflect: true, attribute: 'picture-in-picture' },
    handRaised: { type: Boolean, reflect: true, attribute: 'hand-raised' },
    autojoin: { type: Boolean },
    prejoin: { type: Boolean },
    state: { reflect: true },
    muted: { type: Boolean, reflect: true },
    cameraOff: { type: Boolean, reflect: true, attribute: 'camera-off' },
    reactionsOpen: { state: true, attribute: false },
  };

  conferenceId = '';
  displayName = '';
  userData = '';
  resolution: 'normal' | 'high' | 'hd' = 'high';
  minFps = 5;
  maxFps = 15;
  audio: 'on' | 'off' = 'on';
  video: 'on' | 'off' = 'on';
  layout: ConferenceLayout = 'grid';
  maxTiles = 9;
  pinned = '';
  theme: 'dark' | 'light' | 'auto' = 'dark';
  participantsOpen = false;
  pictureInPicture = false;
  handRaised = false;
  autojoin = false;
  state: ConferenceState = 'idle';
  muted = false;
  cameraOff = false;
  prejoin = false;
  /** The camera to join with (a `deviceId`; '' for the browser's choice); the pre-join sets it. */
  cameraId = '';
  /** The microphone to join with (a `deviceId`; '' for the browser's choice); the pre-join sets it. */
  microphoneId = '';
  /** The reaction picker is open. */
  reactionsOpen = false;

  /** Mutes (true) or unmutes your microphone. */
  setMicMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** Turns your camera on (true) or off. */
  setCameraOn(on: boolean): void {
    this.cameraOff = !on;
  }

  /** Raises (true) or lowers your hand; the room sees it on your tile and in its participant panel. */
  raiseHand(raised: boolean): void {
    this.handRaised = raised;
  }

  /** Pins a participant (`''` unpins): the spotlight layout shows the pinned one large. */
  pin(uid: string): void {
    this.pinned = uid;
  }

  /** Opens or closes the participant panel. */
  toggleParticipants(): void {
    this.participantsOpen = !this.participantsOpen;
  }

  /** Opens or closes the reaction picker. */
  toggleReactions(): void {
    this.reactionsOpen = !this.reactionsOpen;
  }
}
