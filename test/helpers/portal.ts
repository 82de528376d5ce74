import type { Mailer, PortalMail } from '../../src/server/portal/index.js';

/** Keeps the portal's mail so tests can follow the verification link. */
export class CapturingMailer implements Mailer {
  readonly sent: PortalMail[] = [];

  async send(mail: PortalMail): Promise<void> {
    this.sent.push(mail);
  }

  /** The newest verification (or, with kind, password reset) link sent to this address. */
  linkFor(email: string, kind: PortalMail['kind'] = 'verification'): string {
    const mail = [...this.sent].reverse().find((m) => m.to === email.toLowerCase() && m.link && m.kind === kind);
    if (!mail?.link) throw new Error(`no ${kind} mail with a link to ${email}`);
    return mail.link;
  }
}

export interface PortalResponse {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** A script's view of the portal API: keeps the session cookie and sends the CSRF header. */
export class PortalClient {
  cookie = '';
  csrf = '';

  constructor(
    readonly baseUrl: string,
    /** Origin header to send on changes (null: none, like curl). */
    readonly origin: string | null = baseUrl,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    opts: {
      csrf?: string | null;
      origin?: string | null;
      contentType?: string;
      raw?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<PortalResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (this.cookie) headers.cookie = this.cookie;
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null && method !== 'GET') headers.origin = origin;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf !== null && method !== 'GET') headers['x-csrf-token'] = csrf;
    const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: payload,
      redirect: 'manual',
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie?.startsWith('oovoo_portal=')) this.cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV or empty
    }
    const result = { status: response.status, body: parsed as any, headers: response.headers };
    if (result.body && typeof result.body === 'object' && typeof result.body.csrfToken === 'string')
      this.csrf = result.body.csrfToken;
    return result;
  }

  signUp(email: string, password: string): Promise<PortalResponse> {
    return this.request('POST', '/accounts', { email, password });
  }

  signIn(email: string, password: string): Promise<PortalResponse> {
    return this.request('POST', '/session', { email, password });
  }

  /** Follows a verification link as a script would (JSON answer). */
  async verify(link: string): Promise<PortalResponse> {
    const response = await fetch(link, { headers: { accept: 'application/json' }, redirect: 'manual' });
    return { status: response.status, body: await response.json().catch(() => undefined), headers: response.headers };
  }
}

/** Signs up and verifies a developer; returns the signed-in client. */
export async function verifiedDeveloper(
  baseUrl: string,
  mailer: CapturingMailer,
  email: string,
  password = 'correct horse battery',
): Promise<PortalClient> {
  const client = new PortalClient(baseUrl);
  const signUp = await client.signUp(email, password);
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status} ${JSON.stringify(signUp.body)}`);
  const verified = await client.verify(mailer.linkFor(email));
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  return client;
}
