import { fillQuota, quotaLimiter, quotaPopulation } from "../ranking/grade-quota.js";
import { cmp, parseDecimal, type Rational, toNumber, ZERO } from "../rational.js";
import type { Scheme } from "../scheme/scheme-schema.js";
import { linear, type PiecewiseLinear, signAtPoint, signOfDifference } from "./piecewise-linear.js";
import type { Crossings } from "./sweep-crossings.js";
import { SweepBounds } from "./sweep-events.js";
import { type Lines, linesOf, pairCrossings } from "./sweep-pairs.js";

/** What a group sweep reads about every unit of the evaluation, by unit index. */
export interface SweepUnits {
  totals: (PiecewiseLinear | null)[];
  tieKeys: (PiecewiseLinear | null)[][];
  forced: boolean[];
  /** False when a veto withdraws the unit's excellence eligibility. */
  excellence: boolean[];
  ids: string[];
  /**
   * Each unit's group, read where last place bars excellence (`ranking.lastLosesExcellence`)
   * and a walk holds units of several groups: each group's last then loses it. Left out, the
   * walk's members are one group. Read too for the units a veto places last that have no
   * total, which no walk holds but which are their group's last: left out, none is seen.
   */
  groups?: readonly string[];
}

/**
 * Some members' totals and tie-breakers at one point where a fresh evaluation does not take
 * their functions' values there (a roll-up it skips: unit-functions.ts, RollupSkip).
 */
export interface PointValues {
  /** By index in the group. */
  members: readonly number[];
  totals: readonly PiecewiseLinear[];
  keys: readonly (readonly (PiecewiseLinear | null)[])[];
}

/**
 * One ranked group's order, ranks and grades, kept current as the swept points move.
 * Members are addressed by their index in the group (0..n−1) and kept in typed arrays:
 * a province sweep processes ~10^5 crossings, so a step allocates nothing.
 */
export class GroupSweep {
  readonly order: Int32Array;
  readonly position: Int32Array;
  readonly rank: Int32Array;
  /** Index of the grade rule, rules.length for the fallback, −1 for none. */
  readonly grade: Int16Array;
  /** Members whose rank or grade may have changed in the last step: the first `changedCount`. */
  readonly changed: Int32Array;
  changedCount = 0;
  /**
   * Standings compared by the steps so far: a step re-sorts its members with about one
   * comparison per member and one per pair that swaps, which a test can hold it to.
   */
  stepComparisons = 0;
  private readonly n: number;
  /**
   * Each member's side of each level (1 at or above): level r is rule r's `minTotal`, level
   * R + r its `belowTotal`; a rule admits a member at or above its threshold and below its line.
   */
  private readonly above: Uint8Array;
  private readonly totals: PiecewiseLinear[];
  /** Totals that are one line, with its doubles: the hot comparisons read these. */
  private readonly lines: Lines;
  private readonly keys: (PiecewiseLinear | null)[][];
  private readonly forced: Uint8Array;
  /** Eligibility for excellence now: a veto's, and where last place bars it, last place's. */
  private readonly eligible: Uint8Array;
  /** Where last place bars excellence, the tracking of each group's last (else null). */
  private readonly last: LastPlaces | null;
  /** Each member's place in id order: the last tie-breaker, compared as integers. */
  private readonly idOrder: Int32Array;
  private readonly R: number;
  /** 2R levels: every rule's threshold, then every rule's line (null where the rule has none). */
  private readonly levels: (Rational | null)[];
  private readonly levelF: Float64Array;
  private readonly quota: Uint8Array;
  private readonly needsExcellence: Uint8Array;
  /** No quota rule comes after this rule index (−1: no quota rules). */
  private readonly lastQuota: number;
  /** Each quota rule's places for a population (a percent of the admitted units varies with them). */
  private readonly limitOf: (((population: number) => number) | null)[];
  /** Position of the last unit admitted by each quota rule at the last regrade (−1: none). */
  private readonly boundary: Int32Array;
  private boundaries = 0;
  /** The point the order is for: exact on demand (most comparisons are settled in doubles). */
  private atExact: Rational | null = ZERO;
  /** With atExact null: the order is for this bound itself, or the midpoint of it and the next. */
  private atBound = 0;
  private onBound = false;
  /** On a bound where two members' totals meet: the two (−1: none), compared by tie-breakers alone. */
  private tieA = -1;
  private tieB = -1;
  /**
   * On a bound where one member's total meets a grade level: the member (−1: none), whose
   * total equals every level in that level's class there: no exact root or sign is needed.
   */
  private levelMember = -1;
  private levelClass = -1;
  /** Each level's class: the first level of exactly its value (−1 for none). */
  private readonly levelClasses: Int16Array;
  private atf = 0;
  /** Whether `order` holds an order of the members yet (a reset's, then the walk's). */
  private ordered = false;
  private bounds: SweepBounds | null = null;
  /**
   * Each rule's admission test and award, and the tie test, made once: a sweep regrades
   * thousands of times, and closures made per regrade cost more than the fill itself.
   */
  private readonly admitsFor: ((u: number) => boolean)[];
  private readonly takeFor: ((u: number) => void)[];
  private readonly sameRank: (a: number, b: number) => boolean;
  /** Scratch for a step. */
  private readonly oldGrade: Int16Array;
  private readonly slots: Int32Array;
  private readonly moving: Int32Array;
  /** The first rule is the only quota rule, of every member (see regradeAfterStep). */
  private readonly firstQuotaOnly: boolean;
  private readonly quotaLimit: number;
  /** The first rule's members at the last fill, the first `quotaCount`; `taken` marks them during a fill. */
  private quotaMembers: Int32Array;
  /** The list before the last fill, its members' grades still to update. */
  private quotaBefore: Int32Array;
  private quotaCount = 0;
  private readonly taken: Uint8Array;
  private readonly admitsFirst: (u: number) => boolean;
  private readonly markTaken: (u: number) => void;

