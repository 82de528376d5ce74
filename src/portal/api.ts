/** The portal's view of the /api/v1 answers (see src/server/portal/openapi.ts). */
import type { UsageDay, UsageReport } from '../protocol/portal.js';

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly role: 'developer' | 'operator';
  readonly verified: boolean;
}

export interface App {
  readonly id: string;
  readonly name: string;
  readonly domains: readonly string[];
  readonly blocked: boolean;
  readonly clientLogin: 'all' | 'sandbox' | 'none';
  /** Days conversations' history is kept (0: none). */
  readonly historyDays: number;
  readonly createdAt: string;
  readonly owner?: string | null;
}

export interface IssuedToken {
  readonly id: string;
  readonly token: string;
  readonly type: 'web' | 'native';
  readonly environment: 'sandbox' | 'production';
}

/** A session token the portal minted for testing. */
export interface TestSession {
  readonly token: string;
  readonly userId: string;
  readonly role: 'participant' | 'host';
  readonly environment: 'sandbox' | 'production';
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export interface TokenInfo {
  readonly id: string;
  readonly type: 'web' | 'native';
  readonly environment: 'sandbox' | 'production';
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export type { UsageDay, UsageReport };

/** An error answer of the API: the spec's code, name and description. */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly errorName: string,
    description: string,
  ) {
    super(description);
    this.name = 'PortalApiError';
  }
}

/** Calls /api/v1 with the session cookie and, on every change, the CSRF header. */
export class PortalApi {
  private csrf = '';

  constructor(private readonly base = '/api/v1') {}

  async session(): Promise<Account | undefined> {
    try {
      const s = await this.call<{ account: Account; csrfToken: string }>('GET', '/session');
      this.csrf = s.csrfToken;
      return s.account;
    } catch (e) {
      if (e instanceof PortalApiError && e.status === 401) return undefined;
      throw e;
    }
  }

  async signIn(email: string, password: string, signUp: boolean): Promise<Account> {
    const s = await this.call<{ account: Account; csrfToken: string }>('POST', signUp ? '/accounts' : '/session', {
      email,
      password,
    });
    this.csrf = s.csrfToken;
    return s.account;
  }

  async signOut(): Promise<void> {
    await this.call('DELETE', '/session');
    this.csrf = '';
  }

  resendVerification(): Promise<unknown> {
    return this.call('POST', '/account/verification');
  }

  /** Asks for a reset link by mail; the answer is the same whether or not an account has this email. */
  async requestPasswordReset(email: string): Promise<void> {
    await this.call('POST', '/password-reset/request', { email });
  }

  /** Sets a new password with the token of a reset link; every session of that account ends. */
  async resetPassword(token: string, password: string): Promise<void> {
    await this.call('POST', '/password-reset', { token, password });
  }

  async apps(): Promise<App[]> {
    return (await this.call<{ apps: App[] }>('GET', '/apps')).apps;
  }

  createApp(name: string, domains: string[]): Promise<{ app: App; tokens: IssuedToken[] }> {
    return this.call('POST', '/apps', { name, domains });
  }

  async app(id: string): Promise<App> {
    return (await this.call<{ app: App }>('GET', `/apps/${encodeURIComponent(id)}`)).app;
  }

  async updateApp(
    id: string,
    patch: { name?: string; clientLogin?: App['clientLogin']; historyDays?: number },
  ): Promise<App> {
    return (await this.call<{ app: App }>('PATCH', `/apps/${encodeURIComponent(id)}`, patch)).app;
  }

  async deleteApp(id: string): Promise<void> {
    await this.call('DELETE', `/apps/${encodeURIComponent(id)}`);
  }

  async setBlocked(id: string, blocked: boolean): Promise<App> {
    return (await this.call<{ app: App }>('PUT', `/apps/${encodeURIComponent(id)}/blocked`, { blocked })).app;
  }

  async addDomain(id: string, domain: string): Promise<App> {
    return (await this.call<{ app: App }>('POST', `/apps/${encodeURIComponent(id)}/domains`, { domain })).app;
  }

  async removeDomain(id: string, domain: string): Promise<App> {
    return (
      await this.call<{ app: App }>('DELETE', `/apps/${encodeURIComponent(id)}/domains/${encodeURIComponent(domain)}`)
    ).app;
  }

  async tokens(id: string): Promise<TokenInfo[]> {
    return (await this.call<{ tokens: TokenInfo[] }>('GET', `/apps/${encodeURIComponent(id)}/tokens`)).tokens;
  }

  async createToken(
    id: string,
    type: IssuedToken['type'],
    environment: IssuedToken['environment'],
  ): Promise<IssuedToken> {
    return (
      await this.call<{ token: IssuedToken }>('POST', `/apps/${encodeURIComponent(id)}/tokens`, { type, environment })
    ).token;
  }

  async revokeToken(id: string, tokenId: string): Promise<void> {
    await this.call('DELETE', `/apps/${encodeURIComponent(id)}/tokens/${encodeURIComponent(tokenId)}`);
  }

  /** A session token for testing (a host's, to try the host controls). */
  async testSession(
    id: string,
    input: { userId: string; role: TestSession['role']; environment: TestSession['environment'] },
  ): Promise<TestSession> {
    return (await this.call<{ session: TestSession }>('POST', `/apps/${encodeURIComponent(id)}/sessions`, input))
      .session;
  }

  usage(id: string, days: number): Promise<UsageReport> {
    return this.call('GET', `/apps/${encodeURIComponent(id)}/usage?days=${days}`);
  }

  usageCsvUrl(id: string, days: number): string {
    return `${this.base}/apps/${encodeURIComponent(id)}/usage.csv?days=${days}`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const data = (await response.json().catch(() => undefined)) as
      { error?: { code: number; name: string; description: string } } | undefined;
    if (!response.ok) {
      const e = data?.error;
      throw new PortalApiError(
        response.status,
        e?.code ?? -20000,
        e?.name ?? 'UnspecifiedError',
        e?.description ?? `HTTP ${response.status}`,
      );
    }
    return data as T;
  }
}
