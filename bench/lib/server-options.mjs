// The server options a bench sets explicitly: limits that are not what a row measures are lifted,
// so that the row measures the server and not a guard. Every result JSON states them.

/** Limits lifted for every bench row (each is a ServerOptions field; see src/server/server.ts). */
export const LIFTED_LIMITS = {
  // Thousands of bench users sign in from one address in seconds.
  loginRate: { burst: 1_000_000, perSecond: 1_000_000 },
  failedLoginRate: { burst: 1_000_000, perSecond: 1_000_000 },
};

/**
 * The options for a bench server: the lifted limits, then `extra` (merged one level deep);
 * the JSON states the result.
 */
export function benchServerOptions(extra = {}) {
  const out = JSON.parse(JSON.stringify(LIFTED_LIMITS));
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && out[key] && typeof out[key] === 'object' ? { ...out[key], ...value } : value;
  }
  return out;
}
