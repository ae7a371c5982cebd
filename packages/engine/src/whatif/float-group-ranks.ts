import type { FloatModel } from "./float-model.js";
import { insertionSorted } from "./insertion-sort.js";
import { lowerBound } from "./lower-bound.js";

/**
 * Ranks one group's members from sampled totals in doubles: the same ranks ("1224") and
 * the same order (standing, then id) as sorting with a standing comparator, but with
 * native typed-array sorts of the totals, a comparator only inside runs of equal totals
 * (tie-breakers), and units placed by rank. A comparator sort of every group for every
 * sample was most of a 1,000-sample province run.
 */
export class FloatGroupRanks {
  /**
   * Scratch: negated totals of members without and with a veto (the comparator path), and
   * the packed path's keys by id position and its native-sort buffer.
   */
  private readonly free: Float64Array;
  private readonly forced: Float64Array;
  private readonly slot: Int32Array;
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly byId = new WeakMap<readonly number[], Int32Array>();
  /** Scratch for the packed path: whole totals (−1 when unscored) and tie-breakers, by id position. */
  private readonly wholeTotal: Float64Array;
  private readonly wholeTie: Float64Array;
  /** Each group's order of id positions from the last call, where the next sort starts. */
  private readonly lastOrder = new WeakMap<Int32Array, Int32Array>();

  constructor(
    private readonly m: FloatModel,
    private readonly totals: Float64Array,
    private readonly pts: Float64Array,
    private readonly idOrder: Int32Array,
  ) {
    const U = m.units;
    this.free = new Float64Array(U);
    this.forced = new Float64Array(U);
    this.slot = new Int32Array(U);
    this.head = new Int32Array(U);
    this.next = new Int32Array(U);
    this.wholeTotal = new Float64Array(U);
    this.wholeTie = new Float64Array(U);
  }

  /** Writes ranks to out[offset + unit] and fills `sorted` with the scored members in standing order. */
  rank(members: readonly number[], out: Int32Array, offset: number, sorted: number[]): void {
    if (this.rankPacked(members, out, offset, sorted)) return;
    const { m, totals } = this;
    let nFree = 0;
    let nForced = 0;
    for (const u of members) {
      const t = totals[u]!;
      if (Number.isNaN(t)) continue;
      if (m.forcedLast[u]) this.forced[nForced++] = -t;
      else this.free[nFree++] = -t;
    }
    const free = this.free.subarray(0, nFree).sort();
    const forced = this.forced.subarray(0, nForced).sort();
    const n = nFree + nForced;
    this.head.fill(-1, 0, n);
    // Rank = 1 + units strictly better: those ahead by total, then (within a run of equal totals) by tie-breakers.
    for (const u of members) {
      const t = totals[u]!;
      if (Number.isNaN(t)) continue;
      const isForced = m.forcedLast[u] === 1;
      const keys = isForced ? forced : free;
      const lo = lowerBound(keys, -t);
      const start = (isForced ? nFree : 0) + lo;
      out[offset + u] = start + 1;
      if (lo + 1 < keys.length && keys[lo + 1] === -t) {
        this.next[u] = this.head[start]!;
        this.head[start] = u;
      }
    }
    if (m.tieIndex.length > 0)
      for (let s = 0; s < n; s++)
        for (let u = this.head[s]!; u >= 0; u = this.next[u]!)
          for (let v = this.head[s]!; v >= 0; v = this.next[v]!)
            if (this.tieOrder(v, u) > 0) out[offset + u]!++;
    // Units of rank r take places r−1 … r−1+k−1; equal standings go by id.
    const slot = this.slot;
    slot.fill(-1, 0, n);
    for (const u of members) {
      if (Number.isNaN(totals[u]!)) continue;
      let p = out[offset + u]! - 1;
      while (slot[p] !== -1) p++;
      slot[p] = u;
    }
    sorted.length = n;
    for (let p = 0; p < n; p++) {
      const u = slot[p]!;
      let q = p;
      while (
        q > 0 &&
        out[offset + sorted[q - 1]!] === out[offset + u] &&
        this.idOrder[sorted[q - 1]!]! > this.idOrder[u]!
      ) {
        sorted[q] = sorted[q - 1]!;
        q--;
      }
      sorted[q] = u;
    }
  }

