import { describe, expect, it } from "vitest";
import { votesGone } from "./votes-gone.js";

describe("votesGone", () => {
  const ballot = (category: string) => ({ voter: "mayor", unit: "U01", category, score: 90 });
  const dataset = {
    units: [],
    ballots: [ballot("organ"), ballot("council"), ballot("organ")],
  } as never;

  it("names the categories whose ballots are refused for their category, in order, each once", () => {
    const records = [
      ["ballots", 2, "category"],
      ["ballots", 1, "category"],
      ["ballots", 0, "category"],
    ];
    expect(votesGone(records, dataset)).toEqual({ votes: ["organ", "council"], onlyTheirs: true });
  });

  it("says when other records are refused too: a ballot's score, a unit", () => {
    expect(
      votesGone(
        [
          ["ballots", 0, "category"],
          ["ballots", 1, "score"],
        ],
        dataset,
      ),
    ).toEqual({ votes: ["organ"], onlyTheirs: false });
    expect(votesGone([["units", 3]], dataset)).toEqual({ votes: [], onlyTheirs: false });
  });
});
