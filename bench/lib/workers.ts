import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Workers and their sessions made straight in the database in two statements (setup, not what is
 * measured), spread round-robin over `communities`. Phones are 166 + an 8-digit number, so one run
 * makes one set.
 */
export async function makeWorkers(databaseUrl: string, count: number, communities: readonly string[]): Promise<Array<{ id: string; token: string }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tokens = Array.from({ length: count }, () => randomBytes(32).toString('base64url'));
    const hashes = tokens.map((t) => createHash('sha256').update(t).digest('hex'));
    const { rows } = await client.query<{ id: string; n: number }>(
      `insert into users (role, region_id, name, phone)
       select 'worker', ($2::text[])[1 + g % cardinality($2::text[])], '压测' || g, '166' || lpad(g::text, 8, '0') from generate_series(0, $1 - 1) g
       returning id, substr(phone, 4)::int as n`,
      [count, communities],
    );
    await client.query(
      `insert into sessions (user_id, region_id, token_hash, expires_at)
       select u.id, u.region_id, h.hash, now() + interval '1 day'
       from unnest($1::text[]) with ordinality h (hash, n) join users u on u.phone = '166' || lpad((h.n - 1)::text, 8, '0')`,
      [hashes],
    );
    const ids = new Map(rows.map((r) => [r.n, r.id]));
    return tokens.map((token, n) => ({ id: ids.get(n)!, token }));
  } finally {
    await client.end();
  }
}
