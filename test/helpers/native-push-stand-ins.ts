import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  createSecureServer,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer, type Server } from 'node:https';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { generate } from 'selfsigned';

/**
 * A certificate for 127.0.0.1, made here. Stand-ins of one test share one: TLS finds a trusted
 * certificate by its subject, and several with the same subject would shadow each other.
 */
export async function loopbackCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

/** A Google service account of our own: its JSON as a developer downloads it, and the public key to check its JWTs. */
export function makeServiceAccount(projectId = 'oovoo-test-project') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    client_email: `push@${projectId}.iam.gserviceaccount.com`,
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  return { json, text: JSON.stringify(json), publicKey };
}

/** An APNs provider key (.p8, PKCS #8 P-256) with its ids, and the public key to check its JWTs. */
export function makeApnsKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    keyId: 'ABC123DEFG',
    teamId: 'TEAM123456',
    bundleId: 'com.example.oovoo',
    publicKey,
  };
}

export interface FcmReceived {
  readonly project: string;
  readonly message: any;
}

/**
 * Google's token URI and FCM's HTTP v1 API on loopback (HTTPS). The token URI checks the
 * service account's RS256 JWT with its public key (issuer, audience, scope, lifetime) and issues
 * access tokens; the send API checks the bearer token and records each message. Device tokens
 * answer as FCM would: `gone-*` 404 UNREGISTERED, `invalid-*` 400 INVALID_ARGUMENT on
 * message.token, `busy-*` 503.
 */
