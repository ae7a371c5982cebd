import type { Finding } from "../dataset/dataset.js";
import { add, cmp, parseDecimal, type Rational, ZERO } from "../rational.js";
import type { FindingType } from "../scheme/scheme-schema.js";

/** What one finding costs a unit, and which rule of the deduction table set the amount. */
export interface DeductionLine {
  record: string;
  type: string;
  level: string;
  /** The category it hits, or null for the total. */
  category: string | null;
  amount: Rational;
  basis: "per finding" | "rectified late" | "not rectified" | "repeated";
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
  const typeById = new Map(types.map((t) => [t.id, t]));
  // Order matters only within a unit: sort each unit's few findings, not the year's 300,000.
  const byUnit = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byUnit.get(f.unit);
    if (list) list.push(f);
    else byUnit.set(f.unit, [f]);
  }
  const sorted: Finding[] = [];
  for (const list of byUnit.values()) {
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const f of list) sorted.push(f);
  }
  // A year's findings share a dozen table entries: read each once per call.
  const amounts = new Map<FindingType["levels"][string], LevelAmounts>();
  const out = new Map<string, UnitDeductions>();
  const perType = new Map<string, Map<string, Rational>>(); // unit → type → uncapped sum
  for (const f of sorted) {
    const type = typeById.get(f.type);
    const table = type?.levels[f.level];
    if (!type || !table) continue; // validation reports these
    let levelAmounts = amounts.get(table);
    if (!levelAmounts) {
      levelAmounts = readLevel(table);
      amounts.set(table, levelAmounts);
    }
    const [amount, basis] = findingAmount(levelAmounts, f);
    let unit = out.get(f.unit);
    if (!unit) {
      unit = { lines: [], caps: [], byTarget: new Map() };
      out.set(f.unit, unit);
    }
    unit.lines.push({
      record: f.id,
      type: f.type,
      level: f.level,
      category: type.category ?? null,
      amount,
      basis,
    });
    let sums = perType.get(f.unit);
    if (!sums) {
      sums = new Map();
      perType.set(f.unit, sums);
    }
    sums.set(f.type, add(sums.get(f.type) ?? ZERO, amount));
  }
  for (const [unitId, sums] of perType) {
    const unit = out.get(unitId)!;
    for (const typeId of [...sums.keys()].sort()) {
      const type = typeById.get(typeId)!;
      let amount = sums.get(typeId)!;
      if (type.cap !== undefined) {
        const cap = parseDecimal(type.cap);
        if (cmp(amount, cap) > 0) {
          unit.caps.push({ type: typeId, category: type.category ?? null, before: amount, after: cap });
          amount = cap;
        }
      }
      const target = type.category ?? "";
      unit.byTarget.set(target, add(unit.byTarget.get(target) ?? ZERO, amount));
    }
  }
  return out;
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

function findingAmount(a: LevelAmounts, f: Finding): [Rational, DeductionLine["basis"]] {
  if (f.repeated && a.repeated !== undefined) return [a.repeated, "repeated"];
  if (f.rectification === "not-rectified") return [a.notRectified, "not rectified"];
  if (f.rectification === "late") return [a.late, "rectified late"];
  return [a.perFinding, "per finding"];
}
