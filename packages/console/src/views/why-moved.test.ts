import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import type { Lang } from "../i18n";
import {
  type Eligibility,
  type MoveReason,
  type RollupPart,
  type SchemeDocument,
  scenarioSource,
  type WhatIfResult,
  type WhatIfUnit,
} from "../whatif-api";
import { RollupSplit } from "./rollup-split";
import { EligibilityNote, hasRollups, MoveReasonList, standingMoved, WhyMoved } from "./why-moved";

const scheme: SchemeDocument = {
  categories: [
    { id: "work", name: "业务工作", points: 30 },
    // A category may be called "bonus" too: only the engine's adjustment parts are its words.
    { id: "bonus", name: "加分项目", points: 10 },
  ],
  groups: [{ id: "g", name: "组" }],
};

const unit: WhatIfUnit = {
  unitId: "U1",
  name: "市审批局",
  baseline: {
    group: "g",
    total: "80.00",
    rank: 2,
    rankedInGroup: 2,
    grade: null,
    eligibleForExcellence: true,
    eligibleForAward: true,
  },
  scenario: {
    group: "g",
    total: "81.50",
    rank: 1,
    rankedInGroup: 2,
    grade: null,
    eligibleForExcellence: true,
    eligibleForAward: true,
  },
  totalDelta: "1.5",
  rankDelta: -1,
  parts: [
    { part: "work", kind: "CATEGORY", delta: "1" },
    { part: "bonus", kind: "CATEGORY", delta: "0.25" },
    { part: "bonus", kind: "ADJUSTMENT", delta: "0.5" },
    { part: "total-deductions", kind: "ADJUSTMENT", delta: "-0.2" },
    { part: "total-rounding-and-floor", kind: "ADJUSTMENT", delta: "-0.05" },
  ],
};
const result: WhatIfResult = {
  units: [unit],
  swapCount: 0,
  stageTwo: "compose",
  overall: null,
};

const render = (lang: "zh-CN" | "en") =>
  renderIn(
    lang,
    createElement(WhyMoved, {
      source: scenarioSource("2018", { patch: {} }),
      mayRollUp: false,
      result,
      unitId: "U1",
      scheme,
      grade: (id) => id ?? "—",
    }),
  );

