import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import type { Dataset } from "../dataset/dataset.js";
import { composeValidated } from "../evaluation/compose.js";
import { type EligibilityResult, evaluate } from "../evaluation/evaluate.js";
import { formulaOverInputYear, runDrawnScenario, scenarioArb, yearArb } from "./_test-scenarios.js";
import { loadSeed2018 } from "./_test-whatif.js";
import { applyScenario } from "./apply-scenario.js";
import { type Baseline, createBaseline } from "./baseline.js";
import { compareBaselines } from "./compare-baselines.js";
import { runScenario } from "./run-scenario.js";

// Counts the pipeline's runs: a scenario's reasons must cost one only when they are read.
vi.mock("../evaluation/compose.js", async (actual) => {
  const real = await actual<typeof import("../evaluation/compose.js")>();
  return { ...real, composeValidated: vi.fn(real.composeValidated) };
});
const composeCalls = () => vi.mocked(composeValidated).mock.calls.length;

/** Every unit's eligibility as `evaluate` publishes it, by unit id. */
function published(scheme: unknown, dataset: Dataset): Map<string, EligibilityResult> {
  return new Map(evaluate(scheme, dataset, { traces: false }).units.map((u) => [u.unit, u.eligibility]));
}

describe("a scenario's eligibility against the patched scheme and records evaluated from scratch", () => {
  it("gives every unit's reasons on both sides as evaluate publishes them", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(yearArb, scenarioArb, (y, p) => {
        const drawn = runDrawnScenario(y, p);
        if (!drawn) return;
        const { year, result: r, patched } = drawn;
        const before = published(year.scheme, year.dataset);
        // From scratch: the patched scheme as plain JSON, every record read again.
        const after = published(patched.scheme, patched.dataset);
        for (const u of year.dataset.units) {
          expect(r.eligibility.baseline(u.id), u.id).toEqual(before.get(u.id));
          const mine = r.eligibility.scenario(u.id);
          expect(mine, u.id).toEqual(after.get(u.id));
          for (const reason of mine!.reasons) seen.add(reason.kind);
        }
        expect(r.eligibility.scenario("no such unit")).toBeUndefined();
      }),
      { numRuns: 80 },
    );
    // The runs must have met every kind of reason, or the property proved less than it says.
    expect([...seen].sort()).toEqual(["insufficient", "last-ranked", "veto"]);
    // A fresh evaluation per run, as the standings' property.
  }, 30_000);
});

describe("a scenario's eligibility is worded when first read", () => {
  /** The baseline with a count of reads of its evaluation, where the baseline side's reasons come from. */
  function counted(b: Baseline) {
    const reads = { exact: 0 };
    const spy: Baseline = Object.defineProperty({ ...b }, "exact", {
      get: () => {
        reads.exact++;
        return b.exact;
      },
    });
    return { spy, reads };
  }

  it("is not built by a weight-only scenario, nor by its report, and is composed once when read", async () => {
    const { scheme, dataset } = await loadSeed2018();
    const { spy, reads } = counted(createBaseline(scheme, dataset));
    const start = composeCalls();
    const r = runScenario(spy, {
      name: "reform",
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
    });
    expect(r.stageTwo).toBe("fast");
    JSON.stringify(r);
    void r.units;
    expect([composeCalls() - start, reads.exact]).toEqual([0, 0]);

    const unit = dataset.units[0]!.id;
    const scenarioSide = r.eligibility.scenario(unit);
    expect(composeCalls() - start).toBe(1);
    expect(reads.exact).toBe(0);
    for (const u of dataset.units) r.eligibility.scenario(u.id);
    expect(composeCalls() - start).toBe(1);
    expect(r.eligibility.scenario(unit)).toBe(scenarioSide);

    r.eligibility.baseline(unit);
    r.eligibility.baseline(dataset.units[1]!.id);
    expect([composeCalls() - start, reads.exact]).toEqual([1, 1]);
  });

  it("reads the pipeline's own evaluation when stage two ran it", () => {
    // A formula patched to read another category: stage two is the pipeline.
    const { scheme, data } = formulaOverInputYear();
    const b = createBaseline(scheme, data);
    const scenario = {
      name: "f",
      patch: { categories: { extra: { method: { expression: "business * 2" } } } },
    };
    const start = composeCalls();
    const r = runScenario(b, scenario);
    expect(r.stageTwo).toBe("compose");
    const mine = new Map(data.units.map((u) => [u.id, r.eligibility.scenario(u.id)]));
    // The run's own pipeline, and no other.
    expect(composeCalls() - start).toBe(1);
    const applied = applyScenario(b.compiled.scheme, b.dataset, scenario);
    expect(mine).toEqual(published(JSON.parse(JSON.stringify(applied.compiled.scheme)), data));
    // U2 (55.00 to U1's 56.00) is last in its group of two.
    expect(mine.get("U2")!.reasons.map((x) => x.kind)).toEqual(["last-ranked"]);
  });
});

describe("compareBaselines' eligibility", () => {
  it("gives each side's reasons as its own evaluation publishes them", async () => {
    const { scheme, dataset } = await loadSeed2018();
    const candidate = JSON.parse(JSON.stringify(scheme));
    candidate.ranking = { ...candidate.ranking, lastLosesAward: !candidate.ranking?.lastLosesAward };
    const c = compareBaselines(createBaseline(scheme, dataset), createBaseline(candidate, dataset));
    const before = published(scheme, dataset);
    const after = published(candidate, dataset);
    for (const u of dataset.units) {
      expect(c.eligibility.baseline(u.id), u.id).toEqual(before.get(u.id));
      expect(c.eligibility.scenario(u.id), u.id).toEqual(after.get(u.id));
    }
    const kinds = (m: Map<string, EligibilityResult>) =>
      [...m.values()].flatMap((e) => e.reasons.map((x) => x.kind));
    // The candidate flips last place's loss of the award: one side has it, the other not.
    expect(kinds(before).includes("last-ranked")).not.toBe(kinds(after).includes("last-ranked"));
  });
});
