import { describe, expect, it } from "vitest";
import { keptChanges, keptYear, rollupEnds } from "./_test-kept-schemes";
import { translator } from "./i18n";
import { rulePathWords } from "./rule-path-words";
import type { SchemeDocument } from "./whatif-api";

const scheme: SchemeDocument = {
  categories: [{ id: "work", name: "业务工作", points: 30 }],
  groups: [{ id: "law", name: "执法部门" }],
  grades: { rules: [{ id: "excellent", name: "优秀" }], fallback: { id: "fail", name: "不合格" } },
};

describe("rulePathWords", () => {
  const en = (path: string) => rulePathWords(path, [scheme], translator("en"));

  it("says a list's order, an entry by the scheme's name for it, and a tie-breaker counted from the first", () => {
    expect(
      ["groups[ids]", "grades.rules[ids]", "ranking.tieBreakers", "ranking.tieBreakers[0]"].map(en),
    ).toEqual([
      "The order of the groups",
      "The order of the grade rules",
      "The tie-breakers",
      "Tie-breaker no. 1",
    ]);
    expect(en("ranking.tieBreakers[1].category")).toBe("Tie-breaker no. 2");
    expect(["groups[id=law]", "grades.rules[id=excellent]", "grades.rules[id=fail]"].map(en)).toEqual([
      "The group 执法部门",
      "The grade 优秀",
      "The grade 不合格",
    ]);
    expect(en("grades.fallback.name")).toBe("The grade of the units no rule grades (fallback)");
    expect(["rollups[id=r1]", "rollups[id=r1].source", "rollups[id=r1].into"].map(en)).toEqual([
      "The roll-up r1",
      "What roll-up r1 reads of the sub-units",
      "Where roll-up r1 counts",
    ]);
  });

  it("names an entry the scheme lacks by its id, and knows no other path", () => {
    expect(en("groups[id=gone]")).toBe("The group gone");
    expect(en("findingTypes[id=visit].cap")).toBeNull();
    expect(en("ranking")).toBeNull();
    // Inside an entry, not the entry: a path ending in a bracket is no entry named "law].parents[…".
    expect(en('groups[id=law].parents["U07"]')).toBeNull();
  });

  it("speaks Chinese too", () => {
    const zh = (path: string) => rulePathWords(path, [scheme], translator("zh-CN"));
    expect(["groups[ids]", "ranking.tieBreakers[0]", "groups[id=law]"].map(zh)).toEqual([
      "分组的顺序",
      "第 1 条并列处理规则",
      "分组 执法部门",
    ]);
  });

  // The paths below are those the engine's patchBetween keeps between these two years.
  const from = keptYear({
    rollups: rollupEnds.from,
    grades: { rules: [], fallback: { id: "ok", name: "合格" } },
    findingTypes: [{ id: "visit", name: "明察暗访", levels: { city: { perFinding: "0.3" } } }],
  });
  const to = keptYear({
    rollups: rollupEnds.to,
    grades: { rules: [], fallback: { id: "pass", name: "通过" } },
    findingTypes: [
      { id: "visit", name: "暗访", levels: { city: { perFinding: "0.3" }, county: { perFinding: "0.1" } } },
      { id: "media", name: "媒体曝光", levels: { city: { perFinding: "1" } } },
    ],
    vetoTypes: [{ id: "safety", name: "安全事故" }],
  });
  const kept = keptChanges(from, to).map((c) => c.path);
  const toDoc = to as unknown as SchemeDocument;

  it("says the paths the engine keeps between two years: a roll-up's ends, finding and veto types, the fallback grade", () => {
    const words = (lang: "en" | "zh-CN") => kept.map((p) => rulePathWords(p, [toDoc], translator(lang)));
    expect(words("en")).toEqual([
      "The name of the finding type 暗访",
      "The level county of the finding type 暗访",
      "The finding type 媒体曝光",
      "The veto type 安全事故",
      "What roll-up subs reads of the sub-units",
      "What roll-up subs reads of the sub-units",
      "Where roll-up subs counts",
      "Where roll-up subs counts",
      "The grade of the units no rule grades (fallback)",
      "The grade of the units no rule grades (fallback)",
    ]);
    expect(words("zh-CN").slice(0, 4)).toEqual([
      "问题类型 暗访 的名称",
      "问题类型 暗访 的级别 county",
      "问题类型 媒体曝光",
      "否决类型 安全事故",
    ]);
  });

  it("names an entry by the first scheme that has it, the other year's where the first lacks it", () => {
    const earlier: SchemeDocument = {
      categories: [],
      groups: [{ id: "law-enforcement", name: "执法部门" }],
      grades: { rules: [{ id: "good", name: "良好" }] },
      vetoTypes: [{ id: "safety", name: "安全事故" }],
    };
    const later: SchemeDocument = {
      categories: [],
      groups: [],
      vetoTypes: [{ id: "safety", name: "安全生产事故" }],
    };
    expect(
      ["groups[id=law-enforcement]", "grades.rules[id=good]", "vetoTypes[id=safety].name"].map((p) =>
        rulePathWords(p, [later, earlier], translator("en")),
      ),
    ).toEqual(["The group 执法部门", "The grade 良好", "The name of the veto type 安全生产事故"]);
  });
});
