import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';
import type { IssuedToken } from '../../src/server/apps.js';

export interface TestApp {
  readonly appId: string;
  readonly tokens: readonly IssuedToken[];
  /** The token of that type and environment. */
  token(type: 'web' | 'native', environment: 'sandbox' | 'production'): string;
  /** The record id of that token (a session's `atk` claim names it). */
  tokenId(type: 'web' | 'native', environment: 'sandbox' | 'production'): string;
}

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  /** Makes an app with a web and a native token for each environment. */
  createApp(domains: string[], opts?: { name?: string; clientLogin?: 'all' | 'sandbox' | 'none' }): Promise<TestApp>;
  /** Closes the server and removes its data folder. */
  stop(): Promise<void>;
}

/** A real server on port 0 with its store in a fresh temp folder. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'oovoo-test-'));
  const server = await createServer({
    logLevel: 'silent',
    demoDir: null,
    ...options,
    dataDir,
    port: options.port ?? 0,
  });
  return Object.assign(server, {
    dataDir,
    async createApp(
      domains: string[],
      opts: { name?: string; clientLogin?: 'all' | 'sandbox' | 'none' } = {},
    ): Promise<TestApp> {
      const { app, tokens } = await server.apps.create({
        name: opts.name ?? 'Test app',
        domains,
        clientLogin: opts.clientLogin,
      });
      return {
        appId: app.id,
        tokens,
        token(type, environment) {
          return tokens.find((t) => t.type === type && t.environment === environment)!.token;
        },
        tokenId(type, environment) {
          return tokens.find((t) => t.type === type && t.environment === environment)!.id;
        },
      };
    },
    async stop() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** POSTs the spec's server-to-server login; returns status and parsed body. */
export async function s2sLogin(
  baseUrl: string,
  appToken: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(
    `${baseUrl}/1.0/sso/app/login/s2s?at=${encodeURIComponent(appToken)}&ct=1&cst=2&sv=1.8&cv=0.2`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    },
  );
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A session token for a user through the server-to-server login, as a site's backend would get one. */
export async function sessionTokenFor(
  baseUrl: string,
  appToken: string,
  userId: string,
  origin = 'localhost',
): Promise<string> {
  const res = await s2sLogin(baseUrl, appToken, JSON.stringify({ payload: { user_id: userId } }), { origin });
  if (res.status !== 200) throw new Error(`s2s login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.payload.token as string;
}

/** Login limits high enough that tests which are not about rate limiting never meet them. */
export const relaxedLimits: Pick<ServerOptions, 'loginRate' | 'failedLoginRate'> = {
  loginRate: { burst: 100_000, perSecond: 100_000 },
  failedLoginRate: { burst: 100_000, perSecond: 100_000 },
};

/** Reads a response body as JSON when it is JSON, else as text. */
export async function readBody(response: Response): Promise<any> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The client-side (redirect) login as a browser form post, or as a GET link; redirects are not followed. */
export async function clientLogin(
  baseUrl: string,
  fields: Record<string, string>,
  opts: { method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
): Promise<{ status: number; location: string | null; headers: Headers; body: any }> {
  const method = opts.method ?? 'POST';
  const params = new URLSearchParams(fields);
  const response =
    method === 'GET'
      ? await fetch(`${baseUrl}/1.0/sso/app/login?${params}`, { redirect: 'manual', headers: opts.headers })
      : await fetch(`${baseUrl}/1.0/sso/app/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
          body: params.toString(),
        });
  return {
    status: response.status,
    location: response.headers.get('location'),
    headers: response.headers,
    body: await readBody(response),
  };
}

/** POSTs /1.0/session/verify with a JSON body, from the given Origin (null: no Origin header). */
export async function verifySession(
  baseUrl: string,
  body: Record<string, unknown>,
  origin: string | null = 'http://localhost:1234',
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${baseUrl}/1.0/session/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin === null ? {} : { origin }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await readBody(response), headers: response.headers };
}
