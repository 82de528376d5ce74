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
  /** This participant's hand changed, as the SDK tells it. */
  ownHand(raised: boolean): void;
}

/**
 * What the call adds to each participant beyond media and names: raised hands, who speaks, network
 * quality and the screen being shared, read from the SDK conference (which keeps them); and the
 * reaction showing, which only this page times. The SDK's events make the element render again.
 */
export class CallState {
  /** The conference followed, while in the call. */
  private conference: Conference | undefined;
  private readonly reactions = new Map<
    string,
    { reaction: Reaction; id: number; timer: ReturnType<typeof setTimeout> }
  >();
  private reactionIds = 0;

  constructor(private readonly host: CallStateHost) {}

  /** Who speaks now, most prominent first. */
  get speakers(): readonly string[] {
    return this.conference?.activeSpeakers ?? [];
  }

  /** Who shares a screen now, and the stream. */
  get share(): { readonly uid: string; readonly stream: MediaStream } | undefined {
    return this.conference?.screenShare;
  }

  /** Follows the conference's events; returns how to stop. */
  listen(c: Conference): Array<() => void> {
    const { events } = c;
    const host = this.host;
    this.conference = c;
    const changed = () => host.changed();
    return [
      events.on('handChanged', (e) => {
        const local = e.uid === host.selfUid();
        if (local) host.ownHand(e.raised);
        host.changed();
        host.emit(new OovooHandChangeEvent({ uid: e.uid, raised: e.raised, local }));
      }),
      events.on('reaction', (e) => {
        this.showReaction(e.uid, e.reaction);
        host.emit(new OovooReactionEvent({ uid: e.uid, reaction: e.reaction, local: e.uid === host.selfUid() }));
      }),
      events.on('activeSpeakerChanged', changed),
      events.on('networkQualityChanged', changed),
      events.on('screenShareStarted', changed),
      events.on('screenShareStopped', changed),
    ];
  }

  /** The participants as the tiles show them: with hand, reaction, speaking, quality and screen. */
  decorate(people: readonly ConferenceParticipant[]): ConferenceParticipant[] {
    const c = this.conference;
    const { speakers, share } = this;
    return people.map((p) => {
      const reaction = this.reactions.get(p.uid);
      return {
        ...p,
        hand: (p.local ? c?.handRaised : c?.remoteParticipant(p.uid)?.hand) ?? false,
        speaking: speakers.includes(p.uid),
        quality: c?.networkQuality(p.uid),
        reaction: reaction && { reaction: reaction.reaction, id: reaction.id },
        ...(share?.uid === p.uid ? { screen: share.stream } : {}),
      };
    });
  }

  /** The call ended: nothing of it is shown any more. */
  reset(): void {
    for (const { timer } of this.reactions.values()) clearTimeout(timer);
    this.reactions.clear();
    this.conference = undefined;
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
