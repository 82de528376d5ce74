/**
 * Permitted domains and the checks made against them: callback URLs of the redirect login
 * and Origin headers. Matching is exact on the parsed host (no suffix or prefix matching),
 * and exact on the port where the domain names one.
 */

export interface Domain {
  readonly host: string;
  readonly port?: number;
}

const UNSAFE_CHARS = /[\u0000-\u0020\u007f\\]/;

/** Parses `host` or `host:port` into its canonical form; throws with a reason when it is not one. */
export function normalizeDomain(input: string): string {
  if (typeof input !== 'string' || input.length === 0 || input.length > 260 || UNSAFE_CHARS.test(input)) {
    throw new Error(`"${String(input).slice(0, 80)}" is not a host or host:port`);
  }
  let url: URL;
  try {
    url = new URL(`http://${input}/`);
  } catch {
    throw new Error(`"${input}" is not a host or host:port`);
  }
  const expectedPort = /:(\d+)$/.exec(input)?.[1];
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || !url.hostname) {
    throw new Error(`"${input}" is not a host or host:port`);
  }
  // new URL drops :80 for http; keep whatever port was written.
  const port = expectedPort === undefined ? undefined : Number(expectedPort);
  if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`"${input}" has an invalid port`);
  return port === undefined ? url.hostname : `${url.hostname}:${port}`;
}

export function parseDomain(domain: string): Domain {
  const m = /^(.*?)(?::(\d+))?$/.exec(domain)!;
  // An IPv6 host like [::1] has colons of its own; the port follows the bracket.
  if (domain.startsWith('[')) {
    const end = domain.indexOf(']');
    const rest = domain.slice(end + 1);
    return rest.startsWith(':') ? { host: domain.slice(0, end + 1), port: Number(rest.slice(1)) } : { host: domain };
  }
  return m[2] === undefined ? { host: m[1]! } : { host: m[1]!, port: Number(m[2]) };
}

function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function hostAllowed(url: URL, domains: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  return domains.some((d) => {
    const domain = parseDomain(d);
    return domain.host === host && (domain.port === undefined || domain.port === effectivePort(url));
  });
}

/**
 * Checks a callback URL of the redirect login. Returns the parsed URL when it is absolute http(s),
 * has no credentials, and its host (and port, where the domain names one) is a permitted domain.
 */
export function checkCallbackUrl(raw: unknown, domains: readonly string[]): URL | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return undefined;
  if (UNSAFE_CHARS.test(raw) || !/^https?:\/\/[^/]/i.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  return hostAllowed(url, domains) ? url : undefined;
}

/**
 * Checks an Origin header: a full origin (`https://host[:port]`, what browsers send) or a bare
 * `host[:port]` (what the spec's server-to-server sample sends). `null` and anything else fail.
 */
export function originAllowed(
  origin: string | undefined,
  domains: readonly string[],
  opts: { allowBareHost: boolean },
): boolean {
  if (!origin || origin.length > 300 || UNSAFE_CHARS.test(origin)) return false;
  if (/^https?:\/\//i.test(origin)) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    // An Origin is scheme://host[:port] and nothing more.
    if (url.origin !== origin.toLowerCase()) return false;
    return hostAllowed(url, domains);
  }
  if (!opts.allowBareHost) return false;
  let canonical: string;
  try {
    canonical = normalizeDomain(origin);
  } catch {
    return false;
  }
  const bare = parseDomain(canonical);
  return domains.some((d) => {
    const domain = parseDomain(d);
    if (domain.host !== bare.host) return false;
    return domain.port === undefined || domain.port === bare.port;
  });
}
