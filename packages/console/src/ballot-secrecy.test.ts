import { describe, expect, it } from "vitest";
import { ballotListing, unlistedSecretVotes } from "./ballot-secrecy";
import type { BallotChoices, VoteCategory } from "./ballots-api";

const vote = (id: string, secret: boolean): VoteCategory => ({
  id,
  name: id,
  ballot: { type: "score", min: 0, max: 100 },
  roles: [],
  secret,
});
const choices: BallotChoices = {
  voteCategories: [vote("organ", true), vote("conduct", false)],
  surveyCategories: [],
  units: [],
};

describe("unlistedSecretVotes", () => {
  it("names the secret votes to a viewer and an analyst, none to an administrator", () => {
    expect(unlistedSecretVotes("viewer", choices).map((c) => c.id)).toEqual(["organ"]);
    expect(unlistedSecretVotes("analyst", choices).map((c) => c.id)).toEqual(["organ"]);
    expect(unlistedSecretVotes("admin", choices)).toEqual([]);
    expect(unlistedSecretVotes("viewer", null)).toEqual([]);
  });
});

describe("ballotListing", () => {
  const known = { current: choices, failed: false };
  it("asks nothing of a viewer's or an analyst's secret vote, and says why", () => {
    expect(ballotListing("viewer", "organ", known)).toBe("secret");
    expect(ballotListing("analyst", "organ", known)).toBe("secret");
    expect(ballotListing("viewer", "conduct", known)).toBe("read");
    expect(ballotListing("viewer", null, known)).toBe("read");
  });

  it("lists an administrator every category, secret or not", () => {
    expect(ballotListing("admin", "organ", known)).toBe("read");
    expect(ballotListing("admin", "organ", { current: null, failed: false })).toBe("read");
  });

  it("waits for the scheme's categories before naming one, and reads without them when they fail", () => {
    expect(ballotListing("viewer", "organ", { current: null, failed: false })).toBe("wait");
    expect(ballotListing("viewer", null, { current: null, failed: false })).toBe("read");
    // A category gone from the scheme, or the scheme unread: the gateway's refusal shows as it words it.
    expect(ballotListing("viewer", "organ", { current: null, failed: true })).toBe("read");
    expect(ballotListing("viewer", "gone", known)).toBe("read");
  });
});
