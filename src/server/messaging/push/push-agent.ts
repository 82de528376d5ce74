import { Agent, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import {
  checkedLookup,
  forbiddenAddressRange,
  PushTargetRefusedError,
  systemResolveHost,
  type ResolveHost,
} from './address-check.js';
import type { PushHostAllowlist } from './push-hosts.js';

export interface PushAgentOptions {
  readonly allowedHosts: PushHostAllowlist;
  readonly allowPrivateAddresses: boolean;
  readonly resolveHost: ResolveHost | undefined;
  readonly ca: string | Buffer | Array<string | Buffer> | undefined;
  /** Most time a connection may live; it carries one push (no keep-alive), so this bounds the push. */
  readonly deadlineMs: number;
}

/**
 * The HTTPS agent every Web Push goes through. Right before each connection it checks the host
 * and port against the allowlist, and the address: an IP literal directly (node skips `lookup`
 * for those), a name through a `lookup` that refuses non-public answers, so the address checked
 * is the address connected to. TLS still verifies the certificate for the name (SNI and Host
 * come from the URL, not from the address).
 */
export class PushAgent extends Agent {
  private readonly targets: PushAgentOptions;

  constructor(targets: PushAgentOptions) {
    super({
      keepAlive: false,
      lookup: checkedLookup(targets.resolveHost ?? systemResolveHost, targets.allowPrivateAddresses),
      // `ca` alone would replace the system's roots; real push services must stay trusted beside it.
      ...(targets.ca === undefined
        ? {}
        : { ca: [...rootCertificates, ...(Array.isArray(targets.ca) ? targets.ca : [targets.ca])] }),
    });
    this.targets = targets;
  }

  override createConnection(
    options: RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const refusal = this.refusal(options);
    if (refusal) {
      if (!callback) throw refusal;
      callback(refusal, undefined as unknown as Duplex);
      return undefined;
    }
    const socket = super.createConnection(options, callback);
    if (socket) {
      const deadline = setTimeout(
        () => socket.destroy(new Error(`push took longer than ${this.targets.deadlineMs} ms`)),
        this.targets.deadlineMs,
      );
      deadline.unref();
      socket.once('close', () => clearTimeout(deadline));
    }
    return socket;
  }

  private refusal(options: RequestOptions): PushTargetRefusedError | undefined {
    const host = options.host ?? options.hostname ?? '';
    const port = Number(options.port ?? 443);
    if (!this.targets.allowedHosts.allowsConnection(host, port))
      return new PushTargetRefusedError(`${host}:${port} is not an allowed push service`);
    if (isIP(host) !== 0 && !this.targets.allowPrivateAddresses) {
      const range = forbiddenAddressRange(host);
      if (range) return new PushTargetRefusedError(`${host} is a ${range} address`);
    }
    return undefined;
  }
}
