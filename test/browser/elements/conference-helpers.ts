import type { TemplateResult } from 'lit';
import '../../../src/elements/conference/conference.js';
import type { OovooConference } from '../../../src/elements/conference/conference.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import type { OovooVideoTile } from '../../../src/elements/video-tile/video-tile.js';
import { waitFor } from '../helpers.js';
import { signedInLogin } from './signed-in.js';

export interface Person {
  user: string;
  login: OovooLogin;
  conference: OovooConference;
  /** Every oovoo event that reached the login element, in order: [type, detail]. */
  events: Array<[string, any]>;
}

const RECORDED = [
  'oovoo-state-change',
  'oovoo-participant-join',
  'oovoo-participant-leave',
  'oovoo-join',
  'oovoo-leave',
  'oovoo-leave-request',
  'oovoo-data',
  'oovoo-error',
  'oovoo-hand-change',
  'oovoo-reaction',
  'oovoo-pin-change',
] as const;

/**
 * A signed-in <oovoo-login> holding the conference `inner` renders (with the user's id at hand).
 * Resolves once the login is connected.
 */
export async function signedIn(inner: (user: string) => TemplateResult, prefix = 'conf'): Promise<Person> {
  const events: Array<[string, any]> = [];
  const holder = document.createElement('div');
  for (const type of RECORDED) holder.addEventListener(type, (e) => events.push([type, (e as CustomEvent).detail]));
  document.body.appendChild(holder);
  const { user, login } = await signedInLogin(inner, { prefix, parentNode: holder });
  return { user, login, conference: login.querySelector('oovoo-conference')!, events };
}

export function uniqueConference(): string {
  return `room-${Math.random().toString(36).slice(2, 10)}`;
}

/** The built-in tile of one participant ('local' or a uid) inside a conference's shadow DOM. */
export function tileOf(conference: OovooConference, participant: string): OovooVideoTile | null {
  return conference.shadowRoot!.querySelector(`oovoo-video-tile[participant="${CSS.escape(participant)}"]`);
}

/** Waits until a tile's video decodes frames. */
export async function waitForVideo(tile: () => OovooVideoTile | null, what: string): Promise<HTMLVideoElement> {
  let video: HTMLVideoElement | null | undefined;
  await waitFor(
    () => {
      video = tile()?.shadowRoot?.querySelector('video');
      return !!video && video.videoWidth > 0 && !video.paused;
    },
    `no video: ${what}`,
    { timeout: 20000, interval: 100 },
  );
  return video!;
}

/**
 * Counts the frames `video` presents from now on; the returned function reads the count. Counted with
 * requestVideoFrameCallback: Firefox counts no getVideoPlaybackQuality() frames for a MediaStream.
 */
export function countFrames(video: HTMLVideoElement): () => number {
  let presented = 0;
  const count = () => {
    presented++;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  return () => presented;
}

export const types = (person: Person) =>
  person.events.map(([type, detail]) => (type === 'oovoo-state-change' ? `state:${detail.type}` : type));

/** Waits for the person's oovoo-join (recorded from the start, so an early one is not missed). */
export async function joined(person: Person): Promise<void> {
  await waitFor(
    () => person.events.some(([t]) => t === 'oovoo-join' || t === 'oovoo-error'),
    `${person.user} never joined`,
    { timeout: 15000 },
  );
  const error = person.events.find(([t]) => t === 'oovoo-error');
  if (error) throw new Error(`${person.user} failed to join: ${JSON.stringify(error[1])}`);
}
