import { describe, expect, it } from "vitest";
import { nominalKnobs } from "./knobs";
import { scenarioMaximum } from "./scenario-maximum";
import type { SchemeDocument } from "./whatif-api";

const scheme: SchemeDocument = {
  categories: [
    { id: "business", name: "业务工作", points: 30 },
    { id: "organ", name: "机关建设", points: "30" },
    { id: "public", name: "开门评议", points: 40 },
  ],
  groups: [{ id: "g", name: "g" }],
};
const knobs = (points: Record<string, number>) => ({ ...nominalKnobs(scheme), points });

describe("scenarioMaximum", () => {
  it("adds the scheme's and the scenario's points exactly", () => {
    expect(scenarioMaximum(scheme, knobs({ business: 30, organ: 30, public: 50 }), {})).toEqual({
      before: "100",
      after: "110",
    });
    // The reform moves ten points: the maximum stays.
    expect(scenarioMaximum(scheme, knobs({ business: 30, organ: 20, public: 50 }), {})).toEqual({
      before: "100",
      after: "100",
    });
    expect(scenarioMaximum(scheme, knobs({ business: 30, organ: 29.99, public: 40.01 }), {})?.after).toBe(
      "100",
    );
  });

  it("counts the bonus cap, the scheme's or the scenario's, as the engine's maximum does", () => {
    const capped = { ...scheme, bonusCap: 5 };
    expect(scenarioMaximum(capped, nominalKnobs(capped), {})).toEqual({ before: "105", after: "105" });
    expect(scenarioMaximum(capped, nominalKnobs(capped), { patch: { bonusCap: "2.5" } })).toEqual({
      before: "105",
      after: "102.5",
    });
  });
});
