import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { Agent } from 'node:https';
// @ts-expect-error: http_ece ships no types
import ece from 'http_ece';
import { generate } from 'selfsigned';

export interface ReceivedPush {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The decrypted payload, parsed as JSON. */
  readonly payload: any;
}

/** A browser's side of one subscription: the keys it made, so the stand-in can decrypt what it is sent. */
export interface StandInSubscription {
  readonly endpoint: string;
  readonly keys: { p256dh: string; auth: string };
  readonly ecdh: ECDH;
}

/**
 * A push service on loopback (HTTPS, a certificate made here): records each push and decrypts
 * its aes128gcm payload (RFC 8291) with the subscription's private key. Paths under /gone/ answer 410.
 * `holdAnswers()` keeps every request waiting until `releaseAnswers()`, to see how many a server
 * sends at once (`inFlight`, `maxInFlight`); `connections` counts TCP connections accepted.
 */
export class PushServiceStandIn {
  readonly received: ReceivedPush[] = [];
  private readonly subscriptions = new Map<string, StandInSubscription>();
  /** TCP connections accepted so far. */
  connections = 0;
  /** Requests being answered now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  private holding = false;
  private readonly held: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** An HTTPS agent that trusts this stand-in's certificate. */
    readonly agent: Agent,
    /** The stand-in's certificate (PEM), for `messaging.push.ca`. */
    readonly ca: string,
  ) {
    server.on('connection', () => this.connections++);
    server.on('request', (req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('finish', () => this.inFlight--);
      res.on('close', () => {
        if (!res.writableFinished) this.inFlight--;
      });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      const answer = () => {
        const path = req.url ?? '';
        if (path.startsWith('/gone/')) {
          res.writeHead(410).end();
          return;
        }
        const subscription = this.subscriptions.get(path);
        if (!subscription) {
          res.writeHead(404).end();
          return;
        }
        const plain = ece.decrypt(Buffer.concat(chunks), {
          version: 'aes128gcm',
          privateKey: subscription.ecdh,
          authSecret: subscription.keys.auth,
        }) as Buffer;
        this.received.push({ path, headers: req.headers, payload: JSON.parse(plain.toString('utf8')) });
        res.writeHead(201).end();
      };
      req.on('end', () => (this.holding ? this.held.push(answer) : answer()));
    });
  }

  /** `names`: DNS names the certificate also holds (a test resolver maps them to 127.0.0.1). */
  static async start(opts: { names?: readonly string[] } = {}): Promise<PushServiceStandIn> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [{ type: 7, ip: '127.0.0.1' }, ...(opts.names ?? []).map((value) => ({ type: 2 as const, value }))],
        },
      ],
    });
    const server = createServer({ key: pems.private, cert: pems.cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new PushServiceStandIn(server, port, new Agent({ ca: pems.cert }), pems.cert);
  }

  /** Keeps answers back from now on, until `releaseAnswers`. */
  holdAnswers(): void {
    this.holding = true;
  }

  /** Answers every request held so far; with `stopHolding`, answers later ones at once again. */
  releaseAnswers(opts: { stopHolding?: boolean } = {}): number {
    if (opts.stopHolding) this.holding = false;
    const answers = this.held.splice(0);
    for (const answer of answers) answer();
    return answers.length;
  }

  /** Requests waiting for `releaseAnswers`. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Makes a subscription the way a browser does: a P-256 key pair and a 16-byte auth secret. `host` defaults to 127.0.0.1. */
  subscription(name: string, opts: { gone?: boolean; host?: string } = {}): StandInSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const path = `/${opts.gone ? 'gone' : 'push'}/${name}`;
    const subscription = {
      endpoint: `https://${opts.host ?? '127.0.0.1'}:${this.port}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
      ecdh,
    };
    this.subscriptions.set(path, subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.releaseAnswers({ stopHolding: true });
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
