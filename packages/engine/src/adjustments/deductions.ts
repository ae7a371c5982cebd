import type { Finding } from "../dataset/dataset.js";
import { add, cmp, mul, parseDecimal, type Rational, ratio, ZERO } from "../rational.js";
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
  // A year's findings share a dozen table entries: read each once per call.
  const amounts = new Map<FindingType["levels"][string], LevelAmounts>();
  const caps = new Map(types.map((t) => [t.id, t.cap === undefined ? undefined : parseDecimal(t.cap)]));
  const out = new Map<string, UnitDeductions>();
  for (const [unitId, list] of byUnit) {
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const unit: UnitDeductions = { lines: [], caps: [], byTarget: new Map() };
    // Per type, how many findings cost each (shared) amount: summing counts, not 300,000 fractions.
    const counted = new Map<string, Map<Rational, number>>();
    for (const f of list) {
      const type = typeById.get(f.type);
      const table = type?.levels[f.level];
      if (!type || !table) continue; // validation reports these
      let levelAmounts = amounts.get(table);
      if (!levelAmounts) {
        levelAmounts = readLevel(table);
        amounts.set(table, levelAmounts);
      }
      const [amount, basis] = findingAmount(levelAmounts, f);
      unit.lines.push({
        record: f.id,
        type: f.type,
        level: f.level,
        category: type.category ?? null,
        amount,
        basis,
      });
      let byAmount = counted.get(f.type);
      if (!byAmount) {
        byAmount = new Map();
        counted.set(f.type, byAmount);
      }
      byAmount.set(amount, (byAmount.get(amount) ?? 0) + 1);
    }
    if (unit.lines.length === 0) continue;
    for (const typeId of [...counted.keys()].sort()) {
      const type = typeById.get(typeId)!;
      let amount = ZERO;
      for (const [each, n] of counted.get(typeId)!) amount = add(amount, mul(each, ratio(n)));
      const cap = caps.get(typeId);
      if (cap !== undefined && cmp(amount, cap) > 0) {
        unit.caps.push({ type: typeId, category: type.category ?? null, before: amount, after: cap });
        amount = cap;
      }
      const target = type.category ?? "";
      unit.byTarget.set(target, add(unit.byTarget.get(target) ?? ZERO, amount));
    }
    out.set(unitId, unit);
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
