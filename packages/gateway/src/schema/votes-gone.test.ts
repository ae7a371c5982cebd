import { type Dataset, InputError } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { recordsError } from "../records-error.js";
import { scoreUnder } from "./engine-check.js";
import { deleteBallotsCall, votesGone, votesGoneKinds } from "./votes-gone.js";

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

  describe("in a refusal listing the first 100 records", () => {
    const many = {
      units: [],
      ballots: [...Array.from({ length: 150 }, () => ballot("organ")), ballot("council"), ballot("organ")],
    } as never;
    const gone = (i: number) => ({ path: ["ballots", i, "category"], message: `ballot ${i}: no vote` });
    const score = (i: number) => ({ path: ["scores", i, "value"], message: `score ${i}: outside` });
    const listedOf = (issues: { path: (string | number)[]; message: string }[]) =>
      recordsError(issues, "v2 cannot score cycle '2019'", undefined, votesGoneKinds(many));

    it("lists a ballot of each vote the version cannot read after 100 other records, in their order", () => {
      const issues = [...Array.from({ length: 120 }, (_, i) => score(i)), gone(150), gone(0), gone(151)];
      const error = listedOf(issues);
      expect(error.issues).toHaveLength(100);
      expect(error.issues.slice(0, 98).map((i) => i.path)).toEqual(
        Array.from({ length: 98 }, (_, i) => `dataset.scores[${i}].value`),
      );
      // Of each vote, its first: "council" (ballot 150) and "organ" (ballot 0).
      expect(error.issues.slice(98).map((i) => i.path)).toEqual([
        "dataset.ballots[150].category",
        "dataset.ballots[0].category",
      ]);
      expect(error.message).toMatch(
        /^v2 cannot score cycle '2019' \(123 problems, 100 listed: the first ones and the first of each vote's ballots this version cannot read, and of the other records\): score 0/,
      );
    });

    it("says no other records when the votes' ballots are all there is", () => {
      const issues = [...Array.from({ length: 120 }, (_, i) => gone(i)), gone(150)];
      const error = listedOf(issues);
      expect(error.issues.at(-1)?.path).toBe("dataset.ballots[150].category");
      expect(error.message).toContain(
        "(121 problems, 100 listed: the first ones and the first of each vote's ballots this version cannot read):",
      );
    });

    it("is how a move's refusal lists them", () => {
      const issues = [...Array.from({ length: 120 }, (_, i) => score(i)), gone(150)];
      let refused: unknown;
      try {
        scoreUnder(
          "scheme city-review v3",
          "2019",
          () => {
            throw new InputError("dataset", issues);
          },
          { dataset: many },
        );
      } catch (e) {
        refused = e;
      }
      const error = refused as ReturnType<typeof listedOf>;
      expect(error.issues.at(-1)?.path).toBe("dataset.ballots[150].category");
      expect(error.message).toMatch(
        /^scheme city-review v3 cannot score cycle '2019' as its records stand \(121 problems, 100 listed: the first ones and the first of each vote's ballots this version cannot read, and of the other records\)/,
      );
    });

    it("lists the other records after 100 ballots of a vote the version cannot read", () => {
      const issues = [...Array.from({ length: 120 }, (_, i) => gone(i)), score(0)];
      const paths = listedOf(issues).issues.map((i) => i.path);
      expect(paths).toHaveLength(100);
      expect(paths.at(-1)).toBe("dataset.scores[0].value");
      expect(paths.at(-2)).toBe("dataset.ballots[98].category");
    });

    it("lists the first 100, saying so, when each kind is among them", () => {
      const issues = [gone(150), ...Array.from({ length: 120 }, (_, i) => score(i))];
      const error = listedOf(issues);
      expect(error.issues.map((i) => i.path)).toEqual(
        issues
          .slice(0, 100)
          .map((i) =>
            i === issues[0] ? "dataset.ballots[150].category" : `dataset.scores[${i.path[1]}].value`,
          ),
      );
      expect(error.message).toContain("(121 problems, the first 100 listed)");
      // Only other records: the first 100 too.
      expect(listedOf(issues.slice(1)).message).toContain("(120 problems, the first 100 listed)");
    });
  });
});

describe("deleteBallotsCall", () => {
  const ballot = (category: string, voter: string) => ({ category, voter, unit: "U01", score: "80" });
  const dataset = {
    units: [],
    ballots: [ballot("organ", "m1"), ballot("council", "m1"), ballot("organ", "m2"), ballot("other", "m1")],
  } as unknown as Dataset;

  it("names the write that deletes a vote's ballots in one step, with the count it confirms", () => {
    expect(deleteBallotsCall("2019", ["organ"], dataset)).toBe(
      'deleteBallots(cycleId: "2019", category: "organ", expectedBallots: 2)',
    );
  });

  it("spells a few votes' calls out, and quotes ids as GraphQL strings", () => {
    expect(deleteBallotsCall('the "2019" cycle', ["organ", "council"], dataset)).toBe(
      'deleteBallots(cycleId: "the \\"2019\\" cycle", category: "organ", expectedBallots: 2) and ' +
        'deleteBallots(cycleId: "the \\"2019\\" cycle", category: "council", expectedBallots: 1)',
    );
  });

  it("gives the call's shape once for more votes than it spells out", () => {
    expect(deleteBallotsCall("2019", ["a", "b", "c", "d"], dataset)).toBe(
      'deleteBallots(cycleId: "2019", category: …, expectedBallots: …) for each vote',
    );
  });
});