  constructor(
    list: readonly number[],
    units: SweepUnits,
    private readonly scheme: Scheme,
  ) {
    const n = list.length;
    const rules = scheme.grades.rules;
    const levels = [
      ...rules.map((r) => (r.minTotal === undefined ? null : parseDecimal(r.minTotal))),
      ...rules.map((r) => (r.belowTotal === undefined ? null : parseDecimal(r.belowTotal))),
    ];
    this.n = n;
    this.order = new Int32Array(n);
    this.position = new Int32Array(n);
    this.rank = new Int32Array(n);
    this.grade = new Int16Array(n);
    this.changed = new Int32Array(3 * n);
    this.R = rules.length;
    this.above = new Uint8Array(n * Math.max(1, 2 * this.R));
    // Packed arrays (map), as every other caller's; typed ones filled in a plain loop.
    this.totals = list.map((i) => units.totals[i]!);
    this.keys = list.map((i) => units.tieKeys[i]!);
    const ids = list.map((i) => units.ids[i]!);
    this.forced = new Uint8Array(n);
    this.eligible = new Uint8Array(n);
    for (let l = 0; l < n; l++) {
      const i = list[l]!;
      this.forced[l] = units.forced[i] ? 1 : 0;
      this.eligible[l] = units.excellence[i] ? 1 : 0;
    }
    this.lines = linesOf(this.totals);
    this.last =
      scheme.ranking.lastLosesExcellence && rules.some((r) => r.requiresExcellenceEligibility)
        ? new LastPlaces(
            list.map((i) => units.groups?.[i] ?? ""),
            this.eligible,
            this.forced,
            vetoedUnranked(units),
          )
        : null;
    this.idOrder = idOrder(ids);
    this.levels = levels;
    this.levelF = Float64Array.from(levels, (m) => (m === null ? 0 : toNumber(m)));
    this.levelClasses = Int16Array.from(levels, (m) =>
      m === null ? -1 : levels.findIndex((o) => o !== null && cmp(o, m) === 0),
    );
    this.quota = Uint8Array.from(rules, (r) => (r.quota ? 1 : 0));
    this.needsExcellence = Uint8Array.from(rules, (r) => (r.requiresExcellenceEligibility ? 1 : 0));
    this.lastQuota = this.quota.lastIndexOf(1);
    this.limitOf = rules.map(({ quota }) => (quota ? quotaLimiter(quota) : null));
    this.boundary = new Int32Array(rules.length);
    this.admitsFor = rules.map(
      (_, r) => (u: number) =>
        this.grade[u] === -1 && !(this.needsExcellence[r] && !this.eligible[u]) && this.withinLines(u, r),
    );
    this.takeFor = rules.map((_, r) => (u: number) => {
      this.grade[u] = r;
    });
    this.sameRank = (a, b) => this.rank[a] === this.rank[b];
    this.oldGrade = new Int16Array(n);
    this.slots = new Int32Array(n);
    this.moving = new Int32Array(n);
    const firstQuota = rules[0]?.quota;
    this.firstQuotaOnly = this.lastQuota === 0 && firstQuota !== undefined && firstQuota.of !== "admitted";
    this.quotaLimit = this.firstQuotaOnly ? this.limitOf[0]!(n) : 0;
    this.quotaMembers = new Int32Array(n);
    this.quotaBefore = new Int32Array(n);
    this.taken = new Uint8Array(n);
    // The first rule's admission as regrade's, whose grades are all unset when it is filled.
    this.admitsFirst = (u) => !(this.needsExcellence[0] && !this.eligible[u]) && this.withinLines(u, 0);
    this.markTaken = (u) => {
      this.taken[u] = 1;
      this.quotaMembers[this.quotaCount++] = u;
    };
  }

