import { holdsBetween } from "./stretch.js";
import type { SweepBounds } from "./sweep-events.js";
import type { ExactInterval, RankSegment, UnitSweep } from "./weight-sweep.js";

/** A group's closed segments in columns, in the order they close: each member's in order. */
export interface SegmentColumns {
  size: number;
  member: Int32Array;
  from: Int32Array;
  to: Int32Array;
  /** 1 where the segment includes its `from` (or `to`) bound. */
  fromIn: Uint8Array;
  toIn: Uint8Array;
  rank: Int32Array;
  grade: Int16Array;
}

export function segmentColumns(capacity: number): SegmentColumns {
  return {
    size: 0,
    member: new Int32Array(capacity),
    from: new Int32Array(capacity),
    to: new Int32Array(capacity),
    fromIn: new Uint8Array(capacity),
    toIn: new Uint8Array(capacity),
    rank: new Int32Array(capacity),
    grade: new Int16Array(capacity),
  };
}

export function growColumns(cols: SegmentColumns): void {
  const bigger = segmentColumns(2 * cols.member.length);
  bigger.member.set(cols.member);
  bigger.from.set(cols.from);
  bigger.to.set(cols.to);
  bigger.fromIn.set(cols.fromIn);
  bigger.toIn.set(cols.toIn);
  bigger.rank.set(cols.rank);
  bigger.grade.set(cols.grade);
  cols.member = bigger.member;
  cols.from = bigger.from;
  cols.to = bigger.to;
  cols.fromIn = bigger.fromIn;
  cols.toIn = bigger.toIn;
  cols.rank = bigger.rank;
  cols.grade = bigger.grade;
}

/**
 * A walked group's segments, kept in its columns and made into objects and texts one member
 * at a time, when read: a province sweep closes ~200,000 segments at ~94,000 exact points,
 * and building them all was a third of a sweep (and most of what it left to collect), while
 * a caller reads a page of units, or one unit's segments.
 */
export class GroupSegments {
  /** Each member's segments are columns index[first[l]] up to index[first[l + 1]], in order. */
  private readonly first: Int32Array;
  private readonly index: Int32Array;

  constructor(
    private readonly cols: SegmentColumns,
    private readonly bounds: SweepBounds,
    /** Grade ids by the walk's grade number + 1 (number −1: no grade). */
    private readonly gradeIds: readonly (string | null)[],
    n: number,
  ) {
    const first = new Int32Array(n + 1);
    for (let k = 0; k < cols.size; k++) first[cols.member[k]! + 1]!++;
    for (let l = 0; l < n; l++) first[l + 1]! += first[l]!;
    const next = first.slice(0, n);
    const index = new Int32Array(cols.size);
    for (let k = 0; k < cols.size; k++) index[next[cols.member[k]!]!++] = k;
    this.first = first;
    this.index = index;
  }

  rank(k: number): number {
    return this.cols.rank[k]!;
  }

  grade(k: number): string | null {
    return this.gradeIds[this.cols.grade[k]! + 1]!;
  }

  segment(k: number): RankSegment {
    const c = this.cols;
    return {
      from: this.bounds.text(c.from[k]!),
      to: this.bounds.text(c.to[k]!),
      includesFrom: c.fromIn[k] === 1,
      includesTo: c.toIn[k] === 1,
      rank: c.rank[k]!,
      grade: this.grade(k),
    };
  }

  interval(k: number): ExactInterval {
    const c = this.cols;
    return {
      from: this.bounds.text(c.from[k]!),
      to: this.bounds.text(c.to[k]!),
      includesFrom: c.fromIn[k] === 1,
      includesTo: c.toIn[k] === 1,
    };
  }

  /** Member l's segments, in order. */
  segments(l: number): RankSegment[] {
    const start = this.first[l]!;
    const out: RankSegment[] = new Array(this.first[l + 1]! - start);
    for (let i = 0; i < out.length; i++) out[i] = this.segment(this.index[start + i]!);
    return out;
  }

  /** Member l's breakpoints: the end of each of its segments but the last, once. */
  breakpoints(l: number): string[] {
    const start = this.first[l]!;
    const end = this.first[l + 1]!;
    const out: string[] = [];
    // A single-point segment ends where the segment before it does: that end is one breakpoint.
    let last = -1;
    for (let i = start; i + 1 < end; i++) {
      const b = this.cols.to[this.index[i]!]!;
      if (b === last) continue;
      out.push(this.bounds.text(b));
      last = b;
    }
    return out;
  }

  /**
   * Per member, the column of its segment holding the nominal point (−1: none): on bound
   * `index`, or inside interval `index` (between that bound and the next, which no bound
   * number equals: index + ½). Every point lies in exactly one of a member's segments.
   */
  holding({ index, onBound }: { index: number; onBound: boolean }): Int32Array {
    const c = this.cols;
    const out = new Int32Array(this.first.length - 1).fill(-1);
    const x = onBound ? index : index + 0.5;
    for (let k = 0; k < c.size; k++)
      if (holdsBetween(c.from[k]! - x, x - c.to[k]!, c.fromIn[k] === 1, c.toIn[k] === 1))
        out[c.member[k]!] = k;
    return out;
  }
}

