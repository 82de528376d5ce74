import { isIP } from 'node:net';

/** Names proxy-addr (behind Fastify's `trustProxy`) understands in place of addresses. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Normalizes the `trustProxy` server option for Fastify: off (`false`) when unset, else the list of
 * proxy addresses, CIDRs and named ranges whose X-Forwarded-For is believed. Throws a message an
 * operator can act on.
 *
 * Not offered: `true` (trust any peer) and hop counts. Both believe the header from a peer that is
 * not known to be a proxy, so a client reaching the server directly chooses its own address; the
 * Fastify in use treats a numeric `trustProxy` as "trust nothing" for that reason.
 */
export function fastifyTrustProxy(value: string | readonly string[] | undefined): false | string[] {
  if (value === undefined) return false;
  const entries = (typeof value === 'string' ? value.split(',') : [...value]).map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('trust-proxy: give at least one proxy address or CIDR');
  for (const entry of entries) {
    if (/^\d+$/.test(entry)) {
      throw new Error(
        'trust-proxy: give the proxy addresses or CIDRs (e.g. 127.0.0.1 or 10.0.0.0/8), not a hop count: a hop count trusts any peer',
      );
    }
    if (!isTrustableEntry(entry)) {
      throw new Error(
        `trust-proxy: ${JSON.stringify(entry.slice(0, 64))} is not an IP address, a CIDR, or one of ${[...NAMED_RANGES].join(', ')}`,
      );
    }
  }
  return entries;
}

function isTrustableEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const slash = entry.indexOf('/');
  if (slash === -1) return isIP(entry) !== 0;
  const address = entry.slice(0, slash);
  const mask = entry.slice(slash + 1);
  const family = isIP(address);
  if (family === 0) return false;
  // A prefix length, or (IPv4) a dotted netmask as proxy-addr also takes.
  if (/^\d{1,3}$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(mask) === 4;
}
