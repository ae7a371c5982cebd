import { describe, expect, it } from "vitest";
import {
  compileScheme,
  createBaseline,
  type Dataset,
  evaluateExact,
  type SchemeInput,
  weightSweep,
} from "./index.js";

// The what-if bench sets our sweep beside floors that are worth their ratio only if they do
// the same work: here they must reproduce every rank (and grade) the exact sweep reports, on
// the bench's own generator at a small size. bench/ is outside this package's tsconfig rootDir,
// so its modules are loaded by specifiers tsc does not follow; what is used is restated here.
interface FloorSegments {
  segStart: Int32Array;
  segRank: Int32Array;
  segGrade: Int8Array | null;
  stableFrom: Float64Array;
  stableTo: Float64Array;
}
interface Columns {
  units: number;
  categories: string[];
  points: Float64Array;
  grading: { ids: (string | null)[] } | null;
}
interface Baselines {
  columnsFrom(exact: unknown): Columns;
  floorSweepSegments(
    col: Columns,
    base: Float64Array,
    c: number,
    range: { lo: number; hi: number; x0: number },
    grades?: boolean,
  ): FloorSegments;
  sweepAgreementCounts(
    r: unknown,
    f: FloorSegments,
    range: { lo: number; hi: number },
    gradeIds: readonly (string | null)[] | null,
  ): { same: number; total: number; unranked: number };
}
const baselinesPath: string = "../bench/whatif-baselines.js";
const provincePath: string = "../bench/province.js";
const floors = (await import(baselinesPath)) as Baselines;
const { generateProvince } = (await import(provincePath)) as {
  generateProvince(o: object): { scheme: SchemeInput; dataset: Dataset };
};

describe("the what-if bench's sweep floors", () => {
  const { scheme, dataset } = generateProvince({
    seed: 7,
    units: 600,
    groups: 8,
    forms: 60_000,
    ballots: 600 * 9,
    findings: 6_000,
  });
  const compiled = compileScheme(scheme);
  const col = floors.columnsFrom(evaluateExact(compiled, dataset, { traces: false }));
  const base = Float64Array.from(col.points);
  const pub = col.categories.indexOf("public");
  const range = { lo: 0, hi: 100, x0: base[pub]! };
  const sweep = weightSweep(createBaseline(compiled, dataset), { category: "public", from: 0, to: 100 });

  it("the ranks-only floor gives every rank the exact sweep gives", () => {
    const f = floors.floorSweepSegments(col, base, pub, range);
    expect(f.segGrade).toBeNull();
    const a = floors.sweepAgreementCounts(sweep, f, range, null);
    expect(a.total).toBeGreaterThan(3000);
    expect(a.same).toBe(a.total);
  });

  it("the rank-and-grade floor gives every rank and grade, and no wider stability interval", () => {
    expect(col.grading?.ids).toEqual(["excellent", "good", "pass", "fail"]);
    const ranks = floors.floorSweepSegments(col, base, pub, range);
    const graded = floors.floorSweepSegments(col, base, pub, range, true);
    const a = floors.sweepAgreementCounts(sweep, graded, range, col.grading!.ids);
    expect(a.total).toBeGreaterThan(3000);
    expect(a.same).toBe(a.total);
    // Grades change inside some rank segments (a threshold crossed): more segments, and
    // stability intervals inside the ranks-only ones, narrower for some units.
    expect(graded.segRank.length).toBeGreaterThan(ranks.segRank.length);
    let narrower = 0;
    for (let u = 0; u < col.units; u++) {
      if (Number.isNaN(ranks.stableFrom[u]!)) continue;
      expect(graded.stableFrom[u]).toBeGreaterThanOrEqual(ranks.stableFrom[u]!);
      expect(graded.stableTo[u]).toBeLessThanOrEqual(ranks.stableTo[u]!);
      if (graded.stableTo[u]! - graded.stableFrom[u]! < ranks.stableTo[u]! - ranks.stableFrom[u]!) narrower++;
    }
    expect(narrower).toBeGreaterThan(0);
  });

  it("a grade the floor does not follow is refused, not approximated", () => {
    const other = JSON.parse(JSON.stringify(scheme)) as SchemeInput & {
      grades: { rules: { quota?: { from?: string } }[] };
    };
    other.grades.rules[0]!.quota!.from = "bottom";
    const c = floors.columnsFrom(evaluateExact(compileScheme(other), dataset, { traces: false }));
    expect(c.grading).toBeNull();
    expect(() => floors.floorSweepSegments(c, base, pub, range, true)).toThrow(/does not follow/);
  });
});
