import { insertionSorted } from "./insertion-sort.js";
import { lowerBound, upperBound } from "./lower-bound.js";

/**
 * Two-sided dominance counts over units with a value at each end of a stretch: for each unit,
 * how many others are below it at both ends, and how many above it at both ends, each by more
 * than a margin. Two lines that are in one order at both ends of a stretch are in that order
 * all along it, so these counts say which units can change places with which there, in
 * O(n log n) instead of comparing every pair.
 */

export interface EndValues {
  /** Each unit's value at the stretch's start and end. */
  start: Float64Array;
  end: Float64Array;
  /** Which units take part (as counted ones and as counters); the others get 0. */
  included: Uint8Array;
  /**
   * A unit's margin at a value: a difference within it is not counted as below or above.
   * v − margin(v) and v + margin(v) must rise with v: the passes take units in value order.
   */
  margin: (value: number) => number;
}

export interface DominanceCounts {
  /** Units strictly below this one at both ends (each by more than this unit's margin). */
  belowBoth: Int32Array;
  /** Units strictly above this one at both ends. */
  aboveBoth: Int32Array;
}

/**
 * Counts by one pass in the order of the start values with a Fenwick tree over the end values.
 * `order` is the units by start value (any order is accepted; the previous stretch's order by
 * end value, the next one's by start value, is sorted in about linear time when few units
 * change places between them).
 * Returns the counts and the units ordered by end value, for the next stretch.
 */
export function dominanceCounts(
  values: EndValues,
  order: Int32Array,
): DominanceCounts & { byEnd: Int32Array } {
  const { start, end, included, margin } = values;
  const n = start.length;
  const byStart = sortBy(order, start);
  const byEnd = sortBy(byStart.slice(), end);
  const sortedEnd = new Float64Array(n);
  for (let r = 0; r < n; r++) sortedEnd[r] = end[byEnd[r]!]!;
  const slot = new Int32Array(n);
  for (let i = 0; i < n; i++) slot[i] = lowerBound(sortedEnd, end[i]!);
  const belowBoth = new Int32Array(n);
  const aboveBoth = new Int32Array(n);
  const tree = new Int32Array(n + 1);

  // Below at both ends: start values taken in rising order, each unit's start threshold a
  // margin below its own, so the units admitted before a query are those below it at the start.
  let next = 0;
  for (let r = 0; r < n; r++) {
    const i = byStart[r]!;
    if (!included[i]) continue;
    const s = start[i]! - margin(start[i]!);
    for (; next < n && start[byStart[next]!]! < s; next++) {
      const j = byStart[next]!;
      if (included[j]) add(tree, slot[j]!);
    }
    belowBoth[i] = prefix(tree, lowerBound(sortedEnd, end[i]! - margin(end[i]!)));
  }

  // Above at both ends: the same from the top.
  tree.fill(0);
  next = n - 1;
  let added = 0;
  for (let r = n - 1; r >= 0; r--) {
    const i = byStart[r]!;
    if (!included[i]) continue;
    const s = start[i]! + margin(start[i]!);
    for (; next >= 0 && start[byStart[next]!]! > s; next--) {
      const j = byStart[next]!;
      if (!included[j]) continue;
      add(tree, slot[j]!);
      added++;
    }
    aboveBoth[i] = added - prefix(tree, upperBound(sortedEnd, end[i]! + margin(end[i]!)));
  }
  return { belowBoth, aboveBoth, byEnd };
}

/** Adds one at slot `at` (0-based) of a Fenwick tree. */
function add(tree: Int32Array, at: number): void {
  for (let k = at + 1; k < tree.length; k += k & -k) tree[k]!++;
}

/** How many were added at slots below `to`. */
function prefix(tree: Int32Array, to: number): number {
  let sum = 0;
  for (let k = to; k > 0; k -= k & -k) sum += tree[k]!;
  return sum;
}

/**
 * Sorts units by a value, in place: insertion while it stays cheap (few units change places
 * between neighbouring stretches), past about 2n moves the library's sort.
 */
function sortBy(order: Int32Array, value: Float64Array): Int32Array {
  const n = order.length;
  return insertionSorted(order, value, n, 2 * n + 64) ? order : order.sort((p, q) => value[p]! - value[q]!);
}
