import type { Reaction } from '../../protocol/index.js';
import type { Conference } from '../../sdk/conference/index.js';
import type { ConferenceParticipant } from '../context.js';
import { OovooHandChangeEvent, OovooReactionEvent } from '../events/index.js';

/** How long a reaction shows on its tile (its animation fades it out before). */
const REACTION_SHOWN_MS = 4_000;

/** What the call state reports to the conference controller. */
export interface CallStateHost {
  /** The local participant's uid while in the call. */
  selfUid(): string | undefined;
  /** Something shown changed. */
  changed(): void;
  /** An `oovoo-*` event for the element. */
  emit(event: Event): void;
  /** This participant's hand, as the SDK tells it. */
  ownHand(raised: boolean): void;
}

/**
 * What the call adds to each participant beyond media and names: raised hands, the reaction
 * showing, who speaks, network quality and the screen being shared, kept from the SDK's events.
 */
export class CallState {
  speakers: readonly string[] = [];
  share: { readonly uid: string; readonly stream: MediaStream } | undefined;
  private readonly hands = new Set<string>();
  /** The conference followed, which rates each participant's network. */
  private conference: Conference | undefined;
  private readonly reactions = new Map<
    string,
    { reaction: Reaction; id: number; timer: ReturnType<typeof setTimeout> }
  >();
  private reactionIds = 0;

  constructor(private readonly host: CallStateHost) {}

  /** Follows the conference's events; returns how to stop. */
  listen(c: Conference): Array<() => void> {
    const { events } = c;
    const host = this.host;
    this.conference = c;
    return [
      events.on('participantJoined', (e) => this.setHand(e.uid, e.hand)),
      events.on('handChanged', (e) => {
        const local = e.uid === host.selfUid();
        this.setHand(e.uid, e.raised);
        if (local) host.ownHand(e.raised);
        host.changed();
        host.emit(new OovooHandChangeEvent({ uid: e.uid, raised: e.raised, local }));
      }),
      events.on('reaction', (e) => {
        this.showReaction(e.uid, e.reaction);
        host.emit(new OovooReactionEvent({ uid: e.uid, reaction: e.reaction, local: e.uid === host.selfUid() }));
      }),
      events.on('activeSpeakerChanged', (e) => {
        this.speakers = e.speakers;
        host.changed();
      }),
      events.on('networkQualityChanged', () => host.changed()),
      events.on('screenShareStarted', (e) => {
        this.share = { uid: e.uid, stream: e.stream };
        host.changed();
      }),
      events.on('screenShareStopped', (e) => {
        if (this.share?.uid === e.uid) this.share = undefined;
        host.changed();
      }),
    ];
  }

  /** A participant as the tiles show it: with hand, reaction, speaking, quality and screen. */
  decorate(p: ConferenceParticipant): ConferenceParticipant {
    const reaction = this.reactions.get(p.uid);
    return {
      ...p,
      hand: this.hands.has(p.uid),
      speaking: this.speakers.includes(p.uid),
      quality: this.conference?.networkQuality(p.uid),
      reaction: reaction && { reaction: reaction.reaction, id: reaction.id },
      ...(this.share?.uid === p.uid ? { screen: this.share.stream } : {}),
    };
  }

  /** The call ended: nothing of it is shown any more. */
  reset(): void {
    for (const { timer } of this.reactions.values()) clearTimeout(timer);
    this.reactions.clear();
    this.hands.clear();
    this.conference = undefined;
    this.speakers = [];
    this.share = undefined;
  }

  private setHand(uid: string, raised: boolean): void {
    if (raised) this.hands.add(uid);
    else this.hands.delete(uid);
  }

  /** Shows a reaction on the participant's tile for a while (a newer one replaces it). */
  private showReaction(uid: string, reaction: Reaction): void {
    clearTimeout(this.reactions.get(uid)?.timer);
    const timer = setTimeout(() => {
      this.reactions.delete(uid);
      this.host.changed();
    }, REACTION_SHOWN_MS);
    this.reactions.set(uid, { reaction, id: ++this.reactionIds, timer });
    this.host.changed();
  }
}
