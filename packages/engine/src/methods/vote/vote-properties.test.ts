import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Ballot } from "../../dataset/dataset.js";
import { cmp, eq, parseDecimal } from "../../rational.js";
import { voteMethodSchema } from "../../scheme/scheme-schema.js";
import { CATEGORY, scoreVote, type VoteInput } from "./_test-vote.js";
import { findVoidVoters } from "./ballot-validity.js";
import { aggregate, aggregateValue, type PlainAggregation } from "./vote-aggregation.js";

const ROLES = ["mayor", "member"] as const;

// A score with at most one decimal place, as a number or a string.
const scoreArb = fc.oneof(
  fc.integer({ min: 0, max: 100 }),
  fc.integer({ min: 0, max: 1000 }).map((t) => (t / 10).toFixed(1)),
);

/** Ballots with at most one per voter and unit; a voter's role is fixed by the voter. */
const ballotsArb = (roles: readonly string[] = ROLES): fc.Arbitrary<Ballot[]> =>
  fc
    .uniqueArray(fc.record({ voter: fc.nat(9), unit: fc.nat(3), score: scoreArb }), {
      minLength: 1,
      maxLength: 40,
      selector: (r) => `${r.voter}/${r.unit}`,
    })
    .map((rows) =>
      rows.map((r) => ({
        category: CATEGORY,
        voter: `v${r.voter}`,
        role: roles[r.voter % roles.length],
        unit: `u${r.unit}`,
        score: r.score,
      })),
    );

const plainArb: fc.Arbitrary<PlainAggregation> = fc.oneof(
  fc.constant({ type: "mean" as const }),
  fc.constant({ type: "median" as const }),
  fc.record({ trim: fc.integer({ min: 1, max: 3 }), extra: fc.nat(4) }).map(({ trim, extra }) => ({
    type: "trimmed-mean" as const,
    trim,
    minVoters: Math.max(2, 2 * trim) + extra,
  })),
);

const aggregationArb: fc.Arbitrary<VoteInput["aggregation"]> = fc.oneof(
  plainArb,
  fc
    .record({
      within: plainArb,
      mayor: fc.integer({ min: 1, max: 5 }),
      member: fc.integer({ min: 0, max: 5 }),
      missingRole: fc.constantFrom("insufficient" as const, "renormalize" as const),
    })
    .map(({ within, mayor, member, missingRole }) => ({
      type: "role-weighted" as const,
      roles: { mayor, member },
      within,
      missingRole,
    })),
);

const inputArb: fc.Arbitrary<VoteInput> = fc.record({
  aggregation: aggregationArb,
  quorum: fc.integer({ min: 1, max: 4 }),
  validity: fc.record({
    rejectUniform: fc.boolean(),
    maxHighScores: fc.option(fc.record({ threshold: fc.integer({ min: 50, max: 100 }), max: fc.nat(3) }), {
      nil: undefined,
    }),
  }),
});

