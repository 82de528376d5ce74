/**
 * Bounds on what one WebSocket may cost the server: bytes waiting to be written to a reader
 * that does not read, and frames per second from a writer that does not stop (reliability B1, B3).
 */
export interface SocketLimitOptions {
  /**
   * Past this many bytes waiting to be written to a socket, best-effort frames (`conf.data`, `msg.typing`)
   * are dropped instead of queued. Default 256 KiB.
   */
  sendBufferDropBytes?: number;
  /**
   * The most bytes that may wait to be written to one socket. A frame that would go past it,
   * or droppable frames dropped past it since the reader last caught up, close the socket with
   * 1013. Default 1 MiB (CLI: --send-buffer-max).
   */
  sendBufferMaxBytes?: number;
  /** How long a socket closed by the server may take to finish the close before it is cut. Default 2 000 ms. */
  closeTimeoutMs?: number;
  /** Frames of every type from one connection: bucket size and refill per second. Default 1 000 and 500/s (CLI: --frame-rate). */
  frameRate?: { burst: number; perSecond: number };
  /** Refused frames within 10 s after which a connection that keeps sending is closed with 1008. Default 500. */
  refusedFramesBeforeClose?: number;
}

export type ResolvedSocketLimits = Required<SocketLimitOptions>;

export const SOCKET_LIMIT_DEFAULTS: ResolvedSocketLimits = {
  sendBufferDropBytes: 256 * 1024,
  sendBufferMaxBytes: 1024 * 1024,
  closeTimeoutMs: 2000,
  frameRate: { burst: 1000, perSecond: 500 },
  refusedFramesBeforeClose: 500,
};

/** Fills in defaults and checks the values; throws on a value that cannot work. */
export function resolveSocketLimits(options: SocketLimitOptions = {}): ResolvedSocketLimits {
  const maxBytes = options.sendBufferMaxBytes ?? SOCKET_LIMIT_DEFAULTS.sendBufferMaxBytes;
  // The drop threshold follows a lowered maximum so that dropping still comes before closing.
  const dropBytes =
    options.sendBufferDropBytes ?? Math.min(SOCKET_LIMIT_DEFAULTS.sendBufferDropBytes, Math.floor(maxBytes / 4));
  const resolved: ResolvedSocketLimits = {
    sendBufferDropBytes: dropBytes,
    sendBufferMaxBytes: maxBytes,
    closeTimeoutMs: options.closeTimeoutMs ?? SOCKET_LIMIT_DEFAULTS.closeTimeoutMs,
    frameRate: options.frameRate ?? SOCKET_LIMIT_DEFAULTS.frameRate,
    refusedFramesBeforeClose: options.refusedFramesBeforeClose ?? SOCKET_LIMIT_DEFAULTS.refusedFramesBeforeClose,
  };
  // 70 KB: a frame of the largest size a client may send must fit, or relaying it would close the reader.
  if (!Number.isInteger(maxBytes) || maxBytes < 70 * 1024)
    throw new Error('sendBufferMaxBytes must be an integer of at least 71680');
  if (!Number.isInteger(dropBytes) || dropBytes < 0 || dropBytes > maxBytes)
    throw new Error('sendBufferDropBytes must be from 0 to sendBufferMaxBytes');
  if (!(resolved.closeTimeoutMs >= 0)) throw new Error('closeTimeoutMs must be 0 or more');
  const { burst, perSecond } = resolved.frameRate;
  if (!(burst >= 1) || !(perSecond > 0)) throw new Error('frameRate needs a burst of at least 1 and a positive rate');
  if (!Number.isInteger(resolved.refusedFramesBeforeClose) || resolved.refusedFramesBeforeClose < 0) {
    throw new Error('refusedFramesBeforeClose must be an integer of 0 or more');
  }
  return resolved;
}