  gradeId(g: number): string | null {
    if (g < 0) return null;
    return g < this.R ? this.scheme.grades.rules[g]!.id : (this.scheme.grades.fallback?.id ?? null);
  }

  /** Every grade number's id, by number + 1 (−1: no grade). */
  gradeIds(): (string | null)[] {
    return Array.from({ length: this.R + 2 }, (_, k) => this.gradeId(k - 1));
  }

  /**
   * Every x where two members' totals (or, for identical totals, tie-breakers) cross, or a
   * total crosses a grade threshold or line; found into `crossings`, which the bounds then read.
   */
  events(from: Rational, to: Rational, crossings: Crossings): SweepBounds {
    const limits = this.levels.map((m) => (m ? linear(m, ZERO, from, to) : null));
    const members = { totals: this.totals, keys: this.keys, forced: this.forced, lines: this.lines };
    this.bounds = new SweepBounds(pairCrossings(members, limits, to, crossings), from, to, this.n);
    return this.bounds;
  }

  /** Full recomputation at x. */
  reset(x: Rational): void {
    this.atExact = x;
    this.tieA = -1;
    this.levelMember = -1;
    this.atf = toNumber(x);
    if (!this.ordered || !this.resort()) {
      const sorted = Array.from({ length: this.n }, (_, l) => l).sort((a, b) => this.byStanding(a, b));
      this.order.set(sorted);
    }
    this.ordered = true;
    for (let p = 0; p < this.n; p++) this.position[this.order[p]!] = p;
    this.rank.fill(0);
    this.changedCount = 0;
    this.reRankAll();
    for (let l = 0; l < this.n; l++) this.setAbove(l);
    this.last?.update(this.order, this.position, this.rank, null, 0);
    this.regrade();
  }