describe("vote method properties", () => {
  it("row order never changes any unit's result or trace", () => {
    const arb = fc
      .tuple(inputArb, ballotsArb())
      .chain(([input, ballots]) =>
        fc.tuple(
          fc.constant(input),
          fc.constant(ballots),
          fc.shuffledSubarray(ballots, { minLength: ballots.length, maxLength: ballots.length }),
        ),
      );
    fc.assert(
      fc.property(arb, ([input, ballots, shuffled]) => {
        expect(scoreVote(input, shuffled)).toEqual(scoreVote(input, ballots));
      }),
    );
  });

  it("a result lies within the lowest and highest valid score of its unit", () => {
    fc.assert(
      fc.property(inputArb, ballotsArb(), (input, ballots) => {
        const values = ballots.map((b) => parseDecimal(b.score!));
        const voided = findVoidVoters(ballots, values, voteMethodSchema.shape.validity.parse(input.validity));
        for (const [unit, outcome] of scoreVote(input, ballots)) {
          if (outcome.status !== "scored") continue;
          const valid = values.filter((_, i) => ballots[i]!.unit === unit && !voided.has(ballots[i]!.voter));
          expect(valid.some((s) => cmp(s, outcome.value) <= 0)).toBe(true);
          expect(valid.some((s) => cmp(s, outcome.value) >= 0)).toBe(true);
        }
      }),
    );
  });

  it("with one role, role-weighted equals its `within` aggregation", () => {
    fc.assert(
      fc.property(
        plainArb,
        fc.integer({ min: 1, max: 9 }),
        ballotsArb(["mayor"]),
        (within, weight, ballots) => {
          const byRole = scoreVote(
            { aggregation: { type: "role-weighted", roles: { mayor: weight }, within } },
            ballots,
          );
          const plain = scoreVote({ aggregation: within }, ballots);
          for (const [unit, outcome] of plain) {
            const other = byRole.get(unit);
            expect(other?.status).toBe("scored");
            if (outcome.status === "scored" && other?.status === "scored")
              expect(eq(other.value, outcome.value)).toBe(true);
          }
        },
      ),
    );
  });

  it("without traces, every unit gets the same status, value and reason, and an empty trace", () => {
    fc.assert(
      fc.property(inputArb, ballotsArb(), (input, ballots) => {
        const full = scoreVote(input, ballots);
        const bare = scoreVote(input, ballots, { traces: false });
        expect([...bare.keys()].sort()).toEqual([...full.keys()].sort());
        for (const [unit, outcome] of full) {
          const other = bare.get(unit)!;
          expect(other.trace).toEqual([]);
          if (outcome.status === "scored" && other.status === "scored") {
            expect(eq(other.value, outcome.value)).toBe(true);
            const { dropped: _, ...counts } = outcome.details ?? {};
            expect(other.details).toEqual(counts);
          } else expect(other).toEqual({ ...outcome, trace: [] });
        }
      }),
    );
  });

  it("a secret vote scores as a named one, and no trace, reason or detail names a voter", () => {
    // Voter ids no number or word of a trace could contain by chance.
    const renamed = (ballots: Ballot[]) => ballots.map((b) => ({ ...b, voter: `Voter${b.voter}Q` }));
    fc.assert(
      fc.property(inputArb, ballotsArb(), (input, plain) => {
        const ballots = renamed(plain);
        const named = scoreVote(input, ballots);
        const secret = scoreVote({ ...input, secret: true }, ballots);
        expect([...secret.keys()].sort()).toEqual([...named.keys()].sort());
        for (const [unit, outcome] of secret) {
          const other = named.get(unit)!;
          expect(outcome.status).toBe(other.status);
          if (outcome.status === "scored" && other.status === "scored")
            expect(eq(outcome.value, other.value)).toBe(true);
          const said = outcome.status === "scored" ? outcome.details : outcome.reason;
          const text = JSON.stringify([outcome.trace, said]);
          expect(text).not.toMatch(/Voterv\d+Q/);
          expect(text).toContain("secret vote: no voter is named");
        }
      }),
    );
  });

  it("a secret vote's explanations are the same whoever cast which ballot", () => {
    // Voters renamed by a permutation that keeps each voter's role (ROLES[voter % 2]): only
    // whose ballot is whose changes, within each role's list too.
    const within = (ids: number[]) =>
      fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length });
    const arb = fc.tuple(inputArb, ballotsArb(), within([0, 2, 4, 6, 8]), within([1, 3, 5, 7, 9]));
    fc.assert(
      fc.property(arb, ([input, ballots, even, odd]) => {
        const to = (i: number) => (i % 2 === 0 ? even[i / 2]! : odd[(i - 1) / 2]!);
        const renamed = ballots.map((b) => ({ ...b, voter: `v${to(Number(b.voter.slice(1)))}` }));
        const said = (out: ReturnType<typeof scoreVote>) =>
          [...out]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([unit, o]) => [unit, o.trace, o.status === "scored" ? o.details : o.reason]);
        const secret = { ...input, secret: true };
        expect(said(scoreVote(secret, renamed))).toEqual(said(scoreVote(secret, ballots)));
      }),
    );
  });

  it("aggregateValue gives aggregate's value", () => {
    fc.assert(
      fc.property(plainArb, fc.array(scoreArb, { minLength: 1, maxLength: 30 }), (rule, scores) => {
        const values = scores.map((s) => parseDecimal(s));
        expect(eq(aggregateValue(values, rule), aggregate(values, rule).value)).toBe(true);
      }),
    );
  });

  it("any aggregation of constant ballots is that constant", () => {
    fc.assert(
      fc.property(plainArb, scoreArb, fc.integer({ min: 1, max: 30 }), (rule, score, n) => {
        const value = parseDecimal(score);
        const values = Array.from({ length: n }, () => value);
        expect(eq(aggregate(values, rule).value, value)).toBe(true);
      }),
    );
  });
});
