import { describe, expect, it } from "vitest";
import { issueLines } from "../_test-schemes.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { createBaseline } from "./baseline.js";
import { sweepWalks } from "./sweep-walks.js";
import { sweepWork } from "./sweep-work.js";
import { weightSweep } from "./weight-sweep.js";

describe("sweepWork", () => {
  // Four groups of 15; the second is not ranked, so no walk orders its units.
  const y = syntheticYear(60, 4, 3);
  const scheme = {
    ...y.scheme,
    groups: y.scheme.groups!.map((g, k) => (k === 1 ? { ...g, ranked: false } : g)),
  } as SchemeInput;
  const overall = (s: SchemeInput): SchemeInput => ({
    ...s,
    grades: {
      ...s.grades!,
      rules: s.grades!.rules!.map((r) =>
        r.quota ? { ...r, quota: { ...r.quota, scope: "overall" as const } } : r,
      ),
    },
  });

  it("estimates the walks the sweep makes: one per ranked group swept, and one over all under an overall quota", () => {
    for (const s of [scheme, overall(scheme)]) {
      const b = createBaseline(s, y.dataset);
      for (const groups of [undefined, ["G03"]]) {
        const walks = sweepWalks(b, groups);
        const work = sweepWork(b, { category: "public", ...(groups ? { groups } : {}) });
        expect(work.groups.map((g) => g.units)).toEqual(walks.groups);
        expect(work.overall?.units ?? 0).toBe(walks.overall);
        expect(work.boundary).toBe(walks.boundary);
        // Under a quota over all ranked units, every unit's functions are made.
        expect(work.units).toBe(groups && s === scheme ? 15 : 60);
        for (const g of work.groups) expect(g.pairs).toBe((g.units * (g.units - 1)) / 2);
        expect(work.groups.some((g) => g.crossings > 0)).toBe(true);
      }
    }
  });

  it("counts the totals meeting a grade level, and those and the quotas that regrade every member", () => {
    // "poor" is a quota below its line of 70: a total meeting 70 may move its places, and every
    // member is graded again; meeting 75 ("good") or 60 ("pass"), after the last quota, does not.
    const b = createBaseline(scheme, y.dataset);
    const { groups } = sweepWork(b, { category: "public" });
    const sum = (k: "levels" | "regrades") => groups.reduce((n, g) => n + g[k], 0);
    expect(sum("regrades")).toBeGreaterThan(0);
    expect(sum("levels")).toBeGreaterThan(sum("regrades"));
    const quotaLast = {
      ...scheme,
      grades: { ...scheme.grades!, rules: [...scheme.grades!.rules!].reverse() },
    } as SchemeInput;
    const all = sweepWork(createBaseline(quotaLast, y.dataset), { category: "public" });
    expect(all.groups.map((g) => g.regrades)).toEqual(all.groups.map((g) => g.levels));
    // Two quotas: a crossing next to either's places grades every member again.
    expect(all.regradingQuotas).toBe(2);
    expect(sweepWork(b, { category: "public" }).regradingQuotas).toBe(2);
    // One quota, the first rule, of every member: only its places are filled again.
    const oneQuota = {
      ...scheme,
      grades: { ...scheme.grades!, rules: scheme.grades!.rules!.filter((r) => r.id !== "poor") },
    } as SchemeInput;
    expect(sweepWork(createBaseline(oneQuota, y.dataset), { category: "public" }).regradingQuotas).toBe(0);
  });

  it("counts fewer crossings over a narrower range", () => {
    const b = createBaseline(scheme, y.dataset);
    const crossings = (from: number, to: number) =>
      sweepWork(b, { category: "public", from, to }).groups.reduce((n, g) => n + g.crossings, 0);
    expect(crossings(0, 100)).toBeGreaterThan(crossings(35, 45));
    expect(crossings(39.99, 40.01)).toBeLessThan(crossings(35, 45));
  });

  it("leaves the sweep that follows it with the same options as it would be, taking its functions once", () => {
    const b = createBaseline(scheme, y.dataset);
    const fresh = weightSweep(createBaseline(scheme, y.dataset), { category: "organ", others: "rescale" });
    sweepWork(b, { category: "organ", others: "rescale" });
    expect(b.memo.priced?.key).not.toBeNull();
    // Another sweep does not take them.
    expect(weightSweep(b, { category: "organ" }).units).not.toEqual(fresh.units);
    expect(b.memo.priced?.key).not.toBeNull();
    expect(weightSweep(b, { category: "organ", others: "rescale" })).toEqual(fresh);
    expect(b.memo.priced).toEqual({ key: null, functions: null });
    expect(weightSweep(b, { category: "organ", others: "rescale" })).toEqual(fresh);
  });

  it("refuses options as the sweep does, naming them", () => {
    const b = createBaseline(scheme, y.dataset);
    for (const options of [
      { category: "nope" },
      { category: "public", from: 60, to: 50 },
      { category: "public", others: "transfer" as const },
      { category: "public", groups: ["G01", "nope"] },
      { category: "public", colour: "red" },
    ])
      expect(issueLines(() => sweepWork(b, options))).toEqual(issueLines(() => weightSweep(b, options)));
    expect(() => sweepWork(b, { category: "nope" })).toThrow(/^invalid weight sweep options \(1 problem\)/);
  });
});
