import type { Finding } from "../dataset/dataset.js";
import { add, cmp, lcm, parseDecimal, type Rational, ratio, toExactString, ZERO } from "../rational.js";
import type { FindingType } from "../scheme/scheme-schema.js";

/**
 * What one finding costs a unit, and which rule of the deduction table set the amount.
 * Shaped as the evaluation publishes it (an `adjustments` entry), so that the 300,000 lines
 * of a province year are made once, not once exact and once published. The same line
 * objects are therefore shared by the exact evaluation, every publication of it, and a
 * baseline's scenarios: read-only.
 */
export interface DeductionLine {
  readonly kind: "deduction";
  readonly record: string;
  readonly type: string;
  readonly level: string;
  /** The category it hits, or null for the total. */
  readonly category: string | null;
  /** Signed and exact: "-0.3" ("0" for a zero amount); `parseDecimal` reads it back as the negated amount. */
  readonly points: string;
  readonly basis: "per finding" | "rectified late" | "not rectified" | "repeated";
}

/** A per-type cap that cut a unit's deductions ("deducted at most 5 points for complaints"). */
export interface DeductionCap {
  type: string;
  category: string | null;
  before: Rational;
  after: Rational;
}

export interface UnitDeductions {
  lines: DeductionLine[];
  caps: DeductionCap[];
  /** Capped amount per target: a category id, or "" for the total. */
  byTarget: Map<string, Rational>;
}

/**
 * Daily-inspection deductions (日常考核扣分) per unit. Escalated amounts replace the
 * per-finding amount rather than adding to it: the table reads "−0.3 per case, −1 if not
 * rectified in time, −2 if notified twice in a row", each the whole cost of that case.
 * Findings are processed in id order so results never depend on row order.
 */
export function deductionsByUnit(
  types: readonly FindingType[],
  findings: readonly Finding[],
): Map<string, UnitDeductions> {
  const table = deductionTable(types);
  const slots = table.slots;
  // Two passes in row order, which is memory order. The first finds each row's unit and
  // charge and counts; the second fills lists allocated at their final length. Pushing into
  // 10,000 growing lists, or visiting rows unit by unit, missed the cache on nearly every
  // one of 300,000 findings.
  const ordinal = new Map<string, number>();
  const unitIds: string[] = [];
  const unitOf = new Int32Array(findings.length);
  const chargeOf: (Charge | undefined)[] = new Array(findings.length);
  // Per unit (by ordinal), how many findings cost each charge (by slot).
  let counts = new Float64Array(slots * 64);
  let inIdOrder = true;
  let previousId = "";
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    // Stores deliver findings in id order more often than not; then no unit's lines need sorting.
    if (f.id < previousId) inIdOrder = false;
    previousId = f.id;
    const level = table.chargesOf(f.type, f.level);
    if (level === undefined) {
      unitOf[i] = -1; // validation reports these
      continue;
    }
    let k = ordinal.get(f.unit);
    if (k === undefined) {
      k = unitIds.length;
      ordinal.set(f.unit, k);
      unitIds.push(f.unit);
      if ((k + 1) * slots > counts.length) {
        const grown = new Float64Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
    }
    const charge = chargeFor(level, f);
    unitOf[i] = k;
    chargeOf[i] = charge;
    counts[k * slots + charge.slot]! += 1;
  }
  const linesOf: DeductionLine[][] = [];
  for (let k = 0; k < unitIds.length; k++) {
    let n = 0;
    for (let s = k * slots; s < (k + 1) * slots; s++) n += counts[s]!;
    linesOf.push(new Array<DeductionLine>(n));
  }
  const filled = new Int32Array(unitIds.length);
  for (let i = 0; i < findings.length; i++) {
    const k = unitOf[i]!;
    if (k < 0) continue;
    const f = findings[i]!;
    const charge = chargeOf[i]!;
    linesOf[k]![filled[k]!++] = {
      kind: "deduction",
      record: f.id,
      type: f.type,
      level: f.level,
      category: charge.category,
      points: charge.points,
      basis: charge.basis,
    };
  }
  // A type's sum is a whole number of its common denominator: exact in doubles below 2^53.
  const sumInDoubles = table.largestNumerator * findings.length <= Number.MAX_SAFE_INTEGER;
  const out = new Map<string, UnitDeductions>();
  for (let k = 0; k < unitIds.length; k++) {
    const lines = linesOf[k]!;
    // Sorting lines by record is sorting the unit's findings by id (stable either way).
    if (!inIdOrder) lines.sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : 0));
    const unit: UnitDeductions = { lines, caps: [], byTarget: new Map() };
    const base = k * slots;
    for (const type of table.inIdOrder) {
      let found = 0;
      for (const c of type.charges) found += counts[base + c.slot]!;
      if (found === 0) continue;
      const numerator = sumInDoubles
        ? BigInt(sumOfCounts(type, counts, base))
        : exactSumOfCounts(type, counts, base);
      let amount = ratio(numerator, type.denominator);
      if (type.cap !== undefined && cmp(amount, type.cap) > 0) {
        unit.caps.push({ type: type.id, category: type.category, before: amount, after: type.cap });
        amount = type.cap;
      }
      const target = type.category ?? "";
      unit.byTarget.set(target, add(unit.byTarget.get(target) ?? ZERO, amount));
    }
    out.set(unitIds[k]!, unit);
  }
  return out;
}