  /**
   * Totals rounded to the scheme's decimals are whole numbers of 10^−decimals: with at most
   * one tie-breaker (rounded too), each member's whole standing — veto, total, tie-breaker,
   * id — packs into one exact double, distinct for every member. False when the scheme's
   * rounding or the group's numbers do not allow it.
   *
   * The keys are ordered starting from the group's order in the previous call: samples of
   * nearby weights move a unit a place or two (about 150 exchanges in a group of 200 at
   * ±20%), which an insertion sort does in a third of the time of a full sort. Past a budget
   * of exchanges it falls back to the native sort. The keys alone decide the result, never
   * the starting order.
   */
  private rankPacked(members: readonly number[], out: Int32Array, offset: number, sorted: number[]): boolean {
    const { m, totals, pts } = this;
    const tie = m.tieIndex.length === 0 ? -1 : m.tieIndex[0]!;
    if (!m.rounding.total || m.tieIndex.length > 1 || (tie >= 0 && !m.rounding.category)) return false;
    const byId = this.idRanked(members);
    const n = byId.length;
    const scale = 10 ** m.rounding.decimals;
    const U = m.units;
    const { wholeTotal, wholeTie } = this;
    let count = 0;
    let maxTotal = 0;
    let maxTie = 0;
    for (let p = 0; p < n; p++) {
      const u = byId[p]!;
      const t = totals[u]!;
      if (Number.isNaN(t)) {
        wholeTotal[p] = -1;
        continue;
      }
      if (!(t >= 0)) return false;
      // Totals lie on the grid, far from a half: floor(x + 0.5) is Math.round, at a third of its cost.
      const q = Math.floor(t * scale + 0.5);
      if (q > maxTotal) maxTotal = q;
      wholeTotal[p] = q;
      if (tie >= 0) {
        const k = Math.floor(pts[tie * U + u]! * scale + 0.5);
        if (!(k >= 0)) return false;
        if (k > maxTie) maxTie = k;
        wholeTie[p] = k;
      }
      count++;
    }
    const T = maxTotal + 1;
    const K = maxTie + 1;
    if (!(2 * T * K * n < 2 ** 53)) return false;
    // keys[p]: member p's key; unscored members sort after every scored one.
    const keys = this.free; // the comparator path's buffer, free in this one
    for (let p = 0; p < n; p++) {
      const q = wholeTotal[p]!;
      if (q < 0) {
        keys[p] = Number.POSITIVE_INFINITY;
        continue;
      }
      const k = tie >= 0 ? maxTie - wholeTie[p]! : 0;
      keys[p] = ((m.forcedLast[byId[p]!]! * T + maxTotal - q) * K + k) * n + p;
    }
    const order = this.previousOrder(byId);
    if (!insertionSorted(order, keys, n, 8 * n + 64)) this.sortNatively(order, keys, n);
    sorted.length = count;
    let previous = -1;
    for (let r = 0; r < count; r++) {
      const p = order[r]!;
      // keys[p] − p is a whole multiple of n: the division is exact.
      const standing = (keys[p]! - p) / n;
      const u = byId[p]!;
      sorted[r] = u;
      out[offset + u] = standing === previous ? out[offset + sorted[r - 1]!]! : r + 1;
      previous = standing;
    }
    return true;
  }

  /** The group's order of member positions from the last call (identity at first). */
  private previousOrder(byId: Int32Array): Int32Array {
    let order = this.lastOrder.get(byId);
    if (!order) {
      order = Int32Array.from(byId, (_, p) => p);
      this.lastOrder.set(byId, order);
    }
    return order;
  }

  /** Orders `order` by `keys` with one native sort of the scored keys (unscored last, by position). */
  private sortNatively(order: Int32Array, keys: Float64Array, n: number): void {
    const scratch = this.forced; // not the keys' buffer (this.free)
    let count = 0;
    for (let p = 0; p < n; p++) if (keys[p] !== Number.POSITIVE_INFINITY) scratch[count++] = keys[p]!;
    const byKey = scratch.subarray(0, count).sort();
    for (let r = 0; r < count; r++) {
      const key = byKey[r]!;
      // % on doubles is a library call; a division and a correction are not. The quotient
      // may round up to the next whole number when it lies just below it.
      let p = key - Math.floor(key / n) * n;
      if (p < 0) p += n;
      order[r] = p;
    }
    let r = count;
    for (let p = 0; p < n; p++) if (keys[p] === Number.POSITIVE_INFINITY) order[r++] = p;
  }

  /** The group's members in id order, made once per group (the same array every sample). */
  private idRanked(members: readonly number[]): Int32Array {
    let list = this.byId.get(members);
    if (!list) {
      list = Int32Array.from(members).sort((a, b) => this.idOrder[a]! - this.idOrder[b]!);
      this.byId.set(members, list);
    }
    return list;
  }

  /** Positive when v is ahead of u on the tie-breakers. */
  private tieOrder(v: number, u: number): number {
    const { m, pts } = this;
    for (const k of m.tieIndex) {
      const e = pts[k * m.units + v]! - pts[k * m.units + u]!;
      if (e !== 0) return e;
    }
    return 0;
  }
}