const rows = (html: string) =>
  [...html.matchAll(/<tr><td>([^<]*)<\/td><td class="num [a-z]+">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);

describe("WhyMoved", () => {
  it("names the engine's adjustment parts in the reader's language, categories by their names", () => {
    expect(rows(render("zh-CN"))).toEqual([
      ["业务工作", "1.00"],
      ["加分项目", "0.25"],
      ["加分", "0.50"],
      ["总分扣分", "-0.20"],
      ["总分舍入及保底", "-0.05"],
    ]);
    const en = rows(render("en")).map(([label]) => label);
    expect(en.slice(2)).toEqual(["Bonus", "Deductions from the total", "Total rounding and floor"]);
  });
});

describe("standingMoved", () => {
  // The whole's panel and a split's halves ask reasons by it: the gateway has none for a unit else.
  it("is true where a grade, a rank or the ranked count differs, and only there", () => {
    const still = { baseline: unit.baseline, scenario: unit.baseline };
    expect(standingMoved(still)).toBe(false);
    expect(standingMoved({ ...still, scenario: { ...unit.baseline, total: "99.00" } })).toBe(false);
    expect(standingMoved({ ...still, scenario: { ...unit.baseline, grade: "good" } })).toBe(true);
    expect(standingMoved({ ...still, scenario: { ...unit.baseline, rank: 1 } })).toBe(true);
    expect(standingMoved({ ...still, scenario: { ...unit.baseline, rankedInGroup: 3 } })).toBe(true);
  });
});

describe("EligibilityNote", () => {
  const vetoed: Eligibility = {
    excellence: false,
    award: false,
    reasons: [
      {
        kind: "veto",
        text: "veto V2018-001 (major-incident): a serious work-safety accident",
        record: "V2018-001",
      },
    ],
  };
  const eligible: Eligibility = { excellence: true, award: true, reasons: [] };
  const note = (lang: Lang, eligibility: { baseline: Eligibility; scenario: Eligibility }) =>
    renderIn(lang, createElement(EligibilityNote, { eligibility })).replace(/<[^>]*>/g, " ");

  it("gives the veto that holds a unit back, with its record, in the reader's language", () => {
    const zh = note("zh-CN", { baseline: vetoed, scenario: vetoed });
    expect(zh).toContain("可评优秀: 否");
    expect(zh).toContain("veto V2018-001 (major-incident): a serious work-safety accident");
    // The same on both sides: said once.
    expect(zh).not.toContain("基准");
  });

  it("says what the baseline was when the scenario changes it", () => {
    const en = note("en", { baseline: vetoed, scenario: eligible });
    expect(en).toContain("Scenario: Eligible for excellence: yes");
    expect(en).toContain("Baseline: Eligible for excellence: no · Eligible for award: no — veto V2018-001");
  });
});

describe("MoveReasonList", () => {
  // U09 on 2018 under minValidForms 247: 9th on both sides, its total unchanged, 优秀 → 良好.
  const quota: MoveReason = {
    kind: "quota",
    text: "优秀 excellent's quota in group law-enforcement: 8 places (30% of 29 ranked units = 8.7, rounded down) in the baseline, 7 places (30% of 25 ranked units = 7.5, rounded down) in the scenario",
    unitIds: [],
  };
  const left: MoveReason = {
    kind: "left",
    text: "4 units ranked in group law-enforcement in the baseline are not ranked there in the scenario, none of them above it: U04 (no total), U10 (no total), U03 (no total) and 1 more",
    unitIds: ["U04", "U10", "U03"],
  };
  const reasons = [quota, left];
  const names = new Map([
    ["U04", "市公安局"],
    ["U10", "市交通运输局"],
  ]);
  const list = (lang: Lang) =>
    [...renderIn(lang, createElement(MoveReasonList, { reasons, names })).matchAll(/<li>(.*?)<\/li>/g)].map(
      (m) => (m[1] ?? "").replace(/<[^>]*>/g, "").replaceAll("&#x27;", "'"),
    );

  it("gives the engine's sentences as it words them, and the units they name by name where the rows hold them", () => {
    expect(list("zh-CN")).toEqual([
      quota.text,
      `${left.text} (所指单位：U04 市公安局、U10 市交通运输局、U03)`,
    ]);
    expect(list("en")[1]).toBe(`${left.text} (Units named: U04 市公安局, U10 市交通运输局, U03)`);
    expect(renderIn("en", createElement(MoveReasonList, { reasons, names }))).toContain(
      "Why its grade or rank moved",
    );
  });
});

describe("RollupSplit", () => {
  // A bureau whose two branches count 10% of its work, then 20%: 0.9 × 80 + 0.1 × 100 → 0.8 × 80 + 0.2 × 100.
  const work: RollupPart = {
    into: "CATEGORY",
    category: "work",
    name: "业务工作",
    rollupIds: ["branches"],
    fromSubUnits: { baseline: "10", scenario: "20", delta: "10" },
    own: { baseline: "72", scenario: "64", delta: "-8" },
    subUnits: {
      baseline: [{ rollupId: "branches", subUnits: 2, withoutResult: 0 }],
      scenario: [{ rollupId: "branches", subUnits: 2, withoutResult: 0 }],
    },
  };
  const text = (html: string) => html.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|");

  it("splits a parent's category into its own and its sub-units' share, both sides and the change, in either language", () => {
    const en = renderIn("en", createElement(RollupSplit, { parts: [work], places: 2 }));
    expect(text(en)).toContain("|Change in 业务工作: its own -8.00, from its 2 sub-units +10.00|");
    expect(text(en)).toContain("|of which its own|72.00|64.00|-8.00|");
    // Each figure is read with its row's label, as with its column's.
    expect(en).toContain('<tr data-testid="why-rollup-own"><th scope="row">of which its own</th>');
    expect(en).toContain('<tr data-testid="why-rollup-from"><th scope="row">from its 2 sub-units</th>');
    expect(text(en)).toContain("|from its 2 sub-units|10.00|20.00|+10.00|");
    const zh = renderIn("zh-CN", createElement(RollupSplit, { parts: [work], places: 2 }));
    expect(text(zh)).toContain("|业务工作的变化：其中本单位自身 -8.00，来自其 2 个下属单位 +10.00|");
    expect(text(zh)).toContain("|来自其 2 个下属单位|10.00|20.00|+10.00|");
  });

  it("names the total as the total, a sub-unit count that moved, a side without the roll-up, and those without a result", () => {
    const total: RollupPart = {
      ...work,
      into: "TOTAL",
      category: null,
      name: "total",
      fromSubUnits: { baseline: null, scenario: "5", delta: null },
      own: { baseline: null, scenario: "80.5", delta: null },
      subUnits: { baseline: null, scenario: [{ rollupId: "branches", subUnits: 3, withoutResult: 1 }] },
    };
    const moved: RollupPart = {
      ...work,
      subUnits: { ...work.subUnits, scenario: [{ rollupId: "branches", subUnits: 3, withoutResult: 0 }] },
    };
    const en = text(renderIn("en", createElement(RollupSplit, { parts: [total, moved], places: 2 })));
    expect(en).toContain("|Change in Total: its own —, from its 3 sub-units —|");
    expect(en).toContain("(sub-units without a result in the scenario: 1)");
    expect(en).toContain("|from its 3 sub-units|—|5.00|—|");
    expect(en).toContain("|from its sub-units (2 → 3)|10.00|20.00|+10.00|");
  });

  it("says in words where roll-ups apply but read no sub-unit, the parent having no result of its own", () => {
    // As the engine gives a parent without a public result of its own: roll-ups apply, none read.
    const none: RollupPart = {
      ...work,
      fromSubUnits: { baseline: null, scenario: null, delta: null },
      own: { baseline: null, scenario: null, delta: null },
      subUnits: { baseline: [], scenario: [] },
    };
    const en = text(renderIn("en", createElement(RollupSplit, { parts: [none], places: 2 })));
    expect(en).toContain(
      "|业务工作: no result of its own in the baseline or the scenario, so its sub-units were not read into it|",
    );
    expect(en).not.toContain("—");
    expect(en).not.toContain("<table");
    const zh = text(renderIn("zh-CN", createElement(RollupSplit, { parts: [none], places: 2 })));
    expect(zh).toContain("|业务工作：基准和情景中本单位均无结果，未计入下属单位|");

    // It lost its own result in the scenario: the count is the baseline's, and the scenario says it read none.
    const lost: RollupPart = {
      ...work,
      fromSubUnits: { baseline: "10", scenario: null, delta: null },
      own: { baseline: "72", scenario: null, delta: null },
      subUnits: { baseline: work.subUnits.baseline, scenario: [] },
    };
    const enLost = text(renderIn("en", createElement(RollupSplit, { parts: [lost], places: 2 })));
    expect(enLost).toContain(
      "(no 业务工作 result of its own in the scenario: its sub-units were not read into it)",
    );
    expect(enLost).toContain("|from its 2 sub-units|10.00|—|—|");
    const zhLost = text(renderIn("zh-CN", createElement(RollupSplit, { parts: [lost], places: 2 })));
    expect(zhLost).toContain("(情景中本单位无业务工作结果，未计入下属单位)");
  });

  it("names the sides as it is told (two cycles' years), in its columns and its notes", () => {
    const sides = { baseline: "2018", scenario: "2019" };
    const lost: RollupPart = {
      ...work,
      fromSubUnits: { baseline: "10", scenario: null, delta: null },
      own: { baseline: "72", scenario: null, delta: null },
      subUnits: { baseline: work.subUnits.baseline, scenario: [] },
    };
    const none: RollupPart = {
      ...work,
      category: "public",
      fromSubUnits: { baseline: null, scenario: null, delta: null },
      own: { baseline: null, scenario: null, delta: null },
      subUnits: { baseline: [], scenario: [] },
    };
    const missing: RollupPart = {
      ...work,
      category: "organ",
      subUnits: { ...work.subUnits, scenario: [{ rollupId: "branches", subUnits: 2, withoutResult: 1 }] },
    };
    const parts = [work, lost, none, missing];
    const en = text(renderIn("en", createElement(RollupSplit, { parts, places: 2, sides })));
    expect(en).toContain("|2018|2019|Change|");
    expect(en).toContain("(no 业务工作 result of its own in 2019: its sub-units were not read into it)");
    expect(en).toContain(
      "|业务工作: no result of its own in 2018 or 2019, so its sub-units were not read into it|",
    );
    expect(en).toContain("(sub-units without a result in 2019: 1)");
    expect(en).not.toMatch(/baseline|scenario/i);
    const zh = text(renderIn("zh-CN", createElement(RollupSplit, { parts, places: 2, sides })));
    expect(zh).toContain("|2018|2019|变化|");
    expect(zh).not.toMatch(/基准|情景/);
    // The What-if page's sides, unnamed: the baseline and the scenario.
    expect(text(renderIn("zh-CN", createElement(RollupSplit, { parts, places: 2 })))).toContain(
      "|基准|情景|变化|",
    );
  });

  it("shows a mean over three sub-units as its decimal in the page's places, the exact fraction in its title", () => {
    const thirds: RollupPart = {
      ...work,
      fromSubUnits: { baseline: "40/3", scenario: "80/3", delta: "40/3" },
      own: { baseline: "200/3", scenario: "160/3", delta: "-40/3" },
    };
    const html = renderIn("en", createElement(RollupSplit, { parts: [thirds], places: 2 }));
    expect(text(html)).toContain("|Change in 业务工作: its own ≈ -13.33, from its 2 sub-units ≈ +13.33|");
    expect(text(html)).toContain("|from its 2 sub-units|≈ 13.33|≈ 26.67|≈ +13.33|");
    expect(html).toContain('<td class="num" title="-40/3" aria-label="-40/3 ≈ -13.33">≈ -13.33</td>');
    expect(text(html)).not.toMatch(/\|-?\d+\/3\|/);
    const still: RollupPart = { ...work, own: { baseline: "72", scenario: "72", delta: "0" } };
    expect(text(renderIn("en", createElement(RollupSplit, { parts: [still], places: 2 })))).toContain(
      "|of which its own|72.00|72.00|0.00|",
    );
    const one = text(renderIn("en", createElement(RollupSplit, { parts: [thirds], places: 1 })));
    expect(one).toContain("|of which its own|≈ 66.7|≈ 53.3|≈ -13.3|");
  });

  it("shows nothing for a unit without roll-ups, and is asked for only where the scheme or scenario has one", () => {
    expect(renderIn("en", createElement(RollupSplit, { parts: [], places: 2 }))).toBe("");
    expect(hasRollups(scheme, { patch: {} })).toBe(false);
    expect(hasRollups(scheme, { patch: { rollups: { branches: { share: 0.2 } } } })).toBe(true);
    const rolled = {
      ...scheme,
      rollups: [{ id: "b", source: { category: "work" }, into: { category: "work" }, share: 0.1 }],
    };
    expect(hasRollups(rolled, {})).toBe(true);
  });
});
