import type { Reaction } from '../../protocol/index.js';
import { EVENT_OPTIONS } from './options.js';

export interface ReactionDetail {
  readonly uid: string;
  /** One of `ooVooClient.Reactions`: `thumbs-up`, `clap`, `heart`, `laugh`, `surprised`, `party`. */
  readonly reaction: Reaction;
  /** Your own reaction. */
  readonly local: boolean;
}

/** Someone sent a reaction to the room, you too (`local: true`). */
export class OovooReactionEvent extends CustomEvent<ReactionDetail> {
  constructor(detail: ReactionDetail) {
    super('oovoo-reaction', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-reaction': OovooReactionEvent;
  }
}
