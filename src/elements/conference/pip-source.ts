import type { ConferenceParticipant } from '../context.js';
import type { PipSource } from './picture-in-picture.js';
import { arrange } from './stage.js';

/** Whether this browser can show a call in picture-in-picture at all. */
export const canPictureInPicture = (): boolean =>
  typeof window !== 'undefined' &&
  ('documentPictureInPicture' in window || (typeof document !== 'undefined' && document.pictureInPictureEnabled));

/** What the window shows: what the speaker layout shows large (the share, else the speaker). */
export function pipSource(people: ConferenceParticipant[], speakers: readonly string[], screen: string): PipSource {
  const { main, screen: shared } = arrange(people, { layout: 'speaker', pinned: '', speakers, maxTiles: 1, page: 0 });
  const name = main?.displayName ?? '';
  return { stream: shared ? main?.screen : main?.stream, label: shared ? `${name}: ${screen}` : name };
}
