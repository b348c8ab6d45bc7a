import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { listenAgainAndAgain } from './listener.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Tx = Transaction<DB>;
export type Db = Kysely<DB>;

/** Raw SQL access for migrations and scripts: multi-statement text, no query builder. */
export interface ScriptRunner {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection. */
  script<T>(fn: (runner: ScriptRunner) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; returns a function that stops listening. On PostgreSQL a lost connection
   * is made again by itself, and `onResync` then says that announcements may have been missed.
   */
  listen(channel: string, onMessage: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball, to copy a migrated template quickly (tests). */
  dump?(): Promise<Blob>;
}

/** Runs `fn` in one transaction: everything it writes commits together or not at all. */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/**
 * `withTransaction` in which a wait for a row lock gives up after `lockTimeout` ('300ms') with an
 * error, instead of waiting for the deadlock detector. On PostgreSQL, BEGIN and the setting go in
 * one round trip (without parameters, the simple query protocol takes several statements);
 * PGlite, in process, takes them one by one.
 */
export function withLockTimeout<T>(database: Database, lockTimeout: `${number}ms`, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (!/^\d+ms$/.test(lockTimeout)) throw new Error(`lock timeout ${lockTimeout}: a whole number of ms`);
  const setting = `set local lock_timeout = '${lockTimeout}'`;
  return database.db.connection().execute(async (conn) => {
    if (database.kind === 'postgres') await sql.raw(`begin; ${setting}`).execute(conn);
    else for (const statement of ['begin', setting]) await sql.raw(statement).execute(conn);
    try {
      const result = await fn(conn);
      await sql.raw('commit').execute(conn);
      return result;
    } catch (error) {
      await sql.raw('rollback').execute(conn).catch(() => {});
      throw error;
    }
  });
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` for a throw-away database. */
  dataDir?: string;
  /** A PGlite data dir tarball (from `dumpDataDir`) to start from, e.g. a migrated template. */
  loadDataDir?: Blob;
  poolSize?: number;
}

// The same JS values from both backends: int8 (counts, ids, points) as numbers, and a calendar
// `date` as its 'YYYY-MM-DD' text (a Date object would shift it by the server's time zone).
const INT8_OID = 20;
const DATE_OID = 1082;
const asNumber = (v: string) => Number(v);
const asText = (v: string) => v;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return asNumber;
    if (oid === DATE_OID) return asText;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPGlite(options);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  // An idle client that loses its server (a PostgreSQL restart) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<() => Promise<void>>();
  return {
    db,
    kind: 'postgres',
    async script(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onMessage, onResync) {
      const stop = await listenAgainAndAgain(url, channel, onMessage, onResync);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((stop) => stop()));
      await db.destroy();
    },
  };
}

async function openPGlite(options: DatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir,
    extensions: { cube, earthdistance },
    parsers: { [INT8_OID]: asNumber, [DATE_OID]: asText },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    // Goes through Kysely's connection lock so a script never interleaves with other queries.
    async script(fn) {
      return db.connection().execute(async () =>
        pglite.transaction((tx) =>
          fn({
            exec: async (sql) => void (await tx.exec(sql)),
            query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows,
          }),
        ),
      );
    },
    async listen(channel, onMessage) {
      return pglite.listen(channel, onMessage);
    },
    async close() {
      await db.destroy();
    },
    async dump() {
      return db.connection().execute(async () => (await pglite.dumpDataDir('none')) as Blob);
    },
  };
}
