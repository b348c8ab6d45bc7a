import { AMENITIES, SERVICES, isOpenAt, type Amenity, type StationService, type WeeklyHours } from '@nuanxin/shared';
import { chordToMetres, toEarth } from './station-geo.ts';
import { KdTree, NearestK } from './station-kdtree.ts';
import type { NearbyFilter } from './stations.repository.ts';

/** An in-service station as nearby search and check-in need it. */
export interface StationRecord {
  id: string;
  regionId: string;
  name: string;
  type: string;
  status: 'built' | 'accepted';
  address: string;
  lat: number;
  lng: number;
  amenities: Amenity[];
  services: StationService[];
  openHours: string;
  alwaysOpen: boolean;
  weeklyHours: WeeklyHours;
  starsSum: number | null;
  ratings: number | null;
  /** The check-in secret, once the counter screen has made one. */
  secret: string | null;
}

/** One answer of a nearby search: the station, great-circle metres, and whether it is open now. */
export interface NearbyHit {
  record: StationRecord;
  distance: number;
  openNow: boolean;
}

interface Entry {
  record: StationRecord;
  amenityMask: number;
  serviceMask: number;
  x: number;
  y: number;
  z: number;
}

const maskOf = (values: readonly string[], keys: readonly string[]) => values.reduce((mask, v) => (keys.includes(v) ? mask | (1 << keys.indexOf(v)) : mask), 0);

function entryOf(record: StationRecord): Entry {
  const [x, y, z] = toEarth(record.lat, record.lng);
  return { record, amenityMask: maskOf(record.amenities, AMENITIES), serviceMask: maskOf(record.services, SERVICES), x, y, z };
}

const daySpans = (record: StationRecord, weekday: number): unknown[] => {
  const spans: unknown = record.weeklyHours[weekday];
  return Array.isArray(spans) ? spans : [];
};

/** The SQL filter's test (`hhmm >= left(span, 5) and hhmm < right(span, 5)`), as text like the SQL. */
function openAt(record: StationRecord, weekday: number, hhmm: string): boolean {
  return record.alwaysOpen || daySpans(record, weekday).some((span) => typeof span === 'string' && hhmm >= span.slice(0, 5) && hhmm < span.slice(-5));
}

/** Spans per weekday kept in the typed arrays (the hours schema allows 4); a station with more, or odd text, is tested from its entry. */
const SPANS = 4;
/** A span both tests read alike in HH × 100 + MM: the SQL's text comparison and `isOpenAt`'s minutes. */
const PLAIN_SPAN = /^\d\d:[0-5]\d-\d\d:[0-5]\d$/;
/** 'HH:MM' as HH × 100 + MM: ordered exactly as the text compares (digits at the same places). */
const asNumber = (hhmm: string) => Number(hhmm.slice(0, 2)) * 100 + Number(hhmm.slice(3, 5));

/** The most a nearby search returns (the query's limit allows 50). */
const MOST_NEAREST = 50;

/** Past this many stations added or moved since the tree was built, rebuild it (a few hundred ms at 200,000). */
const OVERLAY_MAX = 2_000;

/**
 * The in-service stations of this process, for nearby search without a database round trip:
 * a k-d tree over their earthdistance coordinates plus a short list of those added or moved since
 * it was built. Edits that keep the position replace the entry in place; a station leaving
 * service empties its slot. Answers are exactly those of `stations.repository.ts` `nearby`.
 * Slots below `treeSize` are numbered in tree order, their filter masks in typed arrays, so a
 * search reads memory that sits together.
 */
export class StationIndex {
  private entries: Array<Entry | null> = [];
  private slotOf = new Map<string, number>();
  private tree = new KdTree(new Int32Array(0), new Float64Array(0));
  private treeSize = 0;
  private amenityMasks = new Int32Array(0);
  private serviceMasks = new Int32Array(0);
  private live = new Uint8Array(0);
  /** Per slot: 0 keeps hours in the arrays below, 1 is always open, 2 is tested from its entry. */
  private hoursKind = new Uint8Array(0);
  /** Per slot and weekday, up to SPANS spans as [from, to) in HH × 100 + MM; -1 where none. */
  private spanFrom = new Int16Array(0);
  private spanTo = new Int16Array(0);
  private overlay: number[] = [];
  /** One for every search: searches run to the end without yielding, so they never share it. */
  private readonly best = new NearestK(MOST_NEAREST);

