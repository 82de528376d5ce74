import type { Reaction } from '../../protocol/index.js';

/** How each reaction of `ooVooClient.Reactions` is drawn. */
export const REACTION_EMOJI: Readonly<Record<Reaction, string>> = {
  'thumbs-up': '👍',
  clap: '👏',
  heart: '❤️',
  laugh: '😂',
  surprised: '😮',
  party: '🎉',
};

/** The reactions' accessible names, in English; replaceable through `strings` like every other text. */
export const REACTION_STRINGS: Readonly<Record<Reaction, string>> = {
  'thumbs-up': 'Thumbs up',
  clap: 'Applause',
  heart: 'Love',
  laugh: 'Laughing',
  surprised: 'Surprised',
  party: 'Celebrate',
};
