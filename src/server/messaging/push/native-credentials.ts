import { createHash } from 'node:crypto';
import { importPKCS8 } from 'jose';
import { ApiError } from '../../api-error.js';
import type {
  NativePushProvider,
  PushCredentialRecord,
  PushCredentialStore,
} from '../../store/push-credential-store.js';

/** What FCM needs of a Google service account (the rest of its JSON is not kept). */
export interface FcmCredentials {
  readonly projectId: string;
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly privateKeyId?: string;
}

/** An APNs token-based provider key (the .p8 file) and what names it. */
export interface ApnsCredentials {
  readonly key: string;
  readonly keyId: string;
  readonly teamId: string;
  readonly bundleId: string;
}

/** An app's native push settings as shown: never a private key. */
export interface NativePushView {
  readonly fcm: { projectId: string; clientEmail: string; updatedAt: number } | null;
  readonly apns: { keyId: string; teamId: string; bundleId: string; updatedAt: number } | null;
}

const MAX_KEY_CHARS = 8192;
/** Firebase project ids: lower-case letters, digits and hyphens. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,62}$/;
const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,200}$/;
/** Apple key and team ids: ten upper-case letters and digits. */
const APPLE_ID = /^[A-Z0-9]{10}$/;
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

function field(value: unknown, name: string, pattern?: RegExp, max = 255): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || (pattern && !pattern.test(value)))
    throw ApiError.badRequest(`${name} is missing or malformed.`);
  return value;
}

async function checkKey(pem: string, alg: 'RS256' | 'ES256', name: string): Promise<void> {
  try {
    await importPKCS8(pem, alg);
  } catch {
    throw ApiError.badRequest(`${name} is not a PKCS #8 ${alg === 'RS256' ? 'RSA' : 'P-256'} private key.`);
  }
}

/** Reads a service-account JSON file's text; -40000 with what is wrong. */
export async function parseServiceAccount(text: string): Promise<FcmCredentials> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw ApiError.badRequest('The service account is not JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw ApiError.badRequest('The service account is not a JSON object.');
  if (json.type !== undefined && json.type !== 'service_account')
    throw ApiError.badRequest('The JSON is not a service account (its type is not service_account).');
  const credentials: FcmCredentials = {
    projectId: field(json.project_id, 'project_id', PROJECT_ID),
    clientEmail: field(json.client_email, 'client_email', EMAIL, 401),
    privateKey: field(json.private_key, 'private_key', undefined, MAX_KEY_CHARS),
    ...(json.private_key_id === undefined
      ? {}
      : { privateKeyId: field(json.private_key_id, 'private_key_id', /^[\w-]{1,128}$/) }),
  };
  await checkKey(credentials.privateKey, 'RS256', 'private_key');
  return credentials;
}

/** Checks an APNs key and its ids; -40000 with what is wrong. */
export async function checkApnsCredentials(input: {
  key: unknown;
  keyId: unknown;
  teamId: unknown;
  bundleId: unknown;
}): Promise<ApnsCredentials> {
  const credentials: ApnsCredentials = {
    key: field(input.key, 'key', undefined, MAX_KEY_CHARS),
    keyId: field(input.keyId, 'keyId (ten letters and digits)', APPLE_ID),
    teamId: field(input.teamId, 'teamId (ten letters and digits)', APPLE_ID),
    bundleId: field(input.bundleId, 'bundleId', BUNDLE_ID, 155),
  };
  await checkKey(credentials.key, 'ES256', 'key');
  return credentials;
}

/** A short fingerprint of a key, so caches keyed by it never hold the key itself. */
export function keyFingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 22);
}

function parse<T>(record: PushCredentialRecord | undefined): T | undefined {
  return record ? (JSON.parse(record.config) as T) : undefined;
}

/** Reads and writes an app's native push credentials; the rules shared by the CLI and the portal. */
export class NativePushSettings {
  constructor(private readonly store: PushCredentialStore) {}

  async fcm(appId: string): Promise<FcmCredentials | undefined> {
    return parse<FcmCredentials>(await this.store.get(appId, 'fcm'));
  }

  async apns(appId: string): Promise<ApnsCredentials | undefined> {
    return parse<ApnsCredentials>(await this.store.get(appId, 'apns'));
  }

  async setFcm(appId: string, serviceAccountJson: string): Promise<NativePushView> {
    const credentials = await parseServiceAccount(serviceAccountJson);
    await this.store.put({ appId, provider: 'fcm', config: JSON.stringify(credentials), updatedAt: Date.now() });
    return this.view(appId);
  }

  async setApns(appId: string, input: Parameters<typeof checkApnsCredentials>[0]): Promise<NativePushView> {
    const credentials = await checkApnsCredentials(input);
    await this.store.put({ appId, provider: 'apns', config: JSON.stringify(credentials), updatedAt: Date.now() });
    return this.view(appId);
  }

  async clear(appId: string, provider: NativePushProvider): Promise<NativePushView> {
    await this.store.clear(appId, provider);
    return this.view(appId);
  }

  async view(appId: string): Promise<NativePushView> {
    const records = await this.store.list(appId);
    const fcm = records.find((r) => r.provider === 'fcm');
    const apns = records.find((r) => r.provider === 'apns');
    const f = parse<FcmCredentials>(fcm);
    const a = parse<ApnsCredentials>(apns);
    return {
      fcm: f && fcm ? { projectId: f.projectId, clientEmail: f.clientEmail, updatedAt: fcm.updatedAt } : null,
      apns: a && apns ? { keyId: a.keyId, teamId: a.teamId, bundleId: a.bundleId, updatedAt: apns.updatedAt } : null,
    };
  }
}
