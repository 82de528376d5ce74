import ipaddr from 'ipaddr.js';

/** The named ranges `trustProxy` accepts, as proxy-addr (behind Fastify) defines them. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * A test for "is this peer one of these addresses": IPs, CIDRs (a prefix length or an IPv4
 * netmask) and the named ranges of `trustProxy`. IPv4-mapped IPv6 peers match their IPv4 form.
 * Entries are expected to have been checked already (trust-proxy.ts); one that does not parse matches nothing.
 */
export function addressMatcher(entries: readonly string[]): (address: string | undefined) => boolean {
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const entry of entries.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const range = parseRange(entry);
    if (range) ranges.push(range);
  }
  return (address) => {
    if (!address || !ipaddr.isValid(address)) return false;
    const ip = ipaddr.process(address);
    return ranges.some(([base, bits]) => ip.kind() === base.kind() && ip.match(base, bits));
  };
}

function parseRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  try {
    const slash = entry.indexOf('/');
    if (slash === -1) {
      const ip = ipaddr.process(entry);
      return [ip, ip.kind() === 'ipv4' ? 32 : 128];
    }
    const mask = entry.slice(slash + 1);
    if (ipaddr.IPv4.isValidFourPartDecimal(mask)) {
      const bits = ipaddr.IPv4.parse(mask).prefixLengthFromSubnetMask();
      return bits === null ? undefined : [ipaddr.process(entry.slice(0, slash)), bits];
    }
    return ipaddr.parseCIDR(entry);
  } catch {
    return undefined;
  }
}
