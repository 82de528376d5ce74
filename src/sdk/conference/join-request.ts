import { HostLimits, type JoinResult } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';

/** Who joins which conference. */
export interface Identity {
  readonly conf: string;
  readonly uid: string;
  readonly userData: string;
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown) => typeof v === 'string';
const maybeText = (v: unknown) => v === undefined || isText(v);

const isParticipant = (p: unknown) =>
  isObject(p) && isText(p.uid) && p.uid !== '' && isText(p.userData) && (p.video === 'PLAY' || p.video === 'PAUSED');

const isIceServer = (s: unknown) =>
  isObject(s) &&
  Array.isArray(s.urls) &&
  s.urls.length > 0 &&
  s.urls.every(isText) &&
  maybeText(s.username) &&
  maybeText(s.credential);

/**
 * The server's answer to `conf.join`, its shape checked before the SDK reads it. The server is held
 * to the full schema (ConferenceServerFrames.joinResult) by its tests and the frame fuzzer, which also
 * runs this check on every answer; the page checks the shape instead of carrying the validator
 * (about 0.6 KB brotli of the script).
 */
export function readJoinResult(raw: unknown): JoinResult {
  const ok =
    isObject(raw) &&
    isText(raw.conf) &&
    Array.isArray(raw.participants) &&
    raw.participants.every(isParticipant) &&
    Array.isArray(raw.iceServers) &&
    raw.iceServers.every(isIceServer) &&
    typeof raw.resumed === 'boolean' &&
    typeof raw.graceMs === 'number' &&
    raw.graceMs >= 0 &&
    (raw.mode === 'mesh' || raw.mode === 'sfu') &&
    (raw.epoch === undefined || Number.isInteger(raw.epoch));
  if (!ok) throw OoVooError.unspecified("The server's join answer was not understood.");
  return raw as unknown as JoinResult;
}

/** Asks to join; resolves with the server's answer, its shape checked. */
export async function requestJoin(signal: SignalClient, id: Identity, instance: string): Promise<JoinResult> {
  // A room's lobby may hold the answer until a host lets us in (the server bounds the wait).
  const frame = { t: 'conf.join', conf: id.conf, uid: id.uid, userData: id.userData, instance };
  const raw = await signal.request(frame, { timeoutMs: HostLimits.maxLobbyWaitMs + 10_000 });
  return readJoinResult(raw);
}

/** The answer's ICE servers as RTCPeerConnection takes them. */
export function toIceServers(result: JoinResult): RTCIceServer[] {
  return result.iceServers.map((s) => ({
    urls: [...s.urls],
    ...(s.username ? { username: s.username, credential: s.credential } : {}),
  }));
}
