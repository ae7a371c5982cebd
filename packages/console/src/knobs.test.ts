import { describe, expect, it } from "vitest";
import { fromScenario, nominalKnobs, toScenario } from "./knobs";
import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

// The example year's scheme, as the gateway gives it (city-review 2018).
const scheme: SchemeDocument = {
  categories: [
    { id: "business", name: "业务工作", points: 30 },
    { id: "organ", name: "机关建设", points: 30 },
    { id: "public", name: "开门评议", points: 40 },
  ],
  groups: [{ id: "law-enforcement", name: "执法监管部门" }],
  grades: {
    rules: [
      { id: "excellent", name: "优秀", quota: { percent: 30, scope: "group" } },
      { id: "good", name: "良好", minTotal: 75 },
    ],
  },
  rounding: { decimals: 2, mode: "half-up", stages: ["category", "total"] },
};

/** The reform saved through the API with what the knobs do not show: findings, vetoes, a method. */
const saved: ScenarioDocument = {
  description: "2019 reform, every finding rectified on time, without U05's veto",
  patch: {
    categories: {
      public: { points: 50 },
      organ: { points: 20, method: { aggregation: { type: "mean" } } },
    },
    vetoTypes: { "major-incident": { ineligibleForAward: false } },
    grades: { rules: { excellent: { quota: { percent: 20 } }, good: { minTotal: 80 } } },
    rounding: { decimals: 3, stages: ["total"] },
  },
  data: {
    findings: { "F2018-001": { rectification: "on-time" }, "F2018-002": null },
    vetoEvents: { remove: ["V2018-001"] },
  },
};

describe("knobs of a saved scenario", () => {
  it("show its points, quota and rounding, and give the whole scenario back, key for key", () => {
    const knobs = fromScenario(saved, scheme);
    expect(knobs).toEqual({
      points: { business: 30, organ: 20, public: 50 },
      quota: 20,
      quotaRounding: "down",
      quotaTies: "share",
      decimals: 3,
      mode: "half-up",
    });
    // What the page runs and saves when nothing is moved: the saved document itself.
    expect(toScenario(knobs, scheme, saved)).toEqual(saved);
  });

  it("change only their own parts: data overrides, methods and other patch keys are kept", () => {
    const knobs = fromScenario(saved, scheme);
    const moved = toScenario(
      { ...knobs, points: { ...knobs.points, public: 45, organ: 30 }, quota: 25, mode: "half-even" },
      scheme,
      saved,
    );
    expect(moved).toEqual({
      ...saved,
      patch: {
        categories: {
          public: { points: 45 },
          // Back at the scheme's 30: the points go, the method stays.
          organ: { method: { aggregation: { type: "mean" } } },
        },
        vetoTypes: { "major-incident": { ineligibleForAward: false } },
        grades: { rules: { excellent: { quota: { percent: 25 } }, good: { minTotal: 80 } } },
        rounding: { decimals: 3, stages: ["total"], mode: "half-even" },
      },
    });
    // The saved document is not changed under the page.
    expect(saved.patch?.categories).toEqual({
      public: { points: 50 },
      organ: { points: 20, method: { aggregation: { type: "mean" } } },
    });
  });

  it("at the scheme's own values keep nothing of the knobs' parts, and everything else", () => {
    expect(toScenario(nominalKnobs(scheme), scheme, saved)).toEqual({
      ...saved,
      patch: {
        categories: { organ: { method: { aggregation: { type: "mean" } } } },
        vetoTypes: { "major-incident": { ineligibleForAward: false } },
        grades: { rules: { good: { minTotal: 80 } } },
        rounding: { stages: ["total"] },
      },
    });
  });

  it("keep a scenario of data only as data only", () => {
    const data: ScenarioDocument = { data: { findings: { "F2018-001": { rectification: "late" } } } };
    expect(fromScenario(data, scheme)).toEqual(nominalKnobs(scheme));
    expect(toScenario(nominalKnobs(scheme), scheme, data)).toEqual(data);
    expect(toScenario({ ...nominalKnobs(scheme), decimals: 1 }, scheme, data)).toEqual({
      ...data,
      patch: { rounding: { decimals: 1 } },
    });
  });

  it("read points and a quota written as decimals, and send them as written while unmoved", () => {
    const text: ScenarioDocument = {
      patch: {
        categories: { public: { points: "37.5" } },
        grades: { rules: { excellent: { quota: { percent: "25", scope: "group" } } } },
      },
    };
    const knobs = fromScenario(text, scheme);
    expect([knobs.points.public, knobs.quota]).toEqual([37.5, 25]);
    expect(toScenario(knobs, scheme, text)).toEqual(text);
  });

  it("leave a quota one number cannot show to the scenario, until the knob is set", () => {
    const toCount: ScenarioDocument = {
      patch: { grades: { rules: { excellent: { quota: { count: 5, percent: null } } } } },
    };
    const knobs = fromScenario(toCount, scheme);
    expect(knobs.quota).toBeNull();
    expect(toScenario(knobs, scheme, toCount)).toEqual(toCount);
    // Reset sets every knob to the scheme's, the quota's included.
    expect(toScenario(nominalKnobs(scheme), scheme, toCount)).toEqual({ patch: {} });
    expect(toScenario({ ...nominalKnobs(scheme), quota: 10 }, scheme, toCount)).toEqual({
      patch: { grades: { rules: { excellent: { quota: { percent: 10, scope: "group" } } } } },
    });
  });

  it("without a saved scenario name only what differs from the scheme", () => {
    expect(toScenario(nominalKnobs(scheme), scheme)).toEqual({ patch: {} });
    expect(
      toScenario(
        { ...nominalKnobs(scheme), points: { business: 30, organ: 20, public: 50 }, quota: 25 },
        scheme,
      ),
    ).toEqual({
      patch: {
        categories: { organ: { points: 20 }, public: { points: 50 } },
        grades: { rules: { excellent: { quota: { percent: 25, scope: "group" } } } },
      },
    });
  });
});

