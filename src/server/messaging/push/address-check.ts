import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (the agent connects only to these, once checked). */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The system resolver, every address. */
export const systemResolveHost: ResolveHost = (hostname) => dns.lookup(hostname, { all: true });

/** NAT64's well-known prefix (RFC 6052): the IPv4 address in its last 32 bits decides. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * Why an address must not be connected to (its ipaddr.js range: `loopback`, `private`,
 * `linkLocal`, `uniqueLocal`, `carrierGradeNat`, `multicast`, `unspecified`, `reserved`...), or
 * undefined for a public unicast address. IPv4-mapped and NAT64 IPv6 addresses are judged by the
 * IPv4 address inside; every other special IPv6 range (6to4, Teredo...) is refused outright.
 */
export function forbiddenAddressRange(address: string): string | undefined {
  if (isIP(address) === 0) return 'invalid';
  let ip = ipaddr.process(address);
  if (ip.kind() === 'ipv6' && ip.match(NAT64)) {
    const bytes = ip.toByteArray().slice(12);
    ip = ipaddr.fromByteArray(bytes);
  }
  const range = ip.range();
  return range === 'unicast' ? undefined : range;
}

/** A refused push target: the host is not allowed, or it is (or resolves to) a non-public address. */
export class PushTargetRefusedError extends Error {
  readonly code = 'EPUSHTARGET';
  constructor(message: string) {
    super(message);
    this.name = 'PushTargetRefusedError';
  }
}

/**
 * A `lookup` for node's sockets that resolves with `resolveHost` and fails unless every address is
 * public (or `allowPrivate`). The socket connects to the addresses returned here and nowhere else,
 * so there is no window between the check and the connection for DNS rebinding.
 */
export function checkedLookup(resolveHost: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveHost(hostname).then(
      (found) => {
        const addresses = found.filter((a) => !options.family || a.family === options.family);
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
          return;
        }
        if (!allowPrivate) {
          for (const a of addresses) {
            const range = forbiddenAddressRange(a.address);
            // One bad answer refuses the host: a push service never resolves to a private address.
            if (range) {
              callback(new PushTargetRefusedError(`${hostname} resolves to a ${range} address`), '');
              return;
            }
          }
        }
        if (options.all)
          callback(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (e: unknown) => callback(e as NodeJS.ErrnoException, ''),
    );
  };
}
