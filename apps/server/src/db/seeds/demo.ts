import type { RegionLevel } from '@nuanxin/shared';
import type { Config } from '../../config.ts';
import { withTransaction, type Database } from '../client.ts';
import { hashPassword } from '../../modules/identity/password.ts';
import { DEMO_PASSWORD, DEPARTMENTS, PARTNERS, REGIONS, REWARDS, STAFF, STATIONS, WORKERS } from './demo-data.ts';

/** Seed on a fresh database unless told otherwise; never by default in production. */
export async function shouldSeed(database: Database, config: Config): Promise<boolean> {
  if (config.SEED_DEMO === 'never') return false;
  if (config.SEED_DEMO === 'auto' && config.NODE_ENV === 'production') return false;
  const any = await database.db.selectFrom('regions').select('id').limit(1).executeTakeFirst();
  return config.SEED_DEMO === 'always' || !any;
}

/**
 * Loads the demo district. Every insert skips rows that exist by their natural key, so running it
 * again adds nothing. Returns how many rows each table holds afterwards.
 */
export async function seedDemo(database: Database): Promise<Record<string, number>> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await withTransaction(database.db, async (tx) => {
    for (const r of REGIONS) {
      await tx.insertInto('regions').values({ id: r.id, parent_id: r.parent, level: r.level as RegionLevel, name: r.name }).onConflict((oc) => oc.doNothing()).execute();
    }
    await tx
      .insertInto('departments')
      .values(DEPARTMENTS.map((d) => ({ region_id: d.region, name: d.name, kind: d.kind })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .insertInto('partners')
      .values(PARTNERS.map((p) => ({ region_id: p.region, name: p.name, kind: p.kind, status: 'certified' as const, address: p.address, lat: p.lat, lng: p.lng, contact_name: null, contact_phone: null })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .insertInto('stations')
      .values(
        STATIONS.map((s) => ({
          region_id: s.region,
          name: s.name,
          type: s.type,
          status: s.status,
          address: s.address,
          lat: s.lat,
          lng: s.lng,
          amenities: [...s.amenities],
          services: [...s.services],
          open_hours: s.hours,
          keeper_name: null,
          keeper_phone: null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();

    const partnerIds = new Map((await tx.selectFrom('partners').select(['id', 'name']).execute()).map((p) => [p.name, p.id]));
    const departmentIds = new Map((await tx.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
    const stationIds = new Map((await tx.selectFrom('stations').select(['id', 'name']).execute()).map((s) => [s.name, s.id]));
    const partnerRegion = new Map(PARTNERS.map((p) => [p.name, p.region]));

    await tx
      .insertInto('rewards')
      .values(
        REWARDS.map((r) => ({
          region_id: partnerRegion.get(r.partner)!,
          partner_id: partnerIds.get(r.partner)!,
          name: r.name,
          description: r.description,
          points_price: r.points,
          stock: r.stock,
          per_person_limit: r.limit,
          status: 'published' as const,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();

    for (const s of STAFF) {
      await tx
        .insertInto('users')
        .values({
          username: s.username,
          name: s.name,
          role: s.role,
          region_id: s.region,
          phone: s.phone,
          password_hash: passwordHash,
          department_id: s.department ? departmentIds.get(s.department)! : null,
          partner_id: s.partner ? partnerIds.get(s.partner)! : null,
          station_id: s.station ? stationIds.get(s.station)! : null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const w of WORKERS) {
      const user = await tx
        .insertInto('users')
        .values({ phone: w.phone, name: w.name, role: 'worker', region_id: w.community, username: null, password_hash: null, department_id: null, partner_id: null, station_id: null })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!user) continue;
      await tx
        .insertInto('worker_profiles')
        .values({ user_id: user.id, region_id: w.community, occupation: w.occupation, platform_company: w.company, vehicle: w.vehicle })
        .execute();
    }
  });
  const tables = ['regions', 'departments', 'partners', 'stations', 'rewards', 'users', 'worker_profiles'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
