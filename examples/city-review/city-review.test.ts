import { compareUnits, evaluate } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { loadSeedYear } from "./seed-year.js";

const { scheme2018, scheme2019, dataset2018, dataset2019 } = loadSeedYear();
const ANCHOR = "市市场监督管理局";

describe("the seed year", () => {
  const before = evaluate(scheme2018, dataset2018);
  const after = evaluate(scheme2019, dataset2019);
  const anchorBefore = before.units.find((u) => u.name === ANCHOR)!;
  const anchorAfter = after.units.find((u) => u.name === ANCHOR)!;

  it("scores the reported unit 26.4 + 26.94 + 30.86 = 84.20, 9th of 29", () => {
    expect(anchorBefore.categories.map((c) => c.points)).toEqual(["26.40", "26.94", "30.86"]);
    expect(anchorBefore.total).toBe("84.20");
    expect(anchorBefore.rank).toBe(9);
    expect(anchorBefore.rankedInGroup).toBe(29);
  });

  it("re-scores it under the reform to 26.40 + 17.96 + 38.58 = 82.94", () => {
    expect(anchorAfter.categories.map((c) => c.points)).toEqual(["26.40", "17.96", "38.58"]);
    expect(anchorAfter.categories[2]!.methodPoints).toBe("38.575");
    expect(anchorAfter.total).toBe("82.94");
  });

  it("keeps the vetoed unit's score but not its excellence", () => {
    const vetoed = before.units.find((u) => u.eligibility.reasons.some((r) => r.kind === "veto"))!;
    expect(vetoed.rank).toBe(1);
    expect(vetoed.grade?.id).not.toBe("excellent");
    expect(before.units.filter((u) => u.grade?.id === "excellent")).toHaveLength(8);
  });

  it("flags exactly the last-ranked unit as losing award eligibility", () => {
    const losers = after.units.filter((u) => u.eligibility.reasons.some((r) => r.kind === "last-ranked"));
    expect(losers.map((u) => u.rank)).toEqual([29]);
  });

  it("explains why a unit is above the anchor", () => {
    const above = after.units.find((u) => u.rank === 8)!;
    const cmp = compareUnits(after, above.unit, anchorAfter.unit);
    expect(cmp.summary).toContain("above");
    expect(cmp.totalDifference).toBe(
      (Math.round((Number(above.total) - Number(anchorAfter.total)) * 100) / 100).toString(),
    );
  });
});

describe("a ranking-only run of the reform year", () => {
  it("gives the same numbers, ranks, grades and figures without explanation traces", () => {
    const full = evaluate(scheme2019, dataset2019);
    const lean = evaluate(scheme2019, dataset2019, { traces: false });
    // `dropped` names the trimmed ballots: explanation, left out with the traces.
    const strip = (ev: typeof full) =>
      ev.units.map((u) => ({
        ...u,
        trace: [],
        categories: u.categories.map(({ details: { dropped: _, ...details }, ...c }) => ({
          ...c,
          details,
          trace: [],
        })),
      }));
    expect(strip(lean)).toEqual(strip(full));
    expect(lean.units.flatMap((u) => u.categories.flatMap((c) => c.trace))).toEqual([]);
  });
});
