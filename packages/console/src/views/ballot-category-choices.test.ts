import { describe, expect, it } from "vitest";
import type { VoteCategory } from "../ballots-api";
import { translator } from "../i18n";
import { ballotCategoryChoices } from "./ballot-category-choices";

const vote = (id: string, name: string, secret = false): VoteCategory => ({
  id,
  name,
  ballot: { type: "score", min: 0, max: 100 },
  roles: [],
  secret,
});
const votes = [vote("council", "议会"), vote("conduct", "作风", true)];

describe("ballotCategoryChoices", () => {
  it("offers the version's votes, then the categories with ballots it does not declare a vote, marked with how many", () => {
    const held = [
      { category: "conduct", ballots: 12, declared: true },
      { category: "council", ballots: 29, declared: true },
      { category: "organ", ballots: 203, declared: false },
      { category: "panel", ballots: 1, declared: false },
    ];
    expect(ballotCategoryChoices(votes, held, 7, translator("en"))).toEqual([
      { id: "council", name: "议会" },
      { id: "conduct", name: "作风 — secret vote" },
      { id: "organ", name: "organ (not a vote in scheme v7: 203 ballots)" },
      { id: "panel", name: "panel (not a vote in scheme v7: 1 ballot)" },
    ]);
    expect(ballotCategoryChoices(votes, held, 7, translator("zh-CN")).slice(2)).toEqual([
      { id: "organ", name: "organ（方案第 7 版中不是票决类别：203 张选票）" },
      { id: "panel", name: "panel（方案第 7 版中不是票决类别：1 张选票）" },
    ]);
  });

  it("offers the version's votes alone when no category with ballots is left over, or none is read", () => {
    const t = translator("en");
    const names = [
      { id: "council", name: "议会" },
      { id: "conduct", name: "作风 — secret vote" },
    ];
    expect(ballotCategoryChoices(votes, [], 7, t)).toEqual(names);
    expect(ballotCategoryChoices(votes, [{ category: "council", ballots: 3, declared: true }], 7, t)).toEqual(
      names,
    );
    // A vote of the scheme the page read, which the gateway no longer finds declared (the cycle
    // moved since): offered once, as the vote it was read as.
    expect(
      ballotCategoryChoices(votes, [{ category: "council", ballots: 3, declared: false }], 8, t),
    ).toEqual(names);
  });
});
