import { ConferenceLimits, HostLimits } from '../../protocol/index.js';
import type { SfuOptions } from './sfu-media.js';

/** Conference settings of a server (CLI: --mesh-max, --grace, --stun-url, --turn-url, --turn-secret). */
export interface ConferenceOptions {
  /** Most participants in one mesh conference (default 6). */
  meshMax?: number;
  /** How long a dropped participant keeps its place, in milliseconds (default 15 000). */
  graceMs?: number;
  /** STUN URLs handed to clients, e.g. `stun:stun.example.com:3478`. */
  stunUrls?: readonly string[];
  /** TURN URLs handed to clients with time-limited credentials, e.g. `turn:turn.example.com:3478`. */
  turnUrls?: readonly string[];
  /** The shared secret of coturn's `use-auth-secret` (TURN REST API credentials). */
  turnSecret?: string;
  /** Lifetime of TURN credentials, in seconds (default 24 h). */
  turnTtlSeconds?: number;
  /** Most conferences one connection may be in at once (default 8; CLI --max-rooms-per-connection). */
  maxRoomsPerConnection?: number;
  /** Most conferences one user of an app may be in at once, over all its connections (default 16; CLI --max-rooms-per-user). */
  maxRoomsPerUser?: number;
  /** Most joins one room's lobby holds at once (default 50). */
  maxLobby?: number;
  /** Longest a join waits in a lobby, in milliseconds (default 5 minutes, at most 10). */
  lobbyWaitMs?: number;
  /** How often recorded conference usage is written to the store, in milliseconds (default 2 000). */
  usageFlushMs?: number;
  /** Rooms past `sfuFrom` participants go through Janus; without it every room is a mesh within `meshMax`. */
  sfu?: SfuOptions;
}

export type ResolvedConferenceOptions = Required<Omit<ConferenceOptions, 'sfu'>> & { sfu: SfuOptions | undefined };

export function resolveConferenceOptions(options: ConferenceOptions = {}): ResolvedConferenceOptions {
  const meshMax = options.meshMax ?? ConferenceLimits.defaultMeshMax;
  const graceMs = options.graceMs ?? ConferenceLimits.defaultGraceMs;
  if (!Number.isInteger(meshMax) || meshMax < 2) throw new Error('conference meshMax must be an integer of at least 2');
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new Error('conference graceMs must be 0 or more');
  const maxRoomsPerConnection = options.maxRoomsPerConnection ?? ConferenceLimits.defaultMaxRoomsPerConnection;
  const maxRoomsPerUser = options.maxRoomsPerUser ?? ConferenceLimits.defaultMaxRoomsPerUser;
  const usageFlushMs = options.usageFlushMs ?? 2000;
  if (!Number.isInteger(maxRoomsPerConnection) || maxRoomsPerConnection < 1)
    throw new Error('conference maxRoomsPerConnection must be an integer of at least 1');
  if (!Number.isInteger(maxRoomsPerUser) || maxRoomsPerUser < 1)
    throw new Error('conference maxRoomsPerUser must be an integer of at least 1');
  if (!Number.isFinite(usageFlushMs) || usageFlushMs < 1) throw new Error('conference usageFlushMs must be at least 1');
  const maxLobby = options.maxLobby ?? HostLimits.defaultMaxLobby;
  const lobbyWaitMs = options.lobbyWaitMs ?? HostLimits.defaultLobbyWaitMs;
  if (!Number.isInteger(maxLobby) || maxLobby < 1)
    throw new Error('conference maxLobby must be an integer of at least 1');
  if (!Number.isFinite(lobbyWaitMs) || lobbyWaitMs < 1 || lobbyWaitMs > HostLimits.maxLobbyWaitMs)
    throw new Error(`conference lobbyWaitMs must be from 1 to ${HostLimits.maxLobbyWaitMs}`);
  const turnUrls = options.turnUrls ?? [];
  if (turnUrls.length > 0 && !options.turnSecret) throw new Error('TURN URLs need a TURN secret (--turn-secret)');
  for (const url of [...(options.stunUrls ?? []), ...turnUrls]) {
    if (!/^(stun|stuns|turn|turns):[^\s]+$/.test(url)) throw new Error(`not a STUN or TURN URL: ${url}`);
  }
  return {
    meshMax,
    graceMs,
    stunUrls: options.stunUrls ?? [],
    turnUrls,
    turnSecret: options.turnSecret ?? '',
    turnTtlSeconds: options.turnTtlSeconds ?? 24 * 3600,
    maxRoomsPerConnection,
    maxRoomsPerUser,
    usageFlushMs,
    maxLobby,
    lobbyWaitMs,
    sfu: resolveSfuOptions(options.sfu),
  };
}

function resolveSfuOptions(sfu: SfuOptions | undefined): SfuOptions | undefined {
  if (!sfu) return undefined;
  // 'auto' is resolved to a local Janus's URL by createServer before the rooms see it.
  if (sfu.janusUrl !== 'auto' && !/^wss?:\/\/[^\s]+$/.test(sfu.janusUrl))
    throw new Error(`not a Janus WebSocket URL: ${sfu.janusUrl}`);
  const sfuFrom = sfu.sfuFrom ?? 5;
  const maxParticipants = sfu.maxParticipants ?? 50;
  if (!Number.isInteger(sfuFrom) || sfuFrom < 1) throw new Error('sfuFrom must be an integer of at least 1');
  if (!Number.isInteger(maxParticipants) || maxParticipants < sfuFrom)
    throw new Error('the SFU room size must be an integer of at least sfuFrom');
  return { ...sfu, sfuFrom, maxParticipants };
}
