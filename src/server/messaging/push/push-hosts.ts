import { isIP } from 'node:net';

const HTTPS_PORT = 443;

interface HostRule {
  /** A WHATWG URL hostname: lower case, punycode, IPv6 in brackets. */
  readonly host: string;
  /** `*.host`: subdomains of `host` match, `host` itself does not. */
  readonly subdomains: boolean;
  readonly port: number;
}

/** A hostname the way the WHATWG URL parser writes it, or undefined when it is not a host. */
function canonicalHost(host: string, port?: number): { host: string; port: number } | undefined {
  let url: URL;
  try {
    url = new URL(`https://${host}${port === undefined ? '' : `:${port}`}/`);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
  return { host: url.hostname, port: url.port === '' ? HTTPS_PORT : Number(url.port) };
}

/**
 * The hosts (and ports) push endpoints may be on. Entries: `host`, `*.suffix`, each with an
 * optional `:port` (443 otherwise). Both the subscribe-time check and the connection itself
 * ask this list, each with the host it is about to use.
 */
export class PushHostAllowlist {
  private readonly rules: readonly HostRule[];

  constructor(readonly entries: readonly string[]) {
    this.rules = entries.map((entry) => {
      const subdomains = entry.startsWith('*.');
      const parsed = canonicalHost(subdomains ? entry.slice(2) : entry);
      if (!parsed || (subdomains && isIP(parsed.host.replace(/^\[|\]$/g, '')) !== 0)) {
        throw new Error(`messaging.push.allowedHosts: "${entry}" is not a host, *.suffix or either with :port`);
      }
      return { host: parsed.host, subdomains, port: parsed.port };
    });
  }

  /** Whether a URL's hostname (as `new URL` writes it) and port (443 when empty) are allowed. */
  allowsUrl(url: URL): boolean {
    return this.allows(url.hostname, url.port === '' ? HTTPS_PORT : Number(url.port));
  }

  /** Whether a host is on the list with some port, whatever this one is: for a clearer refusal. */
  knowsHost(hostname: string): boolean {
    return this.rules.some((rule) => matches(rule, hostname));
  }

  /**
   * Whether a connection's host and port are allowed. `host` may be bare (`::1`, as node's
   * request options carry it) or as a URL writes it (`[::1]`).
   */
  allowsConnection(host: string, port: number): boolean {
    const bracketed = isIP(host) === 6 ? `[${host}]` : host;
    const parsed = canonicalHost(bracketed, port);
    return parsed !== undefined && this.allows(parsed.host, parsed.port);
  }

  private allows(hostname: string, port: number): boolean {
    return this.rules.some((rule) => rule.port === port && matches(rule, hostname));
  }
}

function matches(rule: HostRule, hostname: string): boolean {
  return rule.subdomains ? hostname.endsWith(`.${rule.host}`) : hostname === rule.host;
}
