import { isPostgresUrl, openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/**
 * The store a server or CLI command uses: PostgreSQL when `url` names one (several nodes share
 * it), else SQLite in the data folder (the default, one process).
 */
export function openStore(dataDir: string, url?: string): Promise<Store> {
  if (url === undefined || url === '') return openSqliteStore(dataDir);
  if (!isPostgresUrl(url)) throw new Error('the store URL must start with postgres:// or postgresql://');
  return openPostgresStore(url);
}
