import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { ServerOptions } from '../../src/server/index.js';
import { openPostgresStore } from '../../src/server/store/postgres.js';
import { openSqliteStore } from '../../src/server/store/sqlite.js';
import type { Store } from '../../src/server/store/types.js';
import { startPostgres, type TestPostgres } from './postgres.js';

/**
 * The store tests run once per engine: SQLite in a temp folder (the default) and PostgreSQL (a
 * real server this file starts once, on first use, and stops after its tests; a fresh database per
 * place). Use: `for (const engine of STORE_ENGINES) describe(`… (${engine.name})`, () => …)`.
 */
export interface StorePlace {
  /** The data folder (SQLite's file lives there; on PostgreSQL it holds only the server's other files). */
  readonly dataDir: string;
  /** The PostgreSQL database's URL; undefined on SQLite. */
  readonly storeUrl?: string;
  /** Opens a store over this place's data; every call sees what earlier ones wrote. */
  open(): Promise<Store>;
  /** What a server on this place is started with (its store; on PostgreSQL, the shared secret too). */
  serverOptions(): Pick<ServerOptions, 'dataDir' | 'storeUrl' | 'sessionSecret'>;
  /** Runs SQL straight on the database, `?` for parameters; returns its rows. */
  query(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

export interface StoreEngine {
  readonly name: 'sqlite' | 'postgres';
  /** A new, empty place for a store; removed after the file's tests. */
  place(): Promise<StorePlace>;
}

const cleanups: Array<() => Promise<void> | void> = [];
let postgres: Promise<TestPostgres> | undefined;

after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-store-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The file's PostgreSQL, started on first use. */
export function testPostgres(): Promise<TestPostgres> {
  if (!postgres) {
    postgres = startPostgres();
    const started = postgres;
    cleanups.unshift(async () => (await started).stop());
  }
  return postgres;
}

const sqlite: StoreEngine = {
  name: 'sqlite',
  async place() {
    const dataDir = newDataDir();
    return {
      dataDir,
      open: () => openSqliteStore(dataDir),
      serverOptions: () => ({ dataDir }),
      async query(text, params = []) {
        const db = new SQLite(join(dataDir, 'oovoo.sqlite'));
        try {
          const statement = db.prepare(text);
          if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
          statement.run(...params);
          return [];
        } finally {
          db.close();
        }
      },
    };
  },
};

const postgresEngine: StoreEngine = {
  name: 'postgres',
  async place() {
    const storeUrl = await (await testPostgres()).newDatabase();
    const dataDir = newDataDir();
    const sessionSecret = randomBytes(32).toString('base64');
    return {
      dataDir,
      storeUrl,
      open: () => openPostgresStore(storeUrl, { maxConnections: 4 }),
      serverOptions: () => ({ dataDir, storeUrl, sessionSecret }),
      async query(text, params = []) {
        const client = new pg.Client({ connectionString: storeUrl });
        await client.connect();
        try {
          let n = 0;
          const result = await client.query(
            text.replace(/\?/g, () => `$${++n}`),
            params as unknown[],
          );
          return result.rows as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      },
    };
  },
};

export const STORE_ENGINES: readonly StoreEngine[] = [sqlite, postgresEngine];