  /**
   * The last order, re-sorted in place by insertion: a walk resets next to where it stands
   * (a range's end beside the stretch next to it), where few members change places. Gives up,
   * false, past a few moves per member (the order is then some order of the members).
   */
  private resort(): boolean {
    const order = this.order;
    let budget = 4 * this.n;
    for (let k = 1; k < this.n; k++) {
      const l = order[k]!;
      let j = k - 1;
      while (j >= 0 && this.byStanding(order[j]!, l) > 0) {
        if (--budget < 0) return false;
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = l;
    }
    return true;
  }

  /** Full recomputation at x, with some members' values there replaced (the functions stay). */
  resetWith(x: Rational, values: PointValues | null): void {
    if (!values) {
      this.reset(x);
      return;
    }
    const { members } = values;
    const totals = members.map((l) => this.totals[l]!);
    const keys = members.map((l) => this.keys[l]!);
    for (let j = 0; j < members.length; j++) this.setMember(members[j]!, values.totals[j]!, values.keys[j]!);
    this.reset(x);
    for (let j = 0; j < members.length; j++) this.setMember(members[j]!, totals[j]!, keys[j]!);
  }

  private setMember(l: number, total: PiecewiseLinear, keys: readonly (PiecewiseLinear | null)[]): void {
    this.totals[l] = total;
    this.keys[l] = keys as (PiecewiseLinear | null)[];
    const p = total.pieces[0]!;
    const L = this.lines;
    L.line[l] = total.pieces.length === 1 ? 1 : 0;
    L.a[l] = p.af;
    L.b[l] = p.bf;
    L.from[l] = p.ff;
  }

  /**
   * From the interval before bound b to the bound itself, where the members crossing there
   * tie: a tie can give a rank or grade (a quota's tied last place) held at that point only.
   */
  reach(b: number): void {
    this.step(b, true);
  }

  /** From bound b (after `reach(b)`) to the interval after it. */
  advance(b: number): void {
    this.step(b, false);
  }

  /**
   * Re-sorts only the members that cross at bound b, in the positions they hold, and fills
   * `changed` with members whose rank or grade may have changed.
   */
  private step(b: number, onBound: boolean): void {
    const bounds = this.bounds!;
    this.atExact = null;
    this.atBound = b;
    this.onBound = onBound;
    this.atf = onBound ? bounds.xf[b]! : (bounds.xf[b]! + bounds.xf[b + 1]!) / 2;
    const first = bounds.start[b - 1]!;
    // Their totals are equal there by construction: no exact root or difference is needed.
    this.tieA = onBound && bounds.tie[b] === 1 ? bounds.members[first]! : -1;
    this.tieB = this.tieA >= 0 ? bounds.members[first + 1]! : -1;
    const level = onBound ? bounds.level[b]! : -1;
    this.levelMember = level >= 0 ? bounds.members[first]! : -1;
    this.levelClass = level >= 0 ? this.levelClasses[level]! : -1;
    const k = bounds.start[b]! - first;
    const slots = this.slots;
    for (let i = 0; i < k; i++) slots[i] = this.position[bounds.members[first + i]!]!;
    // The members' positions in order: they are the positions the step re-sorts and re-ranks.
    sortPositions(slots, k);
    if (k === 1) {
      // A total crossing a grade threshold: the order stays.
    } else if (k === 2) {
      const u = this.order[slots[0]!]!;
      const v = this.order[slots[1]!]!;
      const uFirst = this.byStanding(u, v) <= 0;
      this.stepComparisons++;
      this.place(uFirst ? u : v, slots[0]!);
      this.place(uFirst ? v : u, slots[1]!);
    } else {
      // The members in the order they stood, then sorted into the new one by insertion: only
      // members that meet here change places, so the sort takes one exchange per pair that
      // swaps. Taken in the order their crossings were found, it took ~k²/4 comparisons, and
      // a tie-heavy group meets at some x in hundreds of separate pairs (k ≈ n: ~10^8 a sweep).
      const moving = this.moving;
      for (let i = 0; i < k; i++) moving[i] = this.order[slots[i]!]!;
      for (let i = 1; i < k; i++) {
        const l = moving[i]!;
        let j = i - 1;
        for (; j >= 0; j--) {
          this.stepComparisons++;
          if (this.byStanding(moving[j]!, l) <= 0) break;
          moving[j + 1] = moving[j]!;
        }
        moving[j + 1] = l;
      }
      for (let i = 0; i < k; i++) this.place(moving[i]!, slots[i]!);
    }
    this.changedCount = 0;
    for (let i = 0; i < k; i++) this.changed[this.changedCount++] = bounds.members[first + i]!;
    const lo = slots[0]!;
    const hi = slots[k - 1]!;
    this.reRankAround(slots, k);
    let crossedRule = this.R;
    if (bounds.meetsLevel[b] === 1)
      for (let i = 0; i < k; i++)
        crossedRule = Math.min(crossedRule, this.setAbove(bounds.members[first + i]!));
    // A new last place moves eligibility for excellence, and with it any grade that needs it.
    if (this.last?.update(this.order, this.position, this.rank, this.changed, this.changedCount))
      this.regrade();
    // Grades move only when a threshold or line is crossed, a quota's boundary lies among the
    // re-sorted positions, or ties form or break there; skipping the rest keeps a sweep linear.
    else if (this.quotaTouched(lo, hi, !onBound)) this.regradeAfterStep(first, k);
    else if (crossedRule < this.R) {
      // Past the last quota rule, a grade depends on the unit's own side of each threshold only.
      if (crossedRule > this.lastQuota)
        for (let i = 0; i < k; i++) this.regradeOne(bounds.members[first + i]!);
      else this.regradeAfterStep(first, k);
    }
  }

  /**
   * regrade after a step whose members are bounds.members[first..first + k). When the first
   * rule is the only quota rule and counts every member, only its places are filled again: any
   * other grade is the member's own thresholds', which moved only for the step's members. A
   * province sweep regrades ~5,000 times, each over every member of the group.
   */
  private regradeAfterStep(first: number, k: number): void {
    if (!this.firstQuotaOnly) {
      this.regrade();
      return;
    }
    const quota = this.scheme.grades.rules[0]!.quota!;
    const taken = this.taken;
    const was = this.quotaMembers;
    const count = this.quotaCount;
    this.quotaMembers = this.quotaBefore;
    this.quotaBefore = was;
    this.quotaCount = 0;
    this.boundary[0] = fillQuota(
      quota,
      this.order,
      this.quotaLimit,
      this.admitsFirst,
      this.sameRank,
      this.markTaken,
    );
    // Members who lost their place take their thresholds' grade; those who gained one, the quota's.
    for (let j = 0; j < count; j++) {
      const u = was[j]!;
      if (taken[u] === 0) this.setGrade(u, this.thresholdGrade(u));
    }
    for (let j = 0; j < this.quotaCount; j++) this.setGrade(this.quotaMembers[j]!, 0);
    const members = this.bounds!.members;
    for (let i = 0; i < k; i++) {
      const u = members[first + i]!;
      if (taken[u] === 0) this.setGrade(u, this.thresholdGrade(u));
    }
    for (let j = 0; j < this.quotaCount; j++) taken[this.quotaMembers[j]!] = 0;
  }

  private setGrade(u: number, g: number): void {
    if (this.grade[u] === g) return;
    this.grade[u] = g;
    this.changed[this.changedCount++] = u;
  }

  /** The first rule but a quota's whose threshold and line admit member l; the fallback, or −1. */
  private thresholdGrade(l: number): number {
    for (let r = 0; r < this.R; r++) {
      if (this.quota[r] || (this.needsExcellence[r] && !this.eligible[l])) continue;
      if (this.withinLines(l, r)) return r;
    }
    return this.scheme.grades.fallback ? this.R : -1;
  }

  private place(l: number, p: number): void {
    this.order[p] = l;
    this.position[l] = p;
  }

  private quotaTouched(lo: number, hi: number, ties: boolean): boolean {
    // A quota filled from the top ends at its boundary, one from the bottom starts there:
    // a move next to it on either side can change who is in.
    for (let r = 0; r < this.boundaries; r++) {
      const b = this.boundary[r]!;
      if (b >= lo - 1 && b <= hi + 1) return true;
    }
    // Units tied at a bound are units that cross there: a tie decides a quota's places only
    // next to its boundary, and at nearly every bound some tie forms, so bounds skip this.
    if (!ties) return false;
    const end = Math.min(hi + 1, this.n - 1);
    for (let p = Math.max(lo, 1); p <= end; p++)
      if (this.rank[this.order[p]!] === this.rank[this.order[p - 1]!]) return true;
    return false;
  }

  /** Sign of b's standing minus a's at the current point: negative when a ranks ahead. */
  private compare(a: number, b: number): number {
    const fa = this.forced[a];
    if (fa !== this.forced[b]) return fa ? 1 : -1;
    const t = this.tieA;
    if (t >= 0 && (a === t || b === t) && (a === this.tieB || b === this.tieB)) return this.byKeys(a, b);
    const ta = this.totals[a]!;
    const tb = this.totals[b]!;
    const va = this.valueF(a);
    const vb = this.valueF(b);
    const tol = 1e-9 * (1 + Math.abs(va));
    if (vb - va > tol) return 1;
    if (va - vb > tol) return -1;
    const c = signOfDifference(tb, ta, this.at());
    return c !== 0 ? c : this.byKeys(a, b);
  }

  /** Sign of b's tie-breakers minus a's, for equal totals. */
  private byKeys(a: number, b: number): number {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    for (let t = 0; t < ka.length; t++) {
      const x = ka[t];
      const y = kb[t];
      if (!x || !y) continue;
      // Screened in doubles as totals are: at a bound, the two members' keys are read every time.
      const vx = valueAtF(x, this.atf);
      const vy = valueAtF(y, this.atf);
      const tol = 1e-9 * (1 + Math.abs(vx));
      if (vy - vx > tol) return 1;
      if (vx - vy > tol) return -1;
      const d = signOfDifference(y, x, this.at());
      if (d !== 0) return d;
    }
    return 0;
  }

  /** A member's total at the current point, as a double. */
  private valueF(l: number): number {
    const L = this.lines;
    return L.line[l] ? L.a[l]! + L.b[l]! * this.atf : valueAtF(this.totals[l]!, this.atf);
  }

  private byStanding(a: number, b: number): number {
    return this.compare(a, b) || (this.idOrder[a]! < this.idOrder[b]! ? -1 : 1);
  }

  /** The exact point (a bound, or between events the midpoint), made only when doubles cannot decide. */
  private at(): Rational {
    this.atExact ??= this.onBound ? this.bounds!.x(this.atBound) : this.bounds!.mid(this.atBound);
    return this.atExact;
  }

  /** Updates a member's side of each level; returns the first rule whose admission may have changed (R if none). */
  private setAbove(l: number): number {
    let first = this.R;
    const R = this.R;
    const total = this.totals[l]!;
    const value = this.valueF(l);
    for (let k = 0; k < 2 * R; k++) {
      const m = this.levels[k]!;
      // No threshold admits everyone; no line excludes no one.
      let v = k < R ? 1 : 0;
      if (m !== null) {
        const f = value - this.levelF[k]!;
        const tol = 1e-9 * (1 + Math.abs(f));
        v =
          f > tol ||
          (f > -tol &&
            ((l === this.levelMember && this.levelClasses[k] === this.levelClass) ||
              signAtPoint(total, m, this.at()) >= 0))
            ? 1
            : 0;
      }
      const at = l * 2 * R + k;
      if (this.above[at] !== v && k % R < first) first = k % R;
      this.above[at] = v;
    }
    return first;
  }

  /** Whether rule r's threshold and line admit member l (eligibility and earlier rules aside). */
  private withinLines(l: number, r: number): boolean {
    const at = l * 2 * this.R;
    return this.above[at + r] === 1 && this.above[at + this.R + r] === 0;
  }

  private reRankAll(): void {
    for (let p = 0; p < this.n; p++) this.reRankAt(p);
  }

  /**
   * Ranks again after the members at the k positions `slots` (ascending) changed places. A
   * rank depends on the unit before it: past a member, ranks move only along a chain of
   * changed ones, and two units that did not meet here compare as before, so positions
   * between members whose rank holds are skipped. Walking every position from the first
   * member to the last visited ~86 a crossing in a random group of 1,400, whose events at one
   * x are often pairs far apart.
   */
  private reRankAround(slots: Int32Array, k: number): void {
    let s = 0;
    let p = slots[0]!;
    while (p < this.n) {
      const unchanged = this.reRankAt(p);
      const member = s < k && slots[s] === p;
      if (member) s++;
      if (member || !unchanged) p++;
      else if (s < k) p = slots[s]!;
      else break;
    }
  }

  /** Ranks the unit at position p after the one before it; true when its rank holds. */
  private reRankAt(p: number): boolean {
    const u = this.order[p]!;
    const prev = p > 0 ? this.order[p - 1]! : -1;
    const r = prev >= 0 && this.compare(prev, u) === 0 ? this.rank[prev]! : p + 1;
    const unchanged = this.rank[u] === r;
    this.rank[u] = r;
    if (!unchanged) this.changed[this.changedCount++] = u;
    return unchanged;
  }

  /** The pipeline's grade rules over the current order (quotas within the group). */
  private regrade(): void {
    const n = this.n;
    const old = this.oldGrade;
    old.set(this.grade);
    this.grade.fill(-1);
    this.boundaries = 0;
    const rules = this.scheme.grades.rules;
    for (let ri = 0; ri < this.R; ri++) {
      const admits = this.admitsFor[ri]!;
      const quota = rules[ri]!.quota;
      if (!quota) {
        // admits(u), written out: this loop runs over every member at every regrade.
        const stride = 2 * this.R;
        const needs = this.needsExcellence[ri] === 1;
        for (let u = 0, at = ri; u < n; u++, at += stride)
          if (
            this.grade[u] === -1 &&
            this.above[at] === 1 &&
            this.above[at + this.R] === 0 &&
            !(needs && !this.eligible[u])
          )
            this.grade[u] = ri;
        continue;
      }
      const limit = this.limitOf[ri]!(quotaPopulation(quota, this.order, admits));
      this.boundary[this.boundaries++] = fillQuota(
        quota,
        this.order,
        limit,
        admits,
        this.sameRank,
        this.takeFor[ri]!,
      );
    }
    if (this.scheme.grades.fallback)
      for (let u = 0; u < n; u++) if (this.grade[u] === -1) this.grade[u] = this.R;
    for (let u = 0; u < n; u++) if (old[u] !== this.grade[u]) this.changed[this.changedCount++] = u;
    if (this.firstQuotaOnly) {
      this.quotaCount = 0;
      for (let u = 0; u < n; u++) if (this.grade[u] === 0) this.quotaMembers[this.quotaCount++] = u;
    }
  }

  /** One member's grade when no quota rule can have changed: its quota grade, or the first threshold it meets. */
  private regradeOne(l: number): void {
    const old = this.grade[l]!;
    if (old >= 0 && old < this.R && this.quota[old]) return;
    this.grade[l] = this.thresholdGrade(l);
  }
}

/**
 * The first k positions in ascending order: by insertion for a small event (no allocation, on
 * ~18,000 threshold events a province sweep), natively for a large one.
 */
function sortPositions(slots: Int32Array, k: number): void {
  if (k > 32) {
    slots.subarray(0, k).sort();
    return;
  }
  for (let i = 1; i < k; i++) {
    const p = slots[i]!;
    let j = i - 1;
    while (j >= 0 && slots[j]! > p) {
      slots[j + 1] = slots[j]!;
      j--;
    }
    slots[j + 1] = p;
  }
}

function valueAtF(f: PiecewiseLinear, x: number): number {
  const ps = f.pieces;
  let k = ps.length - 1;
  while (k > 0 && ps[k]!.ff > x) k--;
  const p = ps[k]!;
  return p.af + p.bf * x;
}

function idOrder(ids: string[]): Int32Array {
  const sorted = ids.map((_, l) => l).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const out = new Int32Array(ids.length);
  sorted.forEach((l, k) => {
    out[l] = k;
  });
  return out;
}

/**
 * The groups with a unit a veto places last that has no total (read from `groups`, given where
 * last place bars excellence). Not walked, for it has no rank, such a unit is its group's last
 * all the same, as rankAndGrade has it: the group's walked units are then last only where a
 * veto places them so.
 */
function vetoedUnranked(units: SweepUnits): ReadonlySet<string> {
  let out = vetoedUnrankedOf.get(units);
  if (out) return out;
  out = new Set<string>();
  const { groups } = units;
  if (groups)
    for (let i = 0; i < groups.length; i++) if (units.forced[i] && !units.totals[i]) out.add(groups[i]!);
  vetoedUnrankedOf.set(units, out);
  return out;
}

// Read once per sweep's units: a sweep makes a GroupSweep for each group, and each would scan
// every unit of the year again for the same answer.
const vetoedUnrankedOf = new WeakMap<SweepUnits, Set<string>>();

/**
 * Each group's last-ranked members as a walk moves, where last place bars excellence
 * (`ranking.lastLosesExcellence`), as rankAndGrade marks them: the units a veto places last,
 * wherever the points are, in a group that has any (walked or not: `vetoedUnranked` names the
 * groups with such a unit without a total); else the units tied for its last place, none when
 * it has one unit or all tie for first. Members' eligibility for excellence is kept in the
 * walk's `eligible`, the veto's with last place's taken from it.
 */
class LastPlaces {
  /** Members by group: group g's are byGroup[start[g] … start[g + 1]). */
  private readonly byGroup: Int32Array;
  private readonly start: Int32Array;
  private readonly groupOf: Int32Array;
  /** Each group's members tied with its last (its block), the first count[g] from start[g]. */
  private readonly block: Int32Array;
  private readonly count: Int32Array;
  private readonly inBlock: Uint8Array;
  /** Each group's last member at its last update (−1 before the first). */
  private readonly lastOf: Int32Array;
  /** Whether a group's block is barred: the group has more than one unit and not all tie for first. */
  private readonly barred: Uint8Array;
  private readonly vetoEligible: Uint8Array;
  private readonly fresh: Int32Array;
  private readonly seen: Int32Array;
  /** 1 for a group with a member a veto places last: those members are its last, at every point. */
  private readonly forcedOf: Uint8Array;
  private stamp = 0;

