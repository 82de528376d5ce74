import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import type { Store } from '../../store/types.js';

export interface VapidKeys {
  /** base64url, uncompressed P-256 point: the browser's applicationServerKey. */
  readonly publicKey: string;
  readonly privateKey: string;
}

const FILE = 'vapid.json';

/** The server's VAPID key pair, generated into the data folder on first use and kept there. */
export function loadVapidKeys(dataDir: string): VapidKeys {
  const path = join(dataDir, FILE);
  const existing = read(path);
  if (existing) return existing;
  const keys = webpush.generateVAPIDKeys();
  try {
    // 'wx': another process that got there first wins, and both use its keys.
    writeFileSync(path, JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey }), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const stored = read(path);
  if (!stored) throw new Error(`${path} holds no VAPID keys`);
  return stored;
}

const SETTING = 'vapid_keys';

/**
 * The VAPID key pair kept in the store, for nodes that share one (PostgreSQL): the first node to
 * start stores its pair, and every node, one starting at the same moment included, reads back
 * the pair that was stored.
 */
export async function loadVapidKeysFromStore(settings: Store['settings']): Promise<VapidKeys> {
  const existing = parse(await settings.get(SETTING));
  if (existing) return existing;
  const keys = webpush.generateVAPIDKeys();
  const stored = parse(
    await settings.putIfAbsent(SETTING, JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey })),
  );
  if (!stored) throw new Error(`the store's ${SETTING} setting holds no VAPID keys`);
  return stored;
}

function parse(text: string | undefined): VapidKeys | undefined {
  if (text === undefined) return undefined;
  const value = JSON.parse(text) as Partial<VapidKeys>;
  if (typeof value.publicKey !== 'string' || typeof value.privateKey !== 'string') return undefined;
  return { publicKey: value.publicKey, privateKey: value.privateKey };
}

function read(path: string): VapidKeys | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const value = JSON.parse(text) as Partial<VapidKeys>;
  if (typeof value.publicKey !== 'string' || typeof value.privateKey !== 'string') return undefined;
  return { publicKey: value.publicKey, privateKey: value.privateKey };
}
