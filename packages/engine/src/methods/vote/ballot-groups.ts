import type { Ballot } from "../../dataset/dataset.js";
import type { RecordsRead } from "../scoring-method.js";

/** One category's ballots grouped by unit, each unit's rows in voter order. */
export interface BallotGroups {
  /** The category's rows, in dataset order. */
  rows: readonly Ballot[];
  /** Each row's position in the dataset's `ballots`, for issue paths. */
  positions: Int32Array;
  /** Each row's voter as an index into `voters`. */
  voterOf: Int32Array;
  /** Distinct voters, sorted. */
  voters: readonly string[];
  /** Distinct units, in order of first appearance. */
  units: readonly string[];
  /** Positions into `rows`: unit k's ballots are `order[start[k]]` up to `order[start[k + 1]]`. */
  order: Int32Array;
  start: Int32Array;
}

// Stable counting sort of `input` by key; keys are in [0, buckets).
function countingOrder(
  keys: Int32Array,
  buckets: number,
  input: Int32Array,
): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(buckets + 1);
  for (let k = 0; k < input.length; k++) start[keys[input[k]!]! + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const next = start.slice(0, buckets);
  const order = new Int32Array(input.length);
  for (let k = 0; k < input.length; k++) {
    const i = input[k]!;
    order[next[keys[i]!]!++] = i;
  }
  return { order, start };
}

function indexOf(map: Map<string, number>, key: string): number {
  let k = map.get(key);
  if (k === undefined) {
    k = map.size;
    map.set(key, k);
  }
  return k;
}

/**
 * `groupBallots` through what the call's validation already grouped: scoring in the same
 * call reuses it instead of grouping 200,000 ballots again.
 */
export function readBallotGroups(
  ballots: readonly Ballot[],
  category: string,
  read: RecordsRead | undefined,
): BallotGroups {
  const key = `ballots:${category}`;
  const kept = read?.get(key) as BallotGroups | undefined;
  if (kept) return kept;
  const groups = groupBallots(ballots, category);
  read?.set(key, groups);
  return groups;
}

/**
 * Groups a category's ballots by unit in one pass, with each unit's ballots in voter
 * order (plain code-unit order, the same on every machine), so neither results nor traces
 * depend on row order, and a duplicate ballot sits next to its original. Two counting
 * sorts over typed arrays: no per-unit sort, no per-row objects.
 */
export function groupBallots(ballots: readonly Ballot[], category: string): BallotGroups {
  // Counted first so the columns are allocated once, at their final size.
  let n = 0;
  for (const row of ballots) if (row.category === category) n++;
  const rows = new Array<Ballot>(n);
  const positions = new Int32Array(n);
  for (let p = 0, i = 0; i < n; p++) {
    if (ballots[p]!.category !== category) continue;
    rows[i] = ballots[p]!;
    positions[i++] = p;
  }
  const unitOf = new Int32Array(n);
  const voterOf = new Int32Array(n);
  const unitIndex = new Map<string, number>();
  const voterIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    unitOf[i] = indexOf(unitIndex, rows[i]!.unit);
    voterOf[i] = indexOf(voterIndex, rows[i]!.voter);
  }
  const seenVoters = [...voterIndex.keys()];
  const sorted = seenVoters.map((_, k) => k);
  sorted.sort((a, b) => (seenVoters[a]! < seenVoters[b]! ? -1 : seenVoters[a]! > seenVoters[b]! ? 1 : 0));
  const rankOf = new Int32Array(sorted.length);
  for (let r = 0; r < sorted.length; r++) rankOf[sorted[r]!] = r;
  for (let i = 0; i < n; i++) voterOf[i] = rankOf[voterOf[i]!]!;

  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const byVoter = countingOrder(voterOf, sorted.length, identity).order;
  const { order, start } = countingOrder(unitOf, unitIndex.size, byVoter);
  return {
    rows,
    positions,
    voterOf,
    voters: sorted.map((k) => seenVoters[k]!),
    units: [...unitIndex.keys()],
    order,
    start,
  };
}
