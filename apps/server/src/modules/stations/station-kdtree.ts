/** Points per leaf, scanned one by one: below this, splitting further costs more than it saves. */
const NODE_SIZE = 16;

/**
 * The k best so far, nearest first (k ≤ 50, so a sorted insert beats a heap). Kept and `reset`
 * between searches: making two typed arrays cost more than a search's leaf scans.
 */
export class NearestK {
  readonly d2: Float64Array;
  readonly slots: Int32Array;
  count = 0;
  k = 0;

  constructor(readonly most: number) {
    this.d2 = new Float64Array(most);
    this.slots = new Int32Array(most);
  }

  /** Empties it for a search of the k nearest. */
  reset(k: number): this {
    if (k > this.most) throw new RangeError(`at most ${this.most} nearest`);
    this.k = k;
    this.count = 0;
    return this;
  }

  /** Could a point this far (squared) still enter? Ties enter, so equal distances are never pruned. */
  admits(d2: number): boolean {
    return this.count < this.k || d2 <= this.d2[this.count - 1]!;
  }

  add(d2: number, slot: number): void {
    let i = this.count < this.k ? this.count++ : this.k - 1;
    while (i > 0 && this.d2[i - 1]! > d2) {
      this.d2[i] = this.d2[i - 1]!;
      this.slots[i] = this.slots[i - 1]!;
      i--;
    }
    this.d2[i] = d2;
    this.slots[i] = slot;
  }
}

/**
 * A static 3-D k-d tree over points given as slots (the caller's numbering) and x, y, z. Built
 * in place by median selection (the layout of kdbush, in three dimensions): the node of a range
 * is its middle element, everything left of it on the axis at or below, right at or above.
 */
export class KdTree {
  readonly size: number;
  private readonly slots: Int32Array;
  private readonly xyz: Float64Array;

  constructor(slots: Int32Array, xyz: Float64Array) {
    this.size = slots.length;
    this.slots = slots;
    this.xyz = xyz;
    this.sort(0, this.size - 1, 0);
  }

  /**
   * Numbers the points by their place in the tree (so the points of one leaf, being near each
   * other, sit together in the caller's arrays too); returns the caller's old slot of each place.
   */
  renumber(): Int32Array {
    const before = this.slots.slice();
    for (let i = 0; i < this.size; i++) this.slots[i] = i;
    return before;
  }

  /** Adds to `best` the points near (x, y, z) that `accept` takes, visiting only subtrees that could hold a better one. */
  nearest(x: number, y: number, z: number, best: NearestK, accept: (slot: number) => boolean): void {
    if (this.size > 0) this.visit(x, y, z, best, accept, 0, this.size - 1, 0);
  }

  private consider(i: number, x: number, y: number, z: number, best: NearestK, accept: (slot: number) => boolean): void {
    const dx = this.xyz[3 * i]! - x;
    const dy = this.xyz[3 * i + 1]! - y;
    const dz = this.xyz[3 * i + 2]! - z;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (best.admits(d2) && accept(this.slots[i]!)) best.add(d2, this.slots[i]!);
  }

  private visit(x: number, y: number, z: number, best: NearestK, accept: (slot: number) => boolean, left: number, right: number, axis: number): void {
    if (right - left <= NODE_SIZE) {
      for (let i = left; i <= right; i++) this.consider(i, x, y, z, best, accept);
      return;
    }
    const m = (left + right) >> 1;
    this.consider(m, x, y, z, best, accept);
    const d = (axis === 0 ? x : axis === 1 ? y : z) - this.xyz[3 * m + axis]!;
    const next = (axis + 1) % 3;
    if (d <= 0) {
      this.visit(x, y, z, best, accept, left, m - 1, next);
      if (best.admits(d * d)) this.visit(x, y, z, best, accept, m + 1, right, next);
    } else {
      this.visit(x, y, z, best, accept, m + 1, right, next);
      if (best.admits(d * d)) this.visit(x, y, z, best, accept, left, m - 1, next);
    }
  }

  private sort(left: number, right: number, axis: number): void {
    if (right - left <= NODE_SIZE) return;
    const m = (left + right) >> 1;
    this.select(m, left, right, axis);
    const next = (axis + 1) % 3;
    this.sort(left, m - 1, next);
    this.sort(m + 1, right, next);
  }

  /** Floyd–Rivest selection: puts the k-th smallest on `axis` at k, smaller ones before it, larger after. */
  private select(k: number, left: number, right: number, axis: number): void {
    const c = this.xyz;
    while (right > left) {
      if (right - left > 600) {
        const n = right - left + 1;
        const m = k - left + 1;
        const z = Math.log(n);
        const s = 0.5 * Math.exp((2 * z) / 3);
        const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
        this.select(k, Math.max(left, Math.floor(k - (m * s) / n + sd)), Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)), axis);
      }
      const t = c[3 * k + axis]!;
      let i = left;
      let j = right;
      this.swap(left, k);
      if (c[3 * right + axis]! > t) this.swap(left, right);
      while (i < j) {
        this.swap(i, j);
        i++;
        j--;
        while (c[3 * i + axis]! < t) i++;
        while (c[3 * j + axis]! > t) j--;
      }
      if (c[3 * left + axis] === t) this.swap(left, j);
      else {
        j++;
        this.swap(j, right);
      }
      if (j <= k) left = j + 1;
      if (k <= j) right = j - 1;
    }
  }

  private swap(i: number, j: number): void {
    const s = this.slots[i]!;
    this.slots[i] = this.slots[j]!;
    this.slots[j] = s;
    for (let a = 0; a < 3; a++) {
      const v = this.xyz[3 * i + a]!;
      this.xyz[3 * i + a] = this.xyz[3 * j + a]!;
      this.xyz[3 * j + a] = v;
    }
  }
}
