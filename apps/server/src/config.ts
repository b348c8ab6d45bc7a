import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TILE_CRS } from '@nuanxin/shared';

/** Repository root, so `./data` and the built apps resolve the same from any working directory. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** AutoNavi (高德) road tiles: Chinese labels, GCJ-02, no key needed for the tile images. */
export const AUTONAVI_TILE_URL = 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}';

// An empty variable (`MAP_TILE_CRS=` in a .env file) means "not set".
const blankAsUnset = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

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
  /** Delete photos of reports archived (and claims decided) this many days ago; unset: keep them. */
  PHOTO_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  /** Multiplies every rate limit (common/rate-limit.ts): load tests raise it; 1 in production. */
  RATE_LIMIT_SCALE: z.coerce.number().positive().max(1_000_000).default(1),
  /** Trust X-Forwarded-For from a reverse proxy (for per-IP limits). */
  TRUST_PROXY: z.stringbool().default(false),
  /** Base-map tiles: a Leaflet URL template (http(s) or a path on this server), or `local` for our offline grid tiles. */
  MAP_TILE_URL: blankAsUnset(
    z
      .string()
      .default(AUTONAVI_TILE_URL)
      .refine((v) => v === 'local' || (/^(https?:\/\/|\/)/.test(v) && ['{x}', '{y}', '{z}'].every((p) => v.includes(p))), 'local, or an http(s) or /path template with {x}, {y} and {z}'),
  ),
  /** Coordinate system the tiles are drawn in; unset: gcj02 for AutoNavi/Tencent hosts, wgs84 otherwise. */
  MAP_TILE_CRS: blankAsUnset(z.enum(TILE_CRS).optional()),
  /** Credit line shown on the map; unset: the provider's name for AutoNavi, none otherwise. */
  MAP_TILE_ATTRIBUTION: blankAsUnset(z.string().max(200).optional()),
  /** What `{s}` in MAP_TILE_URL cycles through; unset: 1234 for AutoNavi, abc otherwise. */
  MAP_TILE_SUBDOMAINS: blankAsUnset(z.string().regex(/^\w{1,10}$/).optional()),
  MAP_TILE_MAX_ZOOM: z.coerce.number().int().min(1).max(22).default(18),
  /** Outbound copies of messages (modules/notices/channels.ts): `console` logs them; `sms`/`wechat` post to MESSAGE_GATEWAY_URL. */
  MESSAGE_CHANNEL: z.enum(['console', 'sms', 'wechat']).default('console'),
  MESSAGE_GATEWAY_URL: blankAsUnset(z.url().optional()),
  MESSAGE_GATEWAY_KEY: blankAsUnset(z.string().min(8).optional()),
  MESSAGE_TEMPLATE_ID: blankAsUnset(z.string().max(100).optional()),
  /** Absolute address of this site, for links in SMS / WeChat messages. */
  PUBLIC_URL: blankAsUnset(z.url().optional()),
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
