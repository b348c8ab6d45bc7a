import { nearbyResponse } from '@nuanxin/shared';
import { compileSerializer, JsonText } from '../../common/serializer.ts';
import type { NearbyHit, StationRecord } from './station-index.ts';
import { averageOf } from './visits.repository.ts';

/** A nearby answer's item without the two fields that change with each request. */
const itemSchema = nearbyResponse.shape.items.element.omit({ openNow: true, distanceM: true });
type StationStatic = ReturnType<typeof staticSummary>;

/** What the nearby answer says of a station whatever the request: all but `openNow` and `distanceM`. */
export function staticSummary(r: StationRecord) {
  return {
    id: r.id,
    regionId: r.regionId,
    name: r.name,
    type: r.type,
    status: r.status,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    amenities: r.amenities,
    services: r.services,
    openHours: r.alwaysOpen ? '24小时' : r.openHours,
    alwaysOpen: r.alwaysOpen,
    ...averageOf({ stars_sum: r.starsSum, ratings: r.ratings }),
  } satisfies Record<keyof typeof itemSchema.shape, unknown>;
}

const writeStatic = compileSerializer({ schema: itemSchema });
/** Each station's static part in UTF-8, written once per version of its record (a change makes a new record). */
const written = new WeakMap<StationRecord, Buffer>();

/** `{…static fields` without its closing brace: the per-request fields follow. */
function openItem(record: StationRecord): Buffer {
  let bytes = written.get(record);
  if (bytes === undefined) {
    bytes = Buffer.from(writeStatic(staticSummary(record)).slice(0, -1));
    written.set(record, bytes);
  }
  return bytes;
}

/**
 * Writes the static parts of these stations ahead of the first request that would, a page at a
 * time with a turn of the event loop between, so requests keep flowing while a full load warms up.
 */
export async function prewrite(records: readonly StationRecord[], page = 2_000): Promise<void> {
  for (let i = 0; i < records.length; i += page) {
    for (const record of records.slice(i, i + page)) openItem(record);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const HEAD = Buffer.from('{"items":[');
const TAIL = Buffer.from(']}');
const OPEN = Buffer.from(',"openNow":true,"distanceM":');
const CLOSED = Buffer.from(',"openNow":false,"distanceM":');
/** Room for `distanceM`'s digits (half the earth's circumference in metres has 8), the closing brace and a comma. */
const NUMBER_ROOM = 12;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/** Writes a whole number's ASCII digits at `at`; returns where it ended. */
function writeDigits(out: Buffer, at: number, n: number): number {
  const digits = String(n);
  for (let i = 0; i < digits.length; i++) out[at++] = digits.charCodeAt(i);
  return at;
}

/**
 * The nearby answer as JSON bytes: the busiest public route. Serialising twenty stations afresh
 * cost more than finding them, so each station's unchanging part is written once, by a serializer
 * compiled from the route's own schema, and only `openNow` and `distanceM` (ASCII) are added per
 * request, straight into one buffer: typed-array copies and byte stores, since each call into
 * Buffer's native `copy` or `write` cost more than the bytes it moved.
 */
export function nearbyJson(hits: readonly NearbyHit[]): JsonText<{ items: Array<StationStatic & { openNow: boolean; distanceM: number }> }> {
  const parts: Buffer[] = new Array(hits.length);
  let size = HEAD.length + TAIL.length;
  for (let i = 0; i < hits.length; i++) {
    parts[i] = openItem(hits[i]!.record);
    size += parts[i]!.length + CLOSED.length + NUMBER_ROOM;
  }
  const out = Buffer.allocUnsafe(size);
  out.set(HEAD, 0);
  let at = HEAD.length;
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    if (i > 0) out[at++] = COMMA;
    out.set(parts[i]!, at);
    at += parts[i]!.length;
    const flag = hit.openNow ? OPEN : CLOSED;
    out.set(flag, at);
    at = writeDigits(out, at + flag.length, Math.round(hit.distance));
    out[at++] = CLOSE_BRACE;
  }
  out.set(TAIL, at);
  return new JsonText(out.subarray(0, at + TAIL.length));
}
