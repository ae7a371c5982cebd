import { describe, expect, it } from "vitest";
import { KIND_SPECS } from "./index.js";
import { otherKindText } from "./other-kind.js";

const kinds = Object.values(KIND_SPECS);

describe("a file sent as another kind", () => {
  it("is said to be the kind whose columns its headers are, with what the kind chosen needs", () => {
    expect(otherKindText(["unit", "category", "value"], KIND_SPECS.units, kinds)).toBe(
      "this looks like a scores file, not a units file: its headers 'unit', 'category' and 'value' are scores columns, while units needs id, name and group. Import it as kind scores",
    );
    // By aliases too, and whatever else the file has.
    expect(otherKindText(["单位编号", "类别", "受访群体", "答案", "备注"], KIND_SPECS.ballots, kinds)).toBe(
      "this looks like a survey-forms file, not a ballots file: its headers '单位编号', '类别', '受访群体' and '答案' are survey-forms columns, while ballots needs voter. Import it as kind survey-forms",
    );
  });

  it("names both kinds that fit alike", () => {
    expect(otherKindText(["id", "unit", "type", "level"], KIND_SPECS.vetoes, kinds)).toBe(
      "this looks like a findings or bonuses file, not a vetoes file: its headers 'id', 'unit', 'type' and 'level' are findings or bonuses columns, while vetoes needs reason. Import it as kind findings or bonuses",
    );
  });

  it("says nothing of a file the kind chosen reads, or that no other kind reads better", () => {
    // Every column scores needs: unread columns are said by the import, not here.
    expect(otherKindText(["unit", "category", "value", "voter"], KIND_SPECS.scores, kinds)).toBeUndefined();
    // A misspelt column of the kind chosen: its own refusal says the slip.
    expect(
      otherKindText(["category", "unit", "respondent_group", "answr"], KIND_SPECS["survey-forms"], kinds),
    ).toBeUndefined();
    // Another kind lacking a column it requires is no better a guess.
    expect(otherKindText(["unit", "category"], KIND_SPECS.units, kinds)).toBeUndefined();
    // A column the import fills from its defaults is not missing.
    const forms = ["unit", "category", "value"];
    expect(otherKindText(forms, KIND_SPECS["survey-forms"], kinds)).toMatch(/^this looks like a scores file/);
    const defaults = { respondent_group: "residents", answer: "satisfied" };
    expect(otherKindText(forms, KIND_SPECS["survey-forms"], kinds, defaults)).toBeUndefined();
  });
});