describe("the quota's rounding and ties", () => {
  const quotaOf = (doc: ScenarioDocument) => (doc.patch as { grades?: unknown }).grades;

  it("show a saved scenario's, give it back key for key, and set only what moved from the scheme's", () => {
    const doc: ScenarioDocument = {
      patch: { grades: { rules: { excellent: { quota: { rounding: "half-up", ties: "exclude" } } } } },
    };
    const knobs = fromScenario(doc, scheme);
    expect(knobs).toMatchObject({ quota: 30, quotaRounding: "half-up", quotaTies: "exclude" });
    expect(toScenario(knobs, scheme, doc)).toEqual(doc);
    // Ties back to the scheme's: only the rounding stays.
    expect(quotaOf(toScenario({ ...knobs, quotaTies: "share" }, scheme, doc))).toEqual({
      rules: { excellent: { quota: { rounding: "half-up" } } },
    });
    // Both back: nothing of the quota is left to send.
    expect(toScenario({ ...knobs, quotaRounding: "down", quotaTies: "share" }, scheme, doc)).toEqual({
      patch: {},
    });
    // From the scheme's own, with the quota moved too.
    expect(quotaOf(toScenario({ ...nominalKnobs(scheme), quota: 20, quotaRounding: "up" }, scheme))).toEqual({
      rules: { excellent: { quota: { percent: 20, scope: "group", rounding: "up" } } },
    });
  });

  it("offer no rounding for a count, which has no part place, and leave a rounding the engine does not take to the scenario", () => {
    const counted: SchemeDocument = {
      ...scheme,
      grades: { rules: [{ id: "excellent", name: "优秀", quota: { count: 3, scope: "group" } }] },
    };
    expect(nominalKnobs(counted)).toMatchObject({ quota: 3, quotaTies: "share" });
    expect(nominalKnobs(counted).quotaRounding).toBeUndefined();
    const odd: ScenarioDocument = {
      patch: { grades: { rules: { excellent: { quota: { percent: 20, rounding: "banker" } } } } },
    };
    expect(fromScenario(odd, scheme).quota).toBeNull();
  });
});