/** What one finding can cost under a level's escalation rules, and its slot in a unit's counts. */
interface Charge {
  category: string | null;
  amount: Rational;
  /** The amount as a line shows it. */
  points: string;
  basis: DeductionLine["basis"];
  slot: number;
  /** `amount` in whole units of its type's common denominator. */
  numerator: bigint;
  numeratorAsDouble: number;
}

interface LevelCharges {
  perFinding: Charge;
  late: Charge;
  notRectified: Charge;
  repeated: Charge | undefined;
}

interface TypeCharges {
  id: string;
  category: string | null;
  cap: Rational | undefined;
  levels: Map<string, LevelCharges>;
  /** Every charge of the type: a unit's sum for the type is Σ count × numerator. */
  charges: Charge[];
  /** The least common denominator of the type's amounts. */
  denominator: bigint;
}

/** A scheme's deduction table read once per call: a year's findings share a few dozen charges. */
interface DeductionTable {
  /** A level's charges, undefined for an unknown type or level. */
  chargesOf: (type: string, level: string) => LevelCharges | undefined;
  /** Types in id order: a unit's types are summed and capped in this order. */
  inIdOrder: TypeCharges[];
  slots: number;
  largestNumerator: number;
}

function deductionTable(types: readonly FindingType[]): DeductionTable {
  const ids = [...new Map(types.map((t) => [t.id, t])).values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  let slots = 0;
  let largestNumerator = 0;
  const inIdOrder = ids.map((t): TypeCharges => {
    const read = Object.entries(t.levels).map(([level, row]) => [level, readLevel(row)] as const);
    let denominator = 1n;
    for (const [, amounts] of read)
      for (const a of Object.values(amounts)) if (a) denominator = lcm(denominator, a.d);
    const charges: Charge[] = [];
    const charge = (amount: Rational, basis: DeductionLine["basis"]): Charge => {
      const numerator = (amount.n * denominator) / amount.d;
      const c = {
        category: t.category ?? null,
        amount,
        points: amount.n === 0n ? "0" : `-${toExactString(amount)}`,
        basis,
        slot: slots++,
        numerator,
        numeratorAsDouble: Number(numerator),
      };
      largestNumerator = Math.max(largestNumerator, Math.abs(c.numeratorAsDouble));
      charges.push(c);
      return c;
    };
    const levels = new Map<string, LevelCharges>();
    for (const [level, a] of read)
      levels.set(level, {
        perFinding: charge(a.perFinding, "per finding"),
        late: charge(a.late, "rectified late"),
        notRectified: charge(a.notRectified, "not rectified"),
        repeated: a.repeated && charge(a.repeated, "repeated"),
      });
    return {
      id: t.id,
      category: t.category ?? null,
      cap: t.cap === undefined ? undefined : parseDecimal(t.cap),
      levels,
      charges,
      denominator,
    };
  });
  return { chargesOf: levelLookup(inIdOrder), inIdOrder, slots, largestNumerator };
}

/**
 * A table holds a few dozen (type, level) pairs, and a year's findings repeat the same
 * few string instances: scanning them with `===` beats two hash look-ups per finding.
 * Larger tables use the maps.
 */
function levelLookup(types: readonly TypeCharges[]): DeductionTable["chargesOf"] {
  const pairs = types.flatMap((t) =>
    [...t.levels].map(([level, charges]) => ({ type: t.id, level, charges })),
  );
  if (pairs.length > 32) {
    const byId = new Map(types.map((t) => [t.id, t]));
    return (type, level) => byId.get(type)?.levels.get(level);
  }
  return (type, level) => {
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i]!;
      if (p.type === type && p.level === level) return p.charges;
    }
    return undefined;
  };
}

interface LevelAmounts {
  perFinding: Rational;
  late: Rational;
  notRectified: Rational;
  repeated: Rational | undefined;
}

function readLevel(table: FindingType["levels"][string]): LevelAmounts {
  const notRectified = parseDecimal(table.notRectified ?? table.perFinding);
  return {
    perFinding: parseDecimal(table.perFinding),
    late: table.late === undefined ? notRectified : parseDecimal(table.late),
    notRectified,
    repeated: table.repeated === undefined ? undefined : parseDecimal(table.repeated),
  };
}

function chargeFor(level: LevelCharges, f: Finding): Charge {
  if (f.repeated === true && level.repeated !== undefined) return level.repeated;
  if (f.rectification === "not-rectified") return level.notRectified;
  if (f.rectification === "late") return level.late;
  return level.perFinding;
}

function sumOfCounts(type: TypeCharges, counts: Float64Array, base: number): number {
  let sum = 0;
  for (const c of type.charges) sum += counts[base + c.slot]! * c.numeratorAsDouble;
  return sum;
}

function exactSumOfCounts(type: TypeCharges, counts: Float64Array, base: number): bigint {
  let sum = 0n;
  for (const c of type.charges) sum += BigInt(counts[base + c.slot]!) * c.numerator;
  return sum;
}
