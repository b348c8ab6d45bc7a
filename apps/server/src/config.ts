import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Repository root, so `./data` and the built apps resolve the same from any working directory. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: embedded PGlite in DATA_DIR. Set: PostgreSQL over `pg`. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default(path.join(ROOT_DIR, 'data')),
  /** Photo files; default `<DATA_DIR>/media`. */
  MEDIA_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `console` logs codes (the default outside production); a real provider plugs in behind `SmsProvider`. */
  SMS_PROVIDER: z.enum(['console']).default('console'),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Load the demo seed on a fresh database (default on, except in production). */
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  OPEN311_API_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(8).optional()),
  /** Trust X-Forwarded-For from a reverse proxy (for per-IP limits). */
  TRUST_PROXY: z.stringbool().default(false),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

/** Reads and validates the environment once; a bad value stops start-up with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
