import { describe, expect, it } from "vitest";
import { translator } from "./i18n";
import { rulePathWords } from "./rule-path-words";
import type { SchemeDocument } from "./whatif-api";

const scheme: SchemeDocument = {
  categories: [{ id: "work", name: "业务工作", points: 30 }],
  groups: [{ id: "law", name: "执法部门" }],
  grades: { rules: [{ id: "excellent", name: "优秀" }], fallback: { id: "fail", name: "不合格" } },
};

describe("rulePathWords", () => {
  const en = (path: string) => rulePathWords(path, scheme, translator("en"));

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
    expect(en("findingTypes[id=visit].name")).toBeNull();
    expect(en("ranking")).toBeNull();
    // Inside an entry, not the entry: a path ending in a bracket is no entry named "law].parents[…".
    expect(en('groups[id=law].parents["U07"]')).toBeNull();
  });

  it("speaks Chinese too", () => {
    const zh = (path: string) => rulePathWords(path, scheme, translator("zh-CN"));
    expect(["groups[ids]", "ranking.tieBreakers[0]", "groups[id=law]"].map(zh)).toEqual([
      "分组的顺序",
      "第 1 条并列处理规则",
      "分组 执法部门",
    ]);
  });
});
