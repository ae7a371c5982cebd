import { createElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { memorySessionStorage } from "../_test-session-storage";
import type { BallotChoices, BallotFilter } from "../ballots-api";
import { saveFormDraft } from "../draft-store";
import { BallotForm } from "./ballot-form";

const choices: BallotChoices = {
  voteCategories: [
    { id: "organ", name: "机关", ballot: { type: "score", min: 0, max: 100 }, roles: [], secret: false },
    {
      id: "conduct",
      name: "作风",
      ballot: { type: "grade", grades: ["好", "较好"] },
      roles: [],
      secret: false,
    },
  ],
  surveyCategories: [],
  units: [
    { id: "U01", name: "一" },
    { id: "U09", name: "九" },
  ],
};

/** The form of cycle 2019 as drawn with the list narrowed by `filter`. */
const drawn = (filter: Partial<BallotFilter>) =>
  renderIn(
    "en",
    createElement(BallotForm, {
      cycleId: "2019",
      choices,
      filter: { category: null, unitId: null, voter: null, ...filter },
      onSaved: () => {},
    }),
  );

describe("BallotForm", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("says nothing came back when the boxes picked by hand show what the filters give", () => {
    // Picked by hand on the unit and category the list was narrowed to, the typing then emptied.
    saveFormDraft("ballots.record.2019", {
      edit: { category: "conduct", unitId: "U09", voter: "", role: "", value: "" },
      picked: { category: true, unitId: true },
    });
    expect(drawn({ category: "conduct", unitId: "U09" })).not.toContain('data-testid="ballot-restored"');
    // Narrowed to another unit, the unit picked shows what the filter would not: that came back.
    expect(drawn({ category: "conduct", unitId: "U01" })).toContain('data-testid="ballot-restored"');
    expect(drawn({ unitId: "U09" })).toContain('data-testid="ballot-restored"');
  });
});
