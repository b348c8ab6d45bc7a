import pg from 'pg';

/** The same server as `url`, with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Connect to the `postgres` maintenance database for CREATE/DROP DATABASE. */
export function adminUrl(url: string): string {
  return databaseUrl(url, 'postgres');
}

export async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a database as a copy of a template (a migrated, seeded one). */
export function createDatabaseFrom(url: string, name: string, template: string): Promise<void> {
  return withAdminClient(url, async (c) => void (await c.query(`create database ${name} template ${template}`)));
}

export function dropDatabase(url: string, name: string): Promise<void> {
  return withAdminClient(url, async (c) => void (await c.query(`drop database if exists ${name} with (force)`)));
}

/** Every database this test run made, templates last. */
export async function dropDatabasesWithPrefix(url: string, prefix: string): Promise<void> {
  await withAdminClient(url, async (c) => {
    const { rows } = await c.query<{ datname: string }>('select datname from pg_database where datname like $1 order by datname like $2, datname', [`${prefix}%`, '%_tpl']);
    for (const { datname } of rows) await c.query(`drop database if exists ${datname} with (force)`);
  });
}
