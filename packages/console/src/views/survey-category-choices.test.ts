import { describe, expect, it } from "vitest";
import type { SurveyCategory } from "../ballots-api";
import { translator } from "../i18n";
import { surveyCategoryChoices } from "./survey-category-choices";

const survey = (id: string, name: string): SurveyCategory => ({
  id,
  name,
  answers: ["满意", "不满意"],
  respondentGroups: ["citizens"],
});
const surveys = [survey("satisfaction", "开门评议")];

describe("surveyCategoryChoices", () => {
  it("offers the version's surveys, then the categories with forms it does not declare a survey, marked with how many", () => {
    // A forced move renamed "public" to "satisfaction": the forms stayed under "public".
    const held = [
      { category: "pilot", forms: 1, declared: false },
      { category: "public", forms: 1204, declared: false },
      { category: "satisfaction", forms: 12, declared: true },
    ];
    expect(surveyCategoryChoices(surveys, held, 3, translator("en"))).toEqual([
      { id: "satisfaction", name: "开门评议" },
      { id: "pilot", name: "pilot (not a survey in scheme v3: 1 form)" },
      { id: "public", name: "public (not a survey in scheme v3: 1204 forms)" },
    ]);
    expect(surveyCategoryChoices(surveys, held, 3, translator("zh-CN")).slice(1)).toEqual([
      { id: "pilot", name: "pilot（方案第 3 版中不是测评类别：1 份测评表）" },
      { id: "public", name: "public（方案第 3 版中不是测评类别：1204 份测评表）" },
    ]);
  });

  it("offers the version's surveys alone when no category with forms is left over, or none is read", () => {
    const t = translator("en");
    const names = [{ id: "satisfaction", name: "开门评议" }];
    expect(surveyCategoryChoices(surveys, [], 3, t)).toEqual(names);
    // A survey of the scheme the page read, which the gateway no longer finds declared (the cycle
    // moved since): offered once, as the survey it was read as.
    expect(
      surveyCategoryChoices(surveys, [{ category: "satisfaction", forms: 3, declared: false }], 4, t),
    ).toEqual(names);
  });
});
