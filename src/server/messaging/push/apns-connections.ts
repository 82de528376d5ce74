import { connect, constants, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import {
  checkedLookup,
  forbiddenAddressRange,
  PushTargetRefusedError,
  systemResolveHost,
  type ResolveHost,
} from './address-check.js';
import type { PushHostAllowlist } from './push-hosts.js';

/** A connection with no stream for this long is closed (APNs wants connections kept, but not forever). */
const IDLE_MS = 5 * 60_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export interface Http2Targets {
  readonly allowedHosts: PushHostAllowlist;
  readonly allowPrivateAddresses: boolean;
  readonly resolveHost: ResolveHost | undefined;
  readonly ca: string | Buffer | Array<string | Buffer> | undefined;
}

export interface Http2Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * HTTP/2 connections to APNs, one per host and kept while used, as Apple asks. Each connection is
 * checked like a Web Push one before it is made: host and port on the allowlist, an IP literal or
 * every resolved address public (unless allowed), the certificate verified for the name. Each
 * request is bounded by its own deadline, its answer read up to 64 KB.
 */
export class Http2Connections {
  private readonly sessions = new Map<string, ClientHttp2Session>();

  constructor(private readonly targets: Http2Targets) {}

  request(origin: URL, headers: OutgoingHttpHeaders, body: string, timeoutMs: number): Promise<Http2Answer> {
    return new Promise((resolve, reject) => {
      let session: ClientHttp2Session;
      try {
        session = this.session(origin);
      } catch (e) {
        reject(e as Error);
        return;
      }
      const stream = session.request({ ':method': 'POST', ...headers });
      const deadline = setTimeout(() => {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(new Error(`APNs took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      deadline.unref();
      let status = 0;
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('response', (h) => (status = Number(h[':status'] ?? 0)));
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= MAX_ANSWER_BYTES) chunks.push(chunk);
        else stream.close(constants.NGHTTP2_CANCEL);
      });
      stream.on('end', () => {
        clearTimeout(deadline);
        resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (e) => {
        clearTimeout(deadline);
        reject(e);
      });
      stream.end(body);
    });
  }

  /** Closes every connection (the server is stopping). */
  destroy(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  private session(origin: URL): ClientHttp2Session {
    const key = origin.origin;
    const existing = this.sessions.get(key);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const host = origin.hostname.replace(/^\[|\]$/g, '');
    const port = origin.port === '' ? 443 : Number(origin.port);
    if (!this.targets.allowedHosts.allowsConnection(host, port))
      throw new PushTargetRefusedError(`${host}:${port} is not an allowed push service`);
    if (isIP(host) !== 0 && !this.targets.allowPrivateAddresses) {
      const range = forbiddenAddressRange(host);
      if (range) throw new PushTargetRefusedError(`${host} is a ${range} address`);
    }
    const { ca } = this.targets;
    const session = connect(origin, {
      lookup: checkedLookup(this.targets.resolveHost ?? systemResolveHost, this.targets.allowPrivateAddresses),
      // `ca` alone would replace the system's roots; Apple's must stay trusted beside a test's own.
      ...(ca === undefined ? {} : { ca: [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])] }),
    });
    session.setTimeout(IDLE_MS, () => session.close());
    // An error ends the session; the streams on it see theirs.
    session.on('error', () => this.forget(key, session));
    session.on('close', () => this.forget(key, session));
    session.on('goaway', () => this.forget(key, session));
    session.unref();
    this.sessions.set(key, session);
    return session;
  }

  private forget(key: string, session: ClientHttp2Session): void {
    if (this.sessions.get(key) === session) this.sessions.delete(key);
  }
}