  constructor(
    groups: readonly string[],
    private readonly eligible: Uint8Array,
    private readonly forced: Uint8Array,
    vetoedUnranked: ReadonlySet<string>,
  ) {
    const n = groups.length;
    const index = new Map<string, number>();
    this.groupOf = Int32Array.from(groups, (g) => {
      const k = index.get(g);
      if (k !== undefined) return k;
      index.set(g, index.size);
      return index.size - 1;
    });
    const G = index.size;
    this.start = new Int32Array(G + 1);
    for (let l = 0; l < n; l++) this.start[this.groupOf[l]! + 1]!++;
    for (let g = 0; g < G; g++) this.start[g + 1]! += this.start[g]!;
    this.byGroup = new Int32Array(n);
    const next = this.start.slice(0, G);
    for (let l = 0; l < n; l++) this.byGroup[next[this.groupOf[l]!]!++] = l;
    this.block = new Int32Array(n);
    this.count = new Int32Array(G);
    this.inBlock = new Uint8Array(n);
    this.lastOf = new Int32Array(G).fill(-1);
    this.barred = new Uint8Array(G);
    this.vetoEligible = eligible.slice();
    this.fresh = new Int32Array(n);
    this.seen = new Int32Array(G);
    this.forcedOf = new Uint8Array(G);
    for (let l = 0; l < n; l++)
      if (forced[l] || vetoedUnranked.has(groups[l]!)) this.forcedOf[this.groupOf[l]!] = 1;
  }