export class FcmStandIn {
  readonly received: FcmReceived[] = [];
  /** JWTs exchanged at the token URI, and their claims. */
  readonly assertions: Array<Record<string, unknown>> = [];
  readonly refusedBearers: string[] = [];
  private readonly accessTokens = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly ca: string,
    private readonly account: { publicKey: KeyObject; clientEmail: string; projectId: string },
  ) {
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const reply = (status: number, json: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        this.answer(req.url ?? '', req.headers, body).then(
          ([status, json]) => reply(status, json),
          (e: unknown) => reply(400, { error: { message: String(e) } }),
        );
      });
    });
  }

  get tokenUri(): string {
    return `https://127.0.0.1:${this.port}/token`;
  }
  get baseUrl(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  static async start(
    account: { publicKey: KeyObject; json: { client_email: string; project_id: string } },
    pems: { key: string; cert: string },
  ) {
    const server = createServer({ key: pems.key, cert: pems.cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    return new FcmStandIn(server, port, pems.cert, {
      publicKey: account.publicKey,
      clientEmail: account.json.client_email,
      projectId: account.json.project_id,
    });
  }

  private async answer(path: string, headers: IncomingHttpHeaders, body: string): Promise<[number, unknown]> {
    if (path === '/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return [400, { error: 'grant' }];
      const { payload } = await jwtVerify(form.get('assertion') ?? '', this.account.publicKey, {
        algorithms: ['RS256'],
        issuer: this.account.clientEmail,
        audience: this.tokenUri,
        maxTokenAge: '1h',
      });
      if (payload.scope !== 'https://www.googleapis.com/auth/firebase.messaging') return [400, { error: 'scope' }];
      this.assertions.push({ ...payload, kid: decodeProtectedHeader(form.get('assertion')!).kid });
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      this.accessTokens.add(token);
      return [200, { access_token: token, expires_in: 3599, token_type: 'Bearer' }];
    }
    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (!send) return [404, { error: { code: 404, status: 'NOT_FOUND', message: 'no such API' } }];
    const bearer = /^Bearer (.+)$/.exec(String(headers.authorization))?.[1] ?? '';
    if (!this.accessTokens.has(bearer)) {
      this.refusedBearers.push(bearer);
      return [401, { error: { code: 401, status: 'UNAUTHENTICATED' } }];
    }
    if (send[1] !== this.account.projectId) return [403, { error: { code: 403, status: 'PERMISSION_DENIED' } }];
    const { message } = JSON.parse(body) as { message: { token: string } };
    const fcmError = (errorCode: string) => ({
      '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
      errorCode,
    });
    if (message.token.startsWith('gone-'))
      return [
        404,
        {
          error: {
            code: 404,
            status: 'NOT_FOUND',
            message: 'Requested entity was not found.',
            details: [fcmError('UNREGISTERED')],
          },
        },
      ];
    if (message.token.startsWith('invalid-'))
      return [
        400,
        {
          error: {
            code: 400,
            status: 'INVALID_ARGUMENT',
            message: 'The registration token is not a valid FCM registration token',
            details: [
              fcmError('INVALID_ARGUMENT'),
              { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.token' }] },
            ],
          },
        },
      ];
    if (message.token.startsWith('busy-')) return [503, { error: { code: 503, status: 'UNAVAILABLE' } }];
    this.received.push({ project: send[1]!, message });
    return [200, { name: `projects/${send[1]}/messages/${randomBytes(8).toString('hex')}` }];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface ApnsReceived {
  readonly deviceToken: string;
  readonly headers: IncomingHttpHeaders;
  readonly payload: any;
  /** The provider token's claims and protected header, as checked. */
  readonly claims: Record<string, unknown>;
  readonly kid: string | undefined;
}

/**
 * APNs on loopback: HTTP/2 over TLS only. Checks each request's ES256 provider token with the
 * key's public half (kid and iss too), the topic and the push type, and records it. Device tokens
 * starting `dead` answer 410 Unregistered, `bad0` 400 BadDeviceToken; a bad provider token 403.
 */
export class ApnsStandIn {
  readonly received: ApnsReceived[] = [];
  readonly refused: Array<{ status: number; reason: string }> = [];
  private readonly sessions = new Set<ServerHttp2Session>();

  private constructor(
    private readonly server: Http2SecureServer,
    readonly port: number,
    readonly ca: string,
    private readonly key: { publicKey: KeyObject; keyId: string; teamId: string; bundleId: string },
  ) {
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.answer(headers, Buffer.concat(chunks).toString('utf8')).then(
          ([status, reason]) => {
            if (status !== 200) this.refused.push({ status, reason: reason ?? '' });
            stream.respond({ ':status': status, 'apns-id': randomBytes(16).toString('hex') });
            stream.end(reason ? JSON.stringify({ reason }) : undefined);
          },
          () => undefined,
        );
      });
    });
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  static async start(
    key: { publicKey: KeyObject; keyId: string; teamId: string; bundleId: string },
    pems: { key: string; cert: string },
  ) {
    const server = createSecureServer({ key: pems.key, cert: pems.cert, allowHTTP1: false });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    return new ApnsStandIn(server, port, pems.cert, key);
  }

  private async answer(headers: IncomingHttpHeaders, body: string): Promise<[number, string | undefined]> {
    const device = /^\/3\/device\/([0-9a-f]+)$/.exec(String(headers[':path']));
    if (headers[':method'] !== 'POST' || !device) return [404, 'BadPath'];
    const jwt = /^bearer (.+)$/.exec(String(headers.authorization))?.[1] ?? '';
    let claims: Record<string, unknown>;
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jwt).kid;
      if (kid !== this.key.keyId) return [403, 'InvalidProviderToken'];
      claims = (
        await jwtVerify(jwt, this.key.publicKey, { algorithms: ['ES256'], issuer: this.key.teamId, maxTokenAge: '1h' })
      ).payload;
    } catch {
      return [403, 'InvalidProviderToken'];
    }
    if (headers['apns-topic'] !== this.key.bundleId) return [400, 'DeviceTokenNotForTopic'];
    if (!['alert', 'background'].includes(String(headers['apns-push-type']))) return [400, 'InvalidPushType'];
    const token = device[1]!;
    if (token.startsWith('dead')) return [410, 'Unregistered'];
    if (token.startsWith('bad0')) return [400, 'BadDeviceToken'];
    this.received.push({ deviceToken: token, headers, payload: JSON.parse(body), claims, kid });
    return [200, undefined];
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Connections the server under test keeps open would hold close() forever.
    for (const session of this.sessions) session.destroy();
    await closed;
  }
}

/** Calls `POST` (or `DELETE`) /1.0/push/devices as a native app does. */
export async function deviceRequest(
  baseUrl: string,
  auth: { appToken?: string; session?: string },
  body: unknown,
  method: 'POST' | 'DELETE' = 'POST',
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth.appToken !== undefined) headers['x-oovoo-app-token'] = auth.appToken;
  if (auth.session !== undefined) headers.authorization = `Bearer ${auth.session}`;
  const response = await fetch(`${baseUrl}/1.0/push/devices`, {
    method,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed };
}
