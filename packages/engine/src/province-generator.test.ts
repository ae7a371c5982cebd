import { describe, expect, it } from "vitest";
import { type Dataset, evaluate } from "./index.js";

// bench/ is outside this package's tsconfig rootDir (src), so the generator is loaded by a
// specifier tsc does not follow; its signature is restated here.
type GenerateProvince = (options: {
  seed: number;
  units?: number;
  groups?: number;
  forms?: number;
  ballots?: number;
  findings?: number;
  vote?: "trimmed-mean" | "role-weighted";
}) => { scheme: unknown; dataset: Dataset };
const generatorPath: string = "../bench/province.js";
const { generateProvince } = (await import(generatorPath)) as { generateProvince: GenerateProvince };

// The benchmark's province generator at a tiny size: the benchmarks are only worth their
// figures if the data is reproducible and the engine accepts it.
const tiny = { seed: 42, units: 120, groups: 6, forms: 12_000, ballots: 120 * 9, findings: 3_000 };

describe("province generator (bench/province.ts)", () => {
  it("is deterministic: the same seed gives the same JSON", () => {
    expect(JSON.stringify(generateProvince(tiny))).toBe(JSON.stringify(generateProvince(tiny)));
  });

  it("gives different data for a different seed", () => {
    const a = generateProvince(tiny).dataset;
    const b = generateProvince({ ...tiny, seed: 43 }).dataset;
    expect(JSON.stringify(b.surveyForms)).not.toBe(JSON.stringify(a.surveyForms));
  });

  it("makes exactly the requested numbers of records, with sub-units", () => {
    const { dataset } = generateProvince(tiny);
    expect(dataset.units).toHaveLength(tiny.units);
    expect(dataset.surveyForms).toHaveLength(tiny.forms);
    expect(dataset.ballots).toHaveLength(tiny.ballots);
    expect(dataset.findings).toHaveLength(tiny.findings);
    expect(dataset.units.some((u) => u.parent !== undefined)).toBe(true);
  });

  it.each(["trimmed-mean", "role-weighted"] as const)(
    "is a valid scheme and dataset (%s vote): every unit is scored or says why not",
    (vote) => {
      const { scheme, dataset } = generateProvince({ ...tiny, vote });
      const result = evaluate(scheme, dataset);
      expect(result.units).toHaveLength(tiny.units);
      for (const u of result.units) {
        if (u.status === "scored") expect(u.total).toMatch(/^\d+\.\d\d$/);
        else
          expect(u.eligibility.reasons.some((r) => r.kind === "insufficient" && r.text.length > 0)).toBe(
            true,
          );
      }
      expect(result.units.filter((u) => u.status === "scored").length).toBeGreaterThan(tiny.units / 2);
      expect(result.units.some((u) => u.grade?.id === "excellent")).toBe(true);
      expect(result.units.some((u) => u.eligibility.reasons.some((r) => r.kind === "veto"))).toBe(true);
      expect(result.units.some((u) => u.trace.some((t) => t.step.startsWith("roll-up")))).toBe(true);
    },
  );
});
