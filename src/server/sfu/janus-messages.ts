// The Janus API as it travels over the WebSocket transport (subprotocol `janus-protocol`): the
// messages we read, parsed from untrusted JSON into typed shapes, and the one error type every
// failure of a request becomes.

/** An SDP offer or answer as Janus carries it. */
export interface Jsep {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
}

/** One ICE candidate as the browser gives it (RTCIceCandidateInit), or end-of-candidates. */
export type TrickleCandidate =
  | { readonly candidate: string; readonly sdpMid?: string | null; readonly sdpMLineIndex?: number | null }
  | { readonly completed: true };

/** A plugin's reply or event payload (`plugindata.data`): untyped until the plugin module reads it. */
export type PluginData = Readonly<Record<string, unknown>>;

/** What a handle hears from Janus without having asked: the events routed to it by `sender`. */
export interface HandleEvents {
  /** A plugin event with no transaction of ours (e.g. a VideoRoom `updated` or `publishers` notice). */
  event: (data: PluginData, jsep: Jsep | undefined) => void;
  /** ICE and DTLS are up: media can flow. */
  webrtcup: () => void;
  /** Janus started or stopped receiving a medium on this handle. */
  media: (info: { type: string; mid: string | undefined; receiving: boolean }) => void;
  /** Janus saw losses (`uplink` true: on what it receives from the peer). */
  slowlink: (info: { uplink: boolean; mid: string | undefined; media: string | undefined; lost: number }) => void;
  /** The PeerConnection of this handle went away. */
  hangup: (reason: string) => void;
  /** The handle no longer exists in Janus. */
  detached: () => void;
  /** A candidate Janus trickles (only with full-trickle). */
  trickle: (candidate: TrickleCandidate) => void;
}

/** Why a Janus request failed. */
export type JanusErrorKind = 'janus' | 'plugin' | 'timeout' | 'overloaded' | 'connection' | 'closed' | 'protocol';

/** A failed Janus request: Janus's own error, the plugin's, or ours (timeout, no connection). */
export class JanusError extends Error {
  private constructor(
    readonly kind: JanusErrorKind,
    /** Janus's or the plugin's numeric code; 0 for failures of ours. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'JanusError';
  }

  /** Janus refused the request (`janus: "error"`), e.g. 458 no such session. */
  static fromJanus(request: string, code: number, reason: string): JanusError {
    return new JanusError('janus', code, `Janus refused ${request}: ${reason} (${code})`);
  }

  /** The plugin answered with `error_code` / `error`, e.g. VideoRoom 426 no such room. */
  static fromPlugin(request: string, code: number, reason: string): JanusError {
    return new JanusError('plugin', code, `Janus plugin refused ${request}: ${reason} (${code})`);
  }

  static timeout(request: string, ms: number): JanusError {
    return new JanusError('timeout', 0, `Janus did not answer ${request} within ${ms} ms`);
  }

  static overloaded(request: string, pending: number): JanusError {
    return new JanusError('overloaded', 0, `Janus request ${request} refused: ${pending} requests already pending`);
  }

  static connectionLost(request: string): JanusError {
    return new JanusError('connection', 0, `The connection to Janus was lost before it answered ${request}`);
  }

  static notConnected(request: string): JanusError {
    return new JanusError('connection', 0, `Not connected to Janus: cannot send ${request}`);
  }

  static closed(request: string): JanusError {
    return new JanusError('closed', 0, `The Janus client is closed: cannot send ${request}`);
  }

  static protocol(detail: string): JanusError {
    return new JanusError('protocol', 0, `Unexpected answer from Janus: ${detail}`);
  }
}

/** A message from Janus, the fields we use, checked. */
export interface JanusMessage {
  readonly janus: string;
  readonly transaction: string | undefined;
  readonly sessionId: number | undefined;
  /** The handle an event belongs to. */
  readonly sender: number | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly error: { readonly code: number; readonly reason: string } | undefined;
  readonly plugindata: PluginData | undefined;
  readonly jsep: Jsep | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const numberOr = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const stringOr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parses one WebSocket text frame from Janus; undefined when it is not a Janus message at all. */
export function parseJanusMessage(text: string): JanusMessage | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(raw) || typeof raw.janus !== 'string') return undefined;
  const error = isObject(raw.error)
    ? { code: numberOr(raw.error.code) ?? 0, reason: stringOr(raw.error.reason) ?? 'unknown error' }
    : undefined;
  const plugindata = isObject(raw.plugindata) && isObject(raw.plugindata.data) ? raw.plugindata.data : undefined;
  return {
    janus: raw.janus,
    transaction: stringOr(raw.transaction),
    sessionId: numberOr(raw.session_id),
    sender: numberOr(raw.sender),
    data: isObject(raw.data) ? raw.data : undefined,
    error,
    plugindata,
    jsep: parseJsep(raw.jsep),
    raw,
  };
}

export function parseJsep(v: unknown): Jsep | undefined {
  if (!isObject(v) || typeof v.sdp !== 'string') return undefined;
  return v.type === 'offer' || v.type === 'answer' ? { type: v.type, sdp: v.sdp } : undefined;
}

/** The plugin's own error inside a reply (`error_code` + `error`), if any. */
export function pluginError(data: PluginData | undefined): { code: number; reason: string } | undefined {
  if (!data || (data.error_code === undefined && data.error === undefined)) return undefined;
  return { code: numberOr(data.error_code) ?? 0, reason: stringOr(data.error) ?? 'unknown plugin error' };
}

export { isObject, numberOr, stringOr };
