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
/**
 * Each station's static part in UTF-8, written once per version of its record (a change makes a
 * new record) and kept on the record under this module's own symbol: looking it up in a WeakMap
 * cost a third of assembling an answer.
 */
const WRITTEN = Symbol('nearby bytes');
type Written = StationRecord & { [WRITTEN]?: Buffer };

/** `{…static fields` without its closing brace: the per-request fields follow. */
function openItem(record: Written): Buffer {
  let bytes = record[WRITTEN];
  if (bytes === undefined) {
    bytes = Buffer.from(writeStatic(staticSummary(record)).slice(0, -1));
    record[WRITTEN] = bytes;
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
const ZERO = 0x30;

/** Writes a whole number's ASCII digits at `at`, no string made; returns where it ended. */
function writeDigits(out: Buffer, at: number, n: number): number {
  let count = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) count++;
  for (let i = at + count - 1, rest = n; i >= at; i--, rest = Math.floor(rest / 10)) out[i] = ZERO + (rest % 10);
  return at + count;
}

/**
 * Answers are cut from shared slabs, as Node pools its small buffers: an answer of 8 KB would
 * otherwise be an allocation of its own, and those (with the collections they bring on) cost
 * more than writing it. Slabs are only ever appended to: a full one is left to the answers
 * still using it, and a new one is taken.
 */
const SLAB_SIZE = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
let slabUsed = 0;

/** Room for at most `size` bytes at the slab's end: write, then `keep` what was used. */
function room(size: number): Buffer {
  if (slabUsed + size > slab.length) {
    slab = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, size));
    slabUsed = 0;
  }
  return slab.subarray(slabUsed, slabUsed + size);
}

/** The first `used` bytes of the latest `room`; the rest stays free for the next answer. */
function keep(written: Buffer, used: number): Buffer {
  slabUsed += (used + 7) & ~7; // the next answer starts aligned
  return written.subarray(0, used);
}

/**
 * The nearby answer as JSON bytes: the busiest public route. Serialising twenty stations afresh
 * cost more than finding them, so each station's unchanging part is written once, by a serializer
 * compiled from the route's own schema, and only `openNow` and `distanceM` (ASCII) are added per
 * request, straight into a slab: typed-array copies and byte stores, since each call into
 * Buffer's native `copy` or `write` cost more than the bytes it moved.
 */
export function nearbyJson(hits: readonly NearbyHit[]): JsonText<{ items: Array<StationStatic & { openNow: boolean; distanceM: number }> }> {
  const parts: Buffer[] = new Array(hits.length);
  let size = HEAD.length + TAIL.length;
  for (let i = 0; i < hits.length; i++) {
    parts[i] = openItem(hits[i]!.record);
    size += parts[i]!.length + CLOSED.length + NUMBER_ROOM;
  }
  const out = room(size);
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
  return new JsonText(keep(out, at + TAIL.length));
}
