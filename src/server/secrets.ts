import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The session-signing secret: from OOVOO_SESSION_SECRET (base64 or hex, at least 32 bytes),
 * else a file in the data folder, made with mode 0600 on first start.
 */
export function loadSessionSecret(dataDir: string, fromEnv = process.env.OOVOO_SESSION_SECRET): Buffer {
  if (fromEnv) {
    const decoded = /^[0-9a-f]+$/i.test(fromEnv) ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'base64');
    if (decoded.length < 32) throw new Error('OOVOO_SESSION_SECRET must hold at least 32 bytes (hex or base64)');
    return decoded;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'session-secret');
  try {
    const existing = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (existing.length >= 32) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(32);
  // 'wx' fails if another process wrote it first; then read theirs.
  try {
    writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }
}

/**
 * The session secret of a node sharing its store with others (PostgreSQL): every node must sign
 * and check sessions with the same one, so it comes from OOVOO_SESSION_SECRET and nowhere else.
 */
export function sharedSessionSecret(fromEnv = process.env.OOVOO_SESSION_SECRET): Buffer {
  if (!fromEnv)
    throw new Error(
      'OOVOO_SESSION_SECRET is required with a PostgreSQL store: every node signs sessions with the same ' +
        'secret. Set it to 32 or more random bytes, hex or base64 (for example: openssl rand -base64 32).',
    );
  return loadSessionSecret('', fromEnv);
}
