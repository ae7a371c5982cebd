import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import type { Lang } from "../i18n";
import { YearOnYearSummary } from "./year-on-year-summary";

const summary = (lang: Lang, byPool: { rose: number; fell: number }, movedGroup = 0) =>
  renderIn(
    lang,
    createElement(YearOnYearSummary, { moves: { rose: 5, fell: 14, grades: 2, movedGroup }, byPool }),
  )
    .replace(/^<p[^>]*>/, "")
    .replace(/<\/p>$/, "")
    .replaceAll("&#x27;", "'");

describe("YearOnYearSummary", () => {
  it("names units moved to or from another group among those that left or joined a group's ranking", () => {
    expect(summary("en", { rose: 1, fell: 3 })).toBe(
      "5 units rose, 14 fell; 2 changed grade. Of these, 1 rose and 3 fell only because units left or joined their group's ranking (a unit only one cycle holds, ranked in one only, or moved to or from another group): among the units ranked in both cycles they kept their place.",
    );
    expect(summary("zh-CN", { rose: 1, fell: 3 })).toContain(
      "其中上升 1 个、下降 3 个仅因有单位离开或加入其分组的排名（只有一个周期有的单位、只在一个周期排名的单位，或从别的分组换入、换到别的分组的单位）",
    );
  });

  it("leaves out a half that is nought", () => {
    expect(summary("en", { rose: 0, fell: 12 })).toContain("Of these, 12 fell only because");
    expect(summary("en", { rose: 2, fell: 0 })).toContain("Of these, 2 rose only because");
    expect(summary("zh-CN", { rose: 0, fell: 12 })).toContain("其中下降 12 个仅因");
    expect(summary("zh-CN", { rose: 2, fell: 0 })).toContain("其中上升 2 个仅因");
    expect(summary("en", { rose: 0, fell: 0 })).toBe("5 units rose, 14 fell; 2 changed grade.");
  });

  it("runs Chinese sentences on after 。, spaces English ones", () => {
    expect(summary("zh-CN", { rose: 0, fell: 12 }, 3)).toMatch(/个。其中下降 12 个.*未变。换组 3 个：/);
    expect(summary("en", { rose: 0, fell: 0 }, 3)).toBe(
      "5 units rose, 14 fell; 2 changed grade. 3 moved group: their ranks in the two cycles are of different groups, not compared.",
    );
  });
});
