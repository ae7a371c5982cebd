import { describe, expect, it } from "vitest";
import type { Ballot } from "../../dataset/dataset.js";
import { toExactString } from "../../rational.js";
import { CATEGORY, scored, type VoteInput, voteContext } from "./_test-vote.js";
import { voteMethod } from "./vote-method.js";

// 200,000 ballots over 10,000 units (20 voters). How fast that is belongs to the benchmarks;
// here, that the work is linear: every read of a ballot's fields is counted, and a quadratic slip
// (a per-unit scan of all ballots) would read each ballot ten thousand times, not a few.
const UNITS = 10_000;
const VOTERS = 20;
const ballots: Ballot[] = [];
for (let u = 0; u < UNITS; u++)
  for (let v = 0; v < VOTERS; v++)
    ballots.push({
      category: CATEGORY,
      voter: `v${String(v).padStart(2, "0")}`,
      role: v < 3 ? "leader" : "member",
      unit: `u${u}`,
      score: 60 + ((u * 7 + v * 13) % 41),
    });

const inputs: Record<string, VoteInput> = {
  "trimmed mean with validity rules": {
    aggregation: { type: "trimmed-mean", trim: 1, minVoters: 7 },
    quorum: 15,
    validity: { rejectUniform: true, maxHighScores: { threshold: 95, max: UNITS } },
  },
  "role-weighted": {
    aggregation: { type: "role-weighted", roles: { leader: "0.4", member: "0.6" }, within: { type: "mean" } },
  },
};

describe("vote method performance", () => {
  for (const [name, input] of Object.entries(inputs))
    it(`validates and scores 200,000 ballots over 10,000 units (${name})`, () => {
      let reads = 0;
      const counted = ballots.map(
        (b) =>
          new Proxy(b, {
            get(target, key, receiver) {
              reads++;
              return Reflect.get(target, key, receiver);
            },
          }),
      );
      const ctx = voteContext(input, counted);
      const issues = voteMethod.validateData(ctx);
      const out = voteMethod.score({
        ...ctx,
        compiled: undefined,
        units: ctx.dataset.units,
        categoryPoints: new Map(),
      });
      expect(issues).toEqual([]);
      expect(out.size).toBe(UNITS);
      expect(scored(out.get("u0")).details?.valid).toBe(String(VOTERS));
      expect(reads).toBeLessThanOrEqual(40 * ballots.length);
    });

  it("gives the hand-computed value for one unit of the large set", () => {
    const out = voteMethod.score({
      ...voteContext({}, ballots),
      compiled: undefined,
      units: [],
      categoryPoints: new Map(),
    });
    // u0: 60 + (13v mod 41) for v = 0..19; those residues sum to 379, so (1200 + 379) / 20.
    expect(toExactString(scored(out.get("u0")).value)).toBe("78.95");
  });
});
