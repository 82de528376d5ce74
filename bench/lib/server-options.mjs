// The server options a bench sets explicitly: limits that are not what a row measures are lifted,
// so that the row measures the server and not a guard. Every result JSON states them.

/** A bound far above anything a bench reaches (finite: the options travel as JSON). */
const HIGH = 2 ** 40;

/**
 * Limits lifted for every bench row (ServerOptions fields; see src/server/server.ts). None is what
 * a row measures: each would otherwise turn bench traffic from a few addresses or users away.
 */
export const LIFTED_LIMITS = {
  // Thousands of bench users sign in from a few addresses within seconds.
  loginRate: { burst: HIGH, perSecond: HIGH },
  failedLoginRate: { burst: HIGH, perSecond: HIGH },
  // Thousands of sockets from the bench's source addresses (0: no cap).
  connectionLimits: { maxPerAddress: 0 },
  // Per-connection frame limit: bench connections send at most 50 frames/s, far under the default.
  sockets: { frameRate: { burst: HIGH, perSecond: HIGH } },
  messaging: {
    // Capacity steps store hundreds of thousands of messages for a few receivers and senders.
    inboxQuota: HIGH,
    storage: { senderQuotaBytes: HIGH, appQuotaBytes: HIGH, newRecipientsPerWindow: HIGH },
  },
  conference: { maxRoomsPerConnection: 64, maxRoomsPerUser: 64 },
};

/** What the benches keep at the server's defaults, and why (stated in every result JSON). */
export const KEPT_DEFAULTS = {
  'messaging.sendRate':
    'default 100/s per user: the messaging steps use enough senders that each offers at most half of it',
  'sockets.sendBufferMaxBytes / sendBufferDropBytes':
    'default: bench clients read at once; a slow-reader close would show as a drop',
  connectionLimits:
    'timeouts at their defaults (idle 8 s, keep-alive 5 s…): a login on a kept-alive socket the server just closed is retried once and counted',
  'conference.meshMax': 'default 6: C4 rooms hold 4',
  pingIntervalMs: 'default 20 s: the liveness sweep is part of holding sockets',
};

/**
 * The options for a bench server: the lifted limits, then `extra` (merged one level deep);
 * the JSON states the result.
 */
export function benchServerOptions(extra = {}) {
  const out = JSON.parse(JSON.stringify(LIFTED_LIMITS));
  for (const [key, value] of Object.entries(extra)) {
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && out[key] && typeof out[key] === 'object'
        ? { ...out[key], ...value }
        : value;
  }
  return out;
}
