import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../dataset/dataset.js";
import { add, cmp, parseDecimal, type Rational, toExactString, ZERO } from "../rational.js";
import { deductionsByUnit } from "./deductions.js";

// The real table for a 10-point item: city team −0.3 per case, −1 if not rectified in time,
// −2 if notified twice in a row; district −0.2 / −0.5 / −1; the bureau's own −0.1 / −0.3 / −0.6.
const visit = {
  id: "visit",
  name: "明察暗访",
  category: "business",
  levels: {
    city: { perFinding: 0.3, notRectified: 1, repeated: 2 },
    district: { perFinding: 0.2, notRectified: 0.5, repeated: 1 },
    bureau: { perFinding: 0.1, notRectified: 0.3, repeated: 0.6 },
  },
  cap: 2.5,
};

describe("deductionsByUnit", () => {
  it("applies the amount the table names for each escalation, replacing the base", () => {
    const d = deductionsByUnit(
      [visit],
      [
        { id: "f3", unit: "A", type: "visit", level: "district", rectification: "late" },
        { id: "f1", unit: "A", type: "visit", level: "city", rectification: "on-time" },
        { id: "f2", unit: "A", type: "visit", level: "city", rectification: "not-rectified" },
        {
          id: "f4",
          unit: "A",
          type: "visit",
          level: "bureau",
          repeated: true,
          rectification: "not-rectified",
        },
      ],
    ).get("A")!;
    expect(d.lines.map((l) => [l.record, l.points, l.basis])).toEqual([
      ["f1", "-0.3", "per finding"],
      ["f2", "-1", "not rectified"],
      ["f3", "-0.5", "rectified late"],
      ["f4", "-0.6", "repeated"],
    ]);
    expect(toExactString(d.byTarget.get("business")!)).toBe("2.4");
    expect(d.caps).toEqual([]);
  });

  it("caps a type's deductions and says so", () => {
    const d = deductionsByUnit(
      [visit],
      [1, 2].map((i) => ({ id: `f${i}`, unit: "A", type: "visit", level: "city", repeated: true })),
    ).get("A")!;
    expect(toExactString(d.byTarget.get("business")!)).toBe("2.5");
    expect(d.caps.map((c) => [c.type, toExactString(c.before), toExactString(c.after)])).toEqual([
      ["visit", "4", "2.5"],
    ]);
  });

  it("hits the total when a type names no category", () => {
    const { category: _, ...onTotal } = visit;
    const d = deductionsByUnit([onTotal], [{ id: "f", unit: "A", type: "visit", level: "city" }]).get("A")!;
    expect(toExactString(d.byTarget.get("")!)).toBe("0.3");
  });

  it("stays exact when counts times amounts pass 2^53", () => {
    const big = { id: "big", name: "big", levels: { city: { perFinding: "123456789012345.6" } } };
    const findings = Array.from({ length: 10 }, (_, i) => ({
      id: `f${i}`,
      unit: "A",
      type: "big",
      level: "city",
    }));
    const d = deductionsByUnit([big], findings).get("A")!;
    expect(toExactString(d.byTarget.get("")!)).toBe("1234567890123456");
  });

  it("gives what the table says, written the plain way, for any findings in any order", () => {
    type Level = { perFinding: string; late?: string; notRectified?: string; repeated?: string };
    type Type = { id: string; name: string; category?: string; levels: Record<string, Level>; cap?: string };
    // The rules as the table reads, one finding and one unit at a time, in exact fractions.
    const reference = (types: Type[], findings: Finding[]) => {
      const byId = new Map(types.map((t) => [t.id, t]));
      const out = new Map<string, { lines: unknown[]; byTarget: Map<string, string>; caps: unknown[] }>();
      const units = [...new Set(findings.map((f) => f.unit))];
      for (const unit of units) {
        const mine = findings
          .filter((f) => f.unit === unit && byId.get(f.type)?.levels[f.level] !== undefined)
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        if (mine.length === 0) continue;
        const sums = new Map<string, Rational>();
        const lines = mine.map((f) => {
          const level = byId.get(f.type)!.levels[f.level]!;
          const notRectified = level.notRectified ?? level.perFinding;
          const [amount, basis] =
            f.repeated && level.repeated !== undefined
              ? [level.repeated, "repeated"]
              : f.rectification === "not-rectified"
                ? [notRectified, "not rectified"]
                : f.rectification === "late"
                  ? [level.late ?? notRectified, "rectified late"]
                  : [level.perFinding, "per finding"];
          const value = parseDecimal(amount);
          sums.set(f.type, add(sums.get(f.type) ?? ZERO, value));
          const points = value.n === 0n ? "0" : `-${toExactString(value)}`;
          const category = byId.get(f.type)!.category ?? null;
          return { kind: "deduction", record: f.id, type: f.type, level: f.level, category, points, basis };
        });
        const byTarget = new Map<string, Rational>();
        const caps: unknown[] = [];
        for (const type of [...sums.keys()].sort()) {
          const t = byId.get(type)!;
          let sum = sums.get(type)!;
          if (t.cap !== undefined && cmp(sum, parseDecimal(t.cap)) > 0) {
            caps.push([type, toExactString(sum), t.cap]);
            sum = parseDecimal(t.cap);
          }
          const target = t.category ?? "";
          byTarget.set(target, add(byTarget.get(target) ?? ZERO, sum));
        }
        out.set(unit, {
          lines,
          byTarget: new Map([...byTarget].map(([k, v]) => [k, toExactString(v)])),
          caps,
        });
      }
      return out;
    };
    const amount = fc.constantFrom("0", "0.1", "0.25", "0.3", "1", "2", "1.05");
    const level = fc.record(
      { perFinding: amount, late: amount, notRectified: amount, repeated: amount },
      { requiredKeys: ["perFinding"] },
    );
    // Up to 6 types of up to 7 levels: past the 32 (type, level) pairs that are scanned, the maps are used.
    const types = fc
      .uniqueArray(fc.constantFrom("visit", "complaint", "special", "audit", "press", "petition"), {
        minLength: 1,
        maxLength: 6,
      })
      .chain((ids) =>
        fc.tuple(
          ...ids.map((id) =>
            fc.record(
              {
                id: fc.constant(id),
                name: fc.constant(id),
                category: fc.constantFrom("business", "organ"),
                levels: fc.dictionary(
                  fc.constantFrom("city", "district", "bureau", "l4", "l5", "l6", "l7"),
                  level,
                  {
                    minKeys: 1,
                  },
                ),
                cap: fc.constantFrom("0.5", "2", "5"),
              },
              { requiredKeys: ["id", "name", "levels"] },
            ),
          ),
        ),
      );
    const finding = fc.record({
      id: fc.integer({ min: 0, max: 9999 }).map((k) => `F${String(k).padStart(4, "0")}`),
      unit: fc.integer({ min: 0, max: 99 }).map((k) => `U${k}`),
      // Types and levels the table may not have: validation reports them; here they are skipped.
      type: fc.constantFrom("visit", "complaint", "special", "audit", "press", "petition", "unknown"),
      level: fc.constantFrom("city", "district", "bureau", "l4", "l5", "l6", "l7", "nowhere"),
      rectification: fc.constantFrom(undefined, "on-time", "late", "not-rectified", "pending"),
      repeated: fc.boolean(),
    });
    fc.assert(
      fc.property(
        types,
        fc.uniqueArray(finding, { selector: (f) => f.id, maxLength: 300 }),
        fc.boolean(),
        (table, drawn, sorted) => {
          // Stores usually deliver findings in id order; both orders are drawn.
          const findings = sorted ? [...drawn].sort((a, b) => (a.id < b.id ? -1 : 1)) : drawn;
          const got = deductionsByUnit(table as never, findings as Finding[]);
          const want = reference(table as Type[], findings as Finding[]);
          expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
          for (const [unit, d] of got) {
            const w = want.get(unit)!;
            expect(d.lines).toEqual(w.lines);
            expect(new Map([...d.byTarget].map(([k, v]) => [k, toExactString(v)]))).toEqual(w.byTarget);
            expect(d.caps.map((c) => [c.type, toExactString(c.before), toExactString(c.after)])).toEqual(
              w.caps,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
