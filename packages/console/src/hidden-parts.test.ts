import { describe, expect, it } from "vitest";
import { hiddenParts } from "./hidden-parts";
import { translator } from "./i18n";
import { fromScenario, nominalKnobs, toScenario } from "./knobs";
import type { ScenarioDocument, SchemeDocument } from "./whatif-api";

const scheme: SchemeDocument = {
  categories: [
    { id: "organ", name: "机关建设", points: 30 },
    { id: "public", name: "开门评议", points: 40 },
  ],
  groups: [{ id: "g", name: "g" }],
  grades: { rules: [{ id: "excellent", name: "优秀", quota: { percent: 30, scope: "group" } }] },
};
const en = translator("en");
const zh = translator("zh-CN");
const parts = (doc: ScenarioDocument, t = en) => hiddenParts(doc, fromScenario(doc, scheme), scheme, t);

describe("hiddenParts", () => {
  it("names nothing for what the knobs show: points, the quota in the scheme's unit, decimals, mode", () => {
    const knobs = { ...nominalKnobs(scheme), points: { organ: 20, public: 50 }, quota: 25, decimals: 0 };
    const doc = toScenario({ ...knobs, mode: "half-even" }, scheme);
    expect(hiddenParts(doc, knobs, scheme, en)).toEqual([]);
    expect(parts({ description: "only words", data: { findings: {} } })).toEqual([]);
  });

  it("names a saved scenario's data overrides, methods and rules, once each, in either language", () => {
    const doc: ScenarioDocument = {
      patch: {
        categories: { public: { points: 50 }, organ: { method: { aggregation: { type: "mean" } } } },
        vetoTypes: { "major-incident": { ineligibleForAward: false } },
        rounding: { decimals: 3, stages: ["total"] },
      },
      data: {
        findings: { F1: { rectification: "on-time" }, F2: null },
        vetoEvents: { remove: ["V1"] },
      },
    };
    expect(parts(doc)).toEqual([
      "the scoring method of 机关建设",
      "veto rules",
      "rounding stages",
      "findings data",
      "vetoes",
    ]);
    expect(parts(doc, zh)).toEqual([
      "“机关建设”的计分方法",
      "一票否决规则",
      "舍入环节",
      "督查发现数据",
      "一票否决事项",
    ]);
  });

  it("names nothing for the quota's rounding and ties, which the quota knob shows", () => {
    const quota = { percent: 20, rounding: "half-up", ties: "exclude" };
    expect(parts({ patch: { grades: { rules: { excellent: { quota } } } } })).toEqual([]);
    expect(parts({ patch: { grades: { rules: { excellent: { quota: { ties: "exclude" } } } } } })).toEqual(
      [],
    );
    // One the engine does not take is the scenario's own: the knob cannot show it.
    expect(parts({ patch: { grades: { rules: { excellent: { quota: { rounding: "banker" } } } } } })).toEqual(
      ["grade rules"],
    );
  });

  it("names grade changes beyond the quota knob, and a quota it cannot show", () => {
    expect(
      parts({ patch: { grades: { rules: { excellent: { quota: { percent: 20, scope: "overall" } } } } } }),
    ).toEqual(["grade rules"]);
    expect(
      parts({ patch: { grades: { rules: { excellent: { quota: { count: 5, percent: null } } } } } }),
    ).toEqual(["grade rules"]);
    expect(parts({ patch: { grades: { rules: { good: { minTotal: 80 } } } } })).toEqual(["grade rules"]);
  });

  it("names by its path what it has no words for", () => {
    expect(
      parts({ patch: { categories: { publik: { points: 5 } }, future: 1 }, data: { ballots: [1] } }),
    ).toEqual(["patch.categories.publik", "patch.future", "data.ballots"]);
  });
});

describe("hiddenParts of roll-ups", () => {
  const rolled: SchemeDocument = {
    ...scheme,
    rollups: [{ id: "subs", source: { category: "public" }, into: { category: "public" }, share: 0.1 }],
  };
  const rollupParts = (doc: ScenarioDocument, t = en) =>
    hiddenParts(doc, fromScenario(doc, rolled), rolled, t);

  it("names nothing for a roll-up's share, aggregation and missingSubUnit, which its knob shows", () => {
    const subs = { share: 0.2, aggregation: "median", missingSubUnit: "zero" };
    expect(rollupParts({ patch: { rollups: { subs } } })).toEqual([]);
  });

  it("names its parents, which no knob shows, and a patch the knob cannot show, in either language", () => {
    const parents: ScenarioDocument = { patch: { rollups: { subs: { share: 0.2, parents: ["U01"] } } } };
    expect(rollupParts(parents)).toEqual(["the parents of roll-up subs"]);
    expect(rollupParts(parents, zh)).toEqual(["汇总规则“subs”的上级单位"]);
    expect(rollupParts({ patch: { rollups: { subs: { share: 1.5 } } } })).toEqual(["roll-up subs"]);
    expect(rollupParts({ patch: { rollups: { subs: { share: 1.5 } } } }, zh)).toEqual(["汇总规则“subs”"]);
  });

  it("names by its path a roll-up the scheme does not have, or a field no knob has words for", () => {
    expect(
      rollupParts({ patch: { rollups: { sbus: { share: 0.2 }, subs: { source: { total: true } } } } }),
    ).toEqual(["patch.rollups.sbus", "patch.rollups.subs.source"]);
    // Without roll-ups in the scheme, a roll-up patch is named by its path, as before.
    expect(parts({ patch: { rollups: { subs: { share: 0.2 } } } })).toEqual(["patch.rollups.subs"]);
  });
});