  get size(): number {
    return this.slotOf.size;
  }

  get(id: string): StationRecord | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.entries[slot]!.record;
  }

  /** The stations in the tree's order (near ones together), those added since at the end. */
  inTreeOrder(): StationRecord[] {
    return this.entries.flatMap((e) => (e ? [e.record] : []));
  }

  /** Replaces everything (a full load). */
  replaceAll(records: readonly StationRecord[]): void {
    this.build(records.map(entryOf));
  }

  /** Applies a re-read of some stations: `records` are those still in service, the other `ids` leave. */
  apply(ids: readonly string[], records: readonly StationRecord[]): void {
    const fresh = new Map(records.map((r) => [r.id, r]));
    for (const id of ids) {
      const record = fresh.get(id);
      const slot = this.slotOf.get(id);
      const before = slot === undefined ? null : this.entries[slot]!;
      if (record && before && before.record.lat === record.lat && before.record.lng === record.lng) {
        this.put(slot!, entryOf(record));
        continue;
      }
      if (slot !== undefined) {
        this.put(slot, null);
        this.slotOf.delete(id);
      }
      if (record) {
        this.slotOf.set(id, this.entries.length);
        this.overlay.push(this.entries.length);
        this.entries.push(entryOf(record));
      }
    }
    if (this.overlay.length > OVERLAY_MAX) this.build(this.entries.filter((e): e is Entry => e !== null));
  }

  /**
   * The k nearest in-service stations passing the filter, nearest first, with great-circle metres
   * and whether each is open at `now` (as `isOpenAt` says).
   */
  nearby(f: NearbyFilter, now = new Date()): NearbyHit[] {
    const [x, y, z] = toEarth(f.lat, f.lng);
    const wantAmenities = maskOf(f.amenities, AMENITIES);
    const wantServices = maskOf(f.services, SERVICES);
    const time = f.openAt;
    const { entries, amenityMasks, serviceMasks, live, hoursKind } = this;
    const at = time ? asNumber(time.hhmm) : 0;
    const openAtSlot = (slot: number) => {
      const kind = hoursKind[slot];
      if (kind === 1) return true;
      if (kind === 2) return openAt(entries[slot]!.record, time!.weekday, time!.hhmm);
      return this.inSpans(slot, time!.weekday, at);
    };
    const best = this.best.reset(f.limit);
    this.tree.nearest(
      x,
      y,
      z,
      best,
      (slot) =>
        live[slot] === 1 &&
        (amenityMasks[slot]! & wantAmenities) === wantAmenities &&
        (serviceMasks[slot]! & wantServices) === wantServices &&
        (time === undefined || openAtSlot(slot)),
    );
    for (const slot of this.overlay) {
      const e = entries[slot];
      if (!e) continue;
      const d2 = (e.x - x) ** 2 + (e.y - y) ** 2 + (e.z - z) ** 2;
      const passes = (e.amenityMask & wantAmenities) === wantAmenities && (e.serviceMask & wantServices) === wantServices && (time === undefined || openAt(e.record, time.weekday, time.hhmm));
      if (best.admits(d2) && passes) best.add(d2, slot);
    }
    const cst = new Date(now.getTime() + 8 * 3_600_000);
    const weekday = cst.getUTCDay();
    const clock = cst.getUTCHours() * 100 + cst.getUTCMinutes();
    const out: NearbyHit[] = [];
    for (let i = 0; i < best.count; i++) {
      const slot = best.slots[i]!;
      const { record } = entries[slot]!;
      const open = slot < this.treeSize && hoursKind[slot] !== 2 ? hoursKind[slot] === 1 || this.inSpans(slot, weekday, clock) : isOpenAt(record.weeklyHours, record.alwaysOpen, now);
      out.push({ record, distance: chordToMetres(Math.sqrt(best.d2[i]!)), openNow: open });
    }
    return out;
  }

  /**
   * The nearest in-service station in a region (the region's id a prefix of the station's), with
   * great-circle metres, as `cases.repository.ts` `nearestStation` finds it.
   */
  nearestIn(regionId: string, lat: number, lng: number): { regionId: string; distance: number } | undefined {
    const [x, y, z] = toEarth(lat, lng);
    const { entries, live } = this;
    const best = this.best.reset(1);
    this.tree.nearest(x, y, z, best, (slot) => live[slot] === 1 && entries[slot]!.record.regionId.startsWith(regionId));
    for (const slot of this.overlay) {
      const e = entries[slot];
      if (!e || !e.record.regionId.startsWith(regionId)) continue;
      const d2 = (e.x - x) ** 2 + (e.y - y) ** 2 + (e.z - z) ** 2;
      if (best.admits(d2)) best.add(d2, slot);
    }
    if (best.count === 0) return undefined;
    return { regionId: entries[best.slots[0]!]!.record.regionId, distance: chordToMetres(Math.sqrt(best.d2[0]!)) };
  }

  private inSpans(slot: number, weekday: number, at: number): boolean {
    const base = (slot * 7 + weekday) * SPANS;
    for (let i = base; i < base + SPANS; i++) if (this.spanFrom[i]! >= 0 && at >= this.spanFrom[i]! && at < this.spanTo[i]!) return true;
    return false;
  }

  private put(slot: number, entry: Entry | null): void {
    this.entries[slot] = entry;
    if (slot >= this.treeSize) return;
    this.live[slot] = entry ? 1 : 0;
    this.amenityMasks[slot] = entry?.amenityMask ?? 0;
    this.serviceMasks[slot] = entry?.serviceMask ?? 0;
    if (entry) this.putHours(slot, entry);
  }

  private putHours(slot: number, entry: Entry): void {
    const { record } = entry;
    const days = Array.from({ length: 7 }, (_, d) => daySpans(record, d));
    const plain = days.every((spans) => spans.length <= SPANS && spans.every((span) => typeof span === 'string' && PLAIN_SPAN.test(span)));
    this.hoursKind[slot] = record.alwaysOpen ? 1 : plain ? 0 : 2;
    for (let d = 0; d < 7; d++) {
      for (let i = 0; i < SPANS; i++) {
        const span = plain ? (days[d]![i] as string | undefined) : undefined;
        this.spanFrom[(slot * 7 + d) * SPANS + i] = span ? asNumber(span.slice(0, 5)) : -1;
        this.spanTo[(slot * 7 + d) * SPANS + i] = span ? asNumber(span.slice(6, 11)) : -1;
      }
    }
  }

  private build(list: Entry[]): void {
    const n = list.length;
    const xyz = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      xyz[3 * i] = list[i]!.x;
      xyz[3 * i + 1] = list[i]!.y;
      xyz[3 * i + 2] = list[i]!.z;
    }
    this.tree = new KdTree(Int32Array.from({ length: n }, (_, i) => i), xyz);
    const order = this.tree.renumber();
    this.entries = Array.from(order, (i) => list[i]!);
    this.slotOf = new Map(this.entries.map((e, i) => [e!.record.id, i]));
    this.treeSize = n;
    this.live = new Uint8Array(n).fill(1);
    this.amenityMasks = Int32Array.from(this.entries, (e) => e!.amenityMask);
    this.serviceMasks = Int32Array.from(this.entries, (e) => e!.serviceMask);
    this.hoursKind = new Uint8Array(n);
    this.spanFrom = new Int16Array(n * 7 * SPANS);
    this.spanTo = new Int16Array(n * 7 * SPANS);
    for (let i = 0; i < n; i++) this.putHours(i, this.entries[i]!);
    this.overlay = [];
  }
}
