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
 */
export class PushServiceStandIn {
  readonly received: ReceivedPush[] = [];
  private readonly subscriptions = new Map<string, StandInSubscription>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** An HTTPS agent that trusts this stand-in's certificate. */
    readonly agent: Agent,
  ) {
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
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
        const plain = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.keys.auth }) as Buffer;
        this.received.push({ path, headers: req.headers, payload: JSON.parse(plain.toString('utf8')) });
        res.writeHead(201).end();
      });
    });
  }

  static async start(): Promise<PushServiceStandIn> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const server = createServer({ key: pems.private, cert: pems.cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new PushServiceStandIn(server, port, new Agent({ ca: pems.cert }));
  }

  /** Makes a subscription the way a browser does: a P-256 key pair and a 16-byte auth secret. */
  subscription(name: string, opts: { gone?: boolean } = {}): StandInSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const path = `/${opts.gone ? 'gone' : 'push'}/${name}`;
    const subscription = {
      endpoint: `https://127.0.0.1:${this.port}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
      ecdh,
    };
    this.subscriptions.set(path, subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
