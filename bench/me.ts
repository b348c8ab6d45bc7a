import { load, type LoadResult } from './lib/load.ts';
import type { Server } from './lib/servers.ts';

/** Logs in a demo staff member by password and returns a bearer token. */
async function token(server: Server): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'district', password: 'Nuanxin@2026' }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Scenario: `GET /api/v1/me`, the call every screen makes first (session check + profile). */
export async function meScenario(server: Server): Promise<LoadResult> {
  const bearer = await token(server);
  return load(`GET /api/v1/me — ${server.name}`, `${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` }, serverPid: server.pid });
}
