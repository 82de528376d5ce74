import { createContext } from '@lit/context';
import type { OoVooClient } from '../sdk/client.js';
import type { Conference } from '../sdk/conference/index.js';
import type { Reaction } from '../protocol/index.js';
import type { NetworkQuality } from '../sdk/conference/index.js';
import type { ConnectionState, VideoStateType } from '../sdk/enums.js';

/** What <oovoo-login> provides to everything inside it. */
export interface ClientContextValue {
  readonly client: OoVooClient;
  readonly userId: string | undefined;
  readonly displayName: string;
  readonly state: ConnectionState;
}

export const clientContext = createContext<ClientContextValue | undefined>(Symbol('oovoo-client'));

/** The state of <oovoo-conference>, reflected as its `state` attribute (`waiting`: its join waits in a lobby). */
export type ConferenceState = 'idle' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'left' | 'error';

/** One participant as the conference's tiles show it. */
export interface ConferenceParticipant {
  readonly uid: string;
  readonly displayName: string;
  readonly userData: string;
  readonly stream: MediaStream;
  readonly local: boolean;
  readonly video: VideoStateType;
  readonly muted: boolean;
  /** The participant's hand is raised. */
  readonly hand: boolean;
  /** The participant speaks now (the SDK's active speakers, held so it does not flicker). */
  readonly speaking: boolean;
  /** The participant's network quality (yours: your uplink), once measured. */
  readonly quality?: NetworkQuality;
  /** The participant's shared screen, while sharing. */
  readonly screen?: MediaStream;
  /** The participant's latest reaction while it shows (a new `id` for each one sent). */
  readonly reaction?: { readonly reaction: Reaction; readonly id: number };
}

/** What <oovoo-conference> provides to everything inside it (a new value on every change). */
export interface ConferenceContextValue {
  /** The SDK conference while joined (for sendData and its `events`). */
  readonly conference: Conference | undefined;
  readonly conferenceId: string;
  /** The local participant's uid while joined. */
  readonly uid: string | undefined;
  readonly state: ConferenceState;
  /** Everyone in the call, the local participant first. */
  readonly participants: readonly ConferenceParticipant[];
  /** The chosen speaker (audio output device id); '' for the default. */
  readonly sinkId: string;
  /** The pinned participant's uid ('' for none). */
  readonly pinned: string;
  /** Pins a participant ('' unpins); absent where the tiles are not the conference's own. */
  readonly pin?: (uid: string) => void;
}

export const conferenceContext = createContext<ConferenceContextValue | undefined>(Symbol('oovoo-conference'));