/** What a row's accessors read: its values once set or made, else where to make them from. */
interface RowState {
  segments: RankSegment[] | undefined;
  breakpoints: string[] | undefined;
  /** undefined: made when read from `from` and `nominal`. */
  stability: ExactInterval | null | undefined;
  from: GroupSegments | null;
  member: number;
  nominal: WalkNominal | null;
  /** Makes what is not set yet of a row whose values come from elsewhere than a walk. */
  make: (() => RowValues) | null;
}

/** A row's values made at once, when one of them is first read. */
export interface RowValues {
  segments: RankSegment[];
  breakpoints: string[];
  stability: ExactInterval | null;
}

/** The nominal's rank, grade and text, and the column of the segment holding it (−1: none). */
export interface WalkNominal {
  rank: number | null;
  grade: string | null;
  text: string;
  column: number;
}

const STATE: unique symbol = Symbol("sweep row");

type Row = UnitSweep & { [STATE]: RowState };

/**
 * Accessors shared by every row (one function each, reading the row's state), so rows share
 * one shape. Enumerable own properties: JSON, spreading, structuredClone and deep equality
 * read them as they read plain fields, in the same order. Defined one by one: a property map
 * given to `Object.defineProperties` took twice as long (10,000 rows a province sweep).
 *
 * A field not set yet is made by the row's `make`, if it has one, else from its walk.
 */
function lazyField<K extends keyof RowValues>(
  key: K,
  fromWalk: (s: RowState) => RowValues[K],
): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: Row) {
      const s = this[STATE];
      // RowState holds each of RowValues' fields, or undefined until it is made.
      const field = s as unknown as Record<K, RowValues[K] | undefined>;
      if (s.make && field[key] === undefined) made(s);
      if (field[key] === undefined) field[key] = fromWalk(s);
      return field[key];
    },
    set(this: Row, v: RowValues[K]) {
      (this[STATE] as unknown as Record<K, RowValues[K] | undefined>)[key] = v;
    },
  };
}

const SEGMENTS = lazyField("segments", (s) => (s.from ? s.from.segments(s.member) : []));
const BREAKPOINTS = lazyField("breakpoints", (s) => (s.from ? s.from.breakpoints(s.member) : []));
const STABILITY = lazyField("stability", stabilityOf);

/** A unit's row, empty until a walk's segments or its own are set (see `fromWalk`). */
export function sweepRow(unit: string, name: string, group: string): UnitSweep {
  const row = { unit, name, group } as Row;
  Object.defineProperty(row, "segments", SEGMENTS);
  Object.defineProperty(row, "breakpoints", BREAKPOINTS);
  row.nominal = null;
  Object.defineProperty(row, "stability", STABILITY);
  const state: RowState = {
    segments: undefined,
    breakpoints: undefined,
    stability: null,
    from: null,
    member: -1,
    nominal: null,
    make: null,
  };
  // Not enumerable: no JSON, spread, clone or equality sees it.
  Object.defineProperty(row, STATE, { value: state });
  return row;
}

/**
 * Gives a row member `member`'s segments and breakpoints of a walk, made when read; with the
 * nominal, its stability too: the segment holding the nominal when that segment has the
 * nominal rank and grade, else the nominal point alone.
 */
export function fromWalk(row: UnitSweep, from: GroupSegments, member: number, nominal?: WalkNominal): void {
  const s = (row as Row)[STATE];
  s.from = from;
  s.member = member;
  s.segments = undefined;
  s.breakpoints = undefined;
  if (nominal) {
    s.nominal = nominal;
    s.stability = undefined;
  }
}

/**
 * Gives a row values made by `make` when one of them is first read (each of them set before
 * then stays as set).
 */
export function whenRead(row: UnitSweep, make: () => RowValues): void {
  const s = (row as Row)[STATE];
  s.make = make;
  s.segments = undefined;
  s.breakpoints = undefined;
  s.stability = undefined;
}

function made(s: RowState): void {
  const v = s.make!();
  s.make = null;
  if (s.segments === undefined) s.segments = v.segments;
  if (s.breakpoints === undefined) s.breakpoints = v.breakpoints;
  if (s.stability === undefined) s.stability = v.stability;
}

function stabilityOf(s: RowState): ExactInterval | null {
  const nom = s.nominal;
  if (!nom || !s.from) return null;
  const k = nom.column;
  return k >= 0 && s.from.rank(k) === nom.rank && s.from.grade(k) === nom.grade
    ? s.from.interval(k)
    : pointAt(nom.text);
}

/** The stability of a unit whose nominal rank and grade hold at the nominal point alone. */
export function pointAt(x: string): ExactInterval {
  return { from: x, to: x, includesFrom: true, includesTo: true };
}
