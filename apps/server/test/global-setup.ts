import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/db/seeds/demo.ts';
import { databaseUrl, dropDatabasesWithPrefix, withAdminClient } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
    runPrefix: string;
  }
}

/**
 * Migrates and seeds one template per database kind, once per run; each test file then starts
 * from a copy (PGlite: a data-dir tarball; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject) {
  const runPrefix = `nx_t${randomBytes(3).toString('hex')}`;
  const tmpDir = path.resolve('.tmp');
  fs.mkdirSync(tmpDir, { recursive: true });

  const pglite = await openDatabase({ dataDir: 'memory://' });
  await migrate(pglite);
  await seedDemo(pglite);
  const tarball = path.join(tmpDir, `${runPrefix}-pglite.tar`);
  fs.writeFileSync(tarball, Buffer.from(await (await pglite.dump!()).arrayBuffer()));
  await pglite.close();

  let postgresTemplate: string | null = null;
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    postgresTemplate = `${runPrefix}_tpl`;
    const name = postgresTemplate;
    await withAdminClient(base, async (c) => void (await c.query(`create database ${name}`)));
    const template = await openDatabase({ url: databaseUrl(base, postgresTemplate) });
    await migrate(template);
    await seedDemo(template);
    await template.close();
  }

  project.provide('pgliteTemplate', tarball);
  project.provide('postgresTemplate', postgresTemplate);
  project.provide('runPrefix', runPrefix);

  return async () => {
    fs.rmSync(tarball, { force: true });
    if (base) await dropDatabasesWithPrefix(base, runPrefix);
  };
}
