import { describe, expect, it } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { createBaseline } from "./baseline.js";
import { sweepWalks } from "./sweep-walks.js";
import { weightSweep } from "./weight-sweep.js";

describe("sweepWalks", () => {
  // Four groups of 15; the second is not ranked, so no walk orders its units.
  const y = syntheticYear(60, 4, 3);
  const scheme = {
    ...y.scheme,
    groups: y.scheme.groups!.map((g, k) => (k === 1 ? { ...g, ranked: false } : g)),
  } as SchemeInput;
  const sizeOf = (group: string) => y.dataset.units.filter((u) => u.group === group).length;
  const ranked = ["G01", "G03", "G04"];
  const overall = (s: SchemeInput): SchemeInput => ({
    ...s,
    grades: {
      ...s.grades!,
      rules: s.grades!.rules!.map((r) =>
        r.quota ? { ...r, quota: { ...r.quota, scope: "overall" as const } } : r,
      ),
    },
  });

  it("names an unknown group as one of the sweep's options, as weightSweep does", () => {
    const b = createBaseline(scheme, y.dataset);
    expect(() => sweepWalks(b, ["nope"])).toThrow(
      /^invalid weight sweep options \(1 problem\):\n {2}groups\[0\]: unknown group "nope" \(known: G01, G02, G03, G04\)$/,
    );
  });

  it("lists one walk per ranked group swept, and none over all units without an overall quota", () => {
    const b = createBaseline(scheme, y.dataset);
    expect(sweepWalks(b)).toEqual({ groups: ranked.map(sizeOf), overall: 0, boundary: false });
    expect(sweepWalks(b, ["G04", "G02"])).toEqual({ groups: [sizeOf("G04")], overall: 0, boundary: false });
  });

  it("adds the walk over every ranked unit under a quota over all of them, whatever groups are asked", () => {
    const b = createBaseline(overall(scheme), y.dataset);
    const all = ranked.map(sizeOf).reduce((a, n) => a + n, 0);
    expect(all).toBeLessThan(60);
    // Two quotas (the synthetic scheme's best and last units): the walk of every ranked unit.
    expect(sweepWalks(b)).toEqual({ groups: ranked.map(sizeOf), overall: all, boundary: false });
    expect(sweepWalks(b, ["G03"])).toEqual({ groups: [sizeOf("G03")], overall: all, boundary: false });
    // One quota, the first rule: the walk at its boundary.
    const one = overall({
      ...scheme,
      grades: { ...scheme.grades!, rules: scheme.grades!.rules!.filter((r) => r.id !== "poor") },
    });
    expect(sweepWalks(createBaseline(one, y.dataset))).toEqual({
      groups: ranked.map(sizeOf),
      overall: all,
      boundary: true,
    });
    // Its ties excluded ("at most 25"), the same quota still takes the walk at its boundary.
    const excluding = {
      ...one,
      grades: {
        ...one.grades!,
        rules: one.grades!.rules!.map((r) => ({
          ...r,
          quota: r.quota && { ...r.quota, ties: "exclude" as const },
        })),
      },
    };
    expect(sweepWalks(createBaseline(excluding, y.dataset)).boundary).toBe(true);
  });

  it("makes no walk over all units when they are one ranked group, whose walk grades them", () => {
    const one = { ...scheme, groups: scheme.groups!.map((g) => ({ ...g, ranked: g.id === "G03" })) };
    const b = createBaseline(overall(one), y.dataset);
    expect(sweepWalks(b)).toEqual({ groups: [sizeOf("G03")], overall: 0, boundary: false });
    const sweep = weightSweep(b, { category: "public" });
    const perGroup = weightSweep(createBaseline(one, y.dataset), { category: "public" });
    expect(sweep).toEqual(perGroup);
    expect(sweep.units.some((u) => u.segments.some((s) => s.grade === "excellent"))).toBe(true);
  });

  it("refuses an unknown group by its place, as the sweep does", () => {
    const b = createBaseline(scheme, y.dataset);
    expect(() => sweepWalks(b, ["G01", "nope"])).toThrow(/groups\.1|unknown group "nope"/);
  });
});