  /**
   * Finds the last places again, of every group (`changed` null) or of the groups where a
   * member whose rank or place changed can have joined or left the last: one in its block, or
   * now at or below its last. True when some member's eligibility moved.
   */
  update(
    order: Int32Array,
    position: Int32Array,
    rank: Int32Array,
    changed: Int32Array | null,
    changedCount: number,
  ): boolean {
    const G = this.count.length;
    let moved = false;
    if (changed === null || G === 1) {
      for (let g = 0; g < G; g++) if (this.groupLast(g, order, position, rank)) moved = true;
      return moved;
    }
    // A walk of several groups: a group's last moves only where its own members cross near it,
    // so the other steps (most of them, in a few large groups) leave it alone.
    this.stamp++;
    for (let c = 0; c < changedCount; c++) {
      const l = changed[c]!;
      const g = this.groupOf[l]!;
      if (this.seen[g] === this.stamp) continue;
      const last = this.lastOf[g]!;
      if (last >= 0 && this.inBlock[l] === 0 && position[l]! < position[last]! && rank[l] !== rank[last])
        continue;
      this.seen[g] = this.stamp;
      if (this.groupLast(g, order, position, rank)) moved = true;
    }
    return moved;
  }

  private groupLast(g: number, order: Int32Array, position: Int32Array, rank: Int32Array): boolean {
    const lo = this.start[g]!;
    const size = this.start[g + 1]! - lo;
    const fresh = this.fresh;
    let k = 0;
    let last: number;
    if (this.forcedOf[g] === 1) {
      // Its last are the members a veto places last, whatever the order: found once, not at
      // every step (a walk of one group asks at each).
      if (this.lastOf[g]! >= 0) return false;
      last = this.byGroup[lo]!;
      for (let j = lo; j < lo + size; j++) {
        const l = this.byGroup[j]!;
        if (this.forced[l]) fresh[k++] = l;
        if (position[l]! > position[last]!) last = l;
      }
    } else if (size === order.length) {
      // The walk is this group's: its last are the end of the order.
      last = order[size - 1]!;
      const r = rank[last]!;
      for (let p = size - 1; p >= 0 && rank[order[p]!] === r; p--) fresh[k++] = order[p]!;
    } else {
      // One group among several: its last member stands furthest down the order, and equal
      // standings share a rank there too.
      last = this.byGroup[lo]!;
      for (let j = lo + 1; j < lo + size; j++)
        if (position[this.byGroup[j]!]! > position[last]!) last = this.byGroup[j]!;
      const r = rank[last]!;
      for (let j = lo; j < lo + size; j++) if (rank[this.byGroup[j]!] === r) fresh[k++] = this.byGroup[j]!;
    }
    this.lastOf[g] = last;
    this.barred[g] = this.forcedOf[g] === 1 || (size > 1 && k < size) ? 1 : 0;
    let moved = false;
    const was = this.count[g]!;
    for (let j = 0; j < was; j++) this.inBlock[this.block[lo + j]!] = 0;
    for (let j = 0; j < k; j++) this.inBlock[fresh[j]!] = 1;
    for (let j = 0; j < was; j++) moved = this.settle(this.block[lo + j]!, g) || moved;
    for (let j = 0; j < k; j++) {
      moved = this.settle(fresh[j]!, g) || moved;
      this.block[lo + j] = fresh[j]!;
    }
    this.count[g] = k;
    return moved;
  }

  /** Sets member l's eligibility from its veto and its group's last place; true when it changed. */
  private settle(l: number, g: number): boolean {
    const e = this.vetoEligible[l] === 1 && !(this.inBlock[l] === 1 && this.barred[g] === 1) ? 1 : 0;
    if (this.eligible[l] === e) return false;
    this.eligible[l] = e;
    return true;
  }
}
