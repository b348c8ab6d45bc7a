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

const HEAD = '{"items":[';
const TAIL = ']}';

/**
 * The nearby answer as JSON bytes: the busiest public route. Serialising twenty stations afresh
 * cost more than finding them, so each station's unchanging part is written once, by a serializer
 * compiled from the route's own schema, and only `openNow` and `distanceM` (ASCII) are added per
 * request, straight into one buffer.
 */
export function nearbyJson(hits: readonly NearbyHit[]): JsonText<{ items: Array<StationStatic & { openNow: boolean; distanceM: number }> }> {
  const parts: Buffer[] = [];
  const ends: string[] = [];
  let size = HEAD.length + TAIL.length + Math.max(0, hits.length - 1);
  for (const hit of hits) {
    const part = openItem(hit.record);
    const end = `,"openNow":${hit.openNow ? 'true' : 'false'},"distanceM":${Math.round(hit.distance)}}`;
    parts.push(part);
    ends.push(end);
    size += part.length + end.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(HEAD, 0, 'latin1');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) at += out.write(',', at, 'latin1');
    at += parts[i]!.copy(out, at);
    at += out.write(ends[i]!, at, 'latin1');
  }
  out.write(TAIL, at, 'latin1');
  return new JsonText(out);
}