describe("the roll-ups' knobs", () => {
  // "What if the 16 sub-units' public evaluation counted 20% toward their parent bureau, not 10%."
  const rolled: SchemeDocument = {
    ...scheme,
    rollups: [
      { id: "subs", source: { category: "public" }, into: { category: "public" }, share: "0.1" },
      {
        id: "totals",
        source: { total: true },
        into: { total: true },
        share: 0.05,
        aggregation: "median",
        missingSubUnit: "zero",
      },
    ],
  };
  const rollupsOf = (doc: ScenarioDocument) => (doc.patch as { rollups?: unknown }).rollups;

  it("start at the scheme's share, aggregation and missingSubUnit, its defaults where it says none", () => {
    expect(nominalKnobs(rolled).rollups).toEqual({
      subs: { share: 0.1, aggregation: "mean", missingSubUnit: "renormalize" },
      totals: { share: 0.05, aggregation: "median", missingSubUnit: "zero" },
    });
    // A scheme without roll-ups has no roll-up knobs: its knobs are as they always were.
    expect(nominalKnobs(scheme).rollups).toBeUndefined();
    expect(toScenario(nominalKnobs(rolled), rolled)).toEqual({ patch: {} });
  });

  it("write patch.rollups.<id> with only what moved, and take it out once moved back", () => {
    const knobs = nominalKnobs(rolled);
    const moved = toScenario(
      {
        ...knobs,
        rollups: {
          ...knobs.rollups,
          subs: { share: 0.2, aggregation: "median", missingSubUnit: "renormalize" },
        },
      },
      rolled,
    );
    expect(moved).toEqual({ patch: { rollups: { subs: { share: 0.2, aggregation: "median" } } } });
    expect(toScenario(knobs, rolled, moved)).toEqual({ patch: {} });
    const zero = { share: 0.05, aggregation: "median", missingSubUnit: "insufficient" };
    expect(rollupsOf(toScenario({ ...knobs, rollups: { ...knobs.rollups, totals: zero } }, rolled))).toEqual({
      totals: { missingSubUnit: "insufficient" },
    });
  });

  it("show a saved roll-up patch, give it back key for key, and keep its parents when the knob moves", () => {
    const saved: ScenarioDocument = {
      patch: { rollups: { subs: { share: "0.2", missingSubUnit: "zero", parents: ["U01"] } } },
    };
    const knobs = fromScenario(saved, rolled);
    expect(knobs.rollups).toEqual({
      subs: { share: 0.2, aggregation: "mean", missingSubUnit: "zero" },
      totals: { share: 0.05, aggregation: "median", missingSubUnit: "zero" },
    });
    expect(toScenario(knobs, rolled, saved)).toEqual(saved);
    // Reset: the knob's parts go, the parents (which no knob shows) stay.
    expect(toScenario(nominalKnobs(rolled), rolled, saved)).toEqual({
      patch: { rollups: { subs: { parents: ["U01"] } } },
    });
  });

  it("leave a roll-up patch the knob cannot show to the scenario, until the knob is set", () => {
    for (const subs of [{ share: 2 }, { share: "ten percent" }, { aggregation: "trimmed" }, null]) {
      const odd: ScenarioDocument = { patch: { rollups: { subs } } };
      const knobs = fromScenario(odd, rolled);
      expect(knobs.rollups?.subs).toBeNull();
      expect(toScenario(knobs, rolled, odd)).toEqual(odd);
      // Reset sets it to the scheme's own: nothing of it is sent.
      expect(toScenario(nominalKnobs(rolled), rolled, odd)).toEqual({ patch: {} });
    }
  });
});
