import { describe, expect, it } from "vitest";
import type { Ballot } from "../../dataset/dataset.js";
import { toExactString } from "../../rational.js";
import { CATEGORY, scored, scoreVote, traceText, type VoteInput } from "./_test-vote.js";

const weighted = (
  missingRole: "insufficient" | "renormalize",
  within: object = { type: "mean" },
): VoteInput => ({
  aggregation: {
    type: "role-weighted",
    roles: { mayor: "0.4", deputy: "0.3", member: "0.3" },
    within: within as { type: "mean" },
    missingRole,
  },
});

const ballot = (voter: string, role: string, score: number, unit = "u1"): Ballot => ({
  category: CATEGORY,
  voter,
  role,
  unit,
  score,
});

// mayor 90; deputies 80, 84 (mean 82); members 70, 75, 80 (mean 75)
const full: Ballot[] = [
  ballot("m", "mayor", 90),
  ballot("d1", "deputy", 80),
  ballot("d2", "deputy", 84),
  ballot("c1", "member", 70),
  ballot("c2", "member", 75),
  ballot("c3", "member", 80),
];
const noMayor = full.filter((b) => b.role !== "mayor");

describe("role-weighted aggregation", () => {
  it("aggregates within each role, then weights across roles", () => {
    const out = scored(scoreVote(weighted("insufficient"), full).get("u1"));
    expect(toExactString(out.value)).toBe("83.1");
    const trace = traceText(out);
    expect(trace).toContain("role deputy: mean of 2: (80 + 84) / 2 = 82");
    expect(trace).toContain("across roles: 0.4 × 90 + 0.3 × 82 + 0.3 × 75 = 83.1");
  });

  it("puts ≈ beside a role's or the unit's value that does not terminate", () => {
    // members 70, 75, 81: 226/3; 0.4 × 90 + 0.3 × 82 + 0.3 × 226/3 = 83.2. Weights 1:1:1: 247/3.
    const members = full.map((b) => (b.voter === "c3" ? { ...b, score: 81 } : b));
    const trace = traceText(scored(scoreVote(weighted("insufficient"), members).get("u1")));
    expect(trace).toContain("role member: mean of 3: (70 + 75 + 81) / 3 = 226/3 (≈ 75.33)");
    expect(trace).toContain("across roles: 0.4 × 90 + 0.3 × 82 + 0.3 × 226/3 = 83.2\n");
    const even: VoteInput = {
      aggregation: {
        type: "role-weighted",
        roles: { mayor: "1", deputy: "1", member: "1" },
        missingRole: "insufficient",
      },
    };
    const out = scored(scoreVote(even, full).get("u1"));
    expect(traceText(out)).toContain(
      "across roles: (1 × 90 + 1 × 82 + 1 × 75) / 3 = 247 / 3 = 247/3 (≈ 82.33)",
    );
    expect(traceText(out)).toContain("result: 247/3 (≈ 82.33) of 100");
  });

  it("makes a unit insufficient when a weighted role cast no ballot, naming the role", () => {
    const out = scoreVote(weighted("insufficient"), noMayor).get("u1");
    expect(out).toMatchObject({ status: "insufficient", reason: 'no valid ballot from role "mayor"' });
  });

  it("renormalises the present roles' weights when asked, and says so", () => {
    const out = scored(scoreVote(weighted("renormalize"), noMayor).get("u1"));
    // (0.3 × 82 + 0.3 × 75) / 0.6 = 47.1 / 0.6
    expect(toExactString(out.value)).toBe("78.5");
    const trace = traceText(out);
    expect(trace).toContain('renormalised: no valid ballot from role "mayor"');
    expect(trace).toContain("(0.3 × 82 + 0.3 × 75) / 0.6 = 47.1 / 0.6 = 78.5");
  });

  it("treats weights as relative (3:1 is 0.75:0.25)", () => {
    const input: VoteInput = { aggregation: { type: "role-weighted", roles: { mayor: 3, member: 1 } } };
    const out = scored(scoreVote(input, [ballot("m", "mayor", 90), ballot("c", "member", 70)]).get("u1"));
    expect(toExactString(out.value)).toBe("85");
  });

  it("shows a zero-weight role without counting it, and does not require it", () => {
    const input: VoteInput = { aggregation: { type: "role-weighted", roles: { mayor: 1, observer: 0 } } };
    const out = scored(scoreVote(input, [ballot("m", "mayor", 90), ballot("o", "observer", 10)]).get("u1"));
    expect(toExactString(out.value)).toBe("90");
    expect(traceText(out)).toContain("(weight 0, not counted)");
    const alone = scored(scoreVote(input, [ballot("m", "mayor", 90)]).get("u1"));
    expect(toExactString(alone.value)).toBe("90");
  });

  it("trims within a role and reports what each role dropped", () => {
    const members = [70, 75, 80, 99].map((s, i) => ballot(`n${i + 1}`, "member", s));
    const out = scored(
      scoreVote(weighted("renormalize", { type: "trimmed-mean", trim: 1, minVoters: 3 }), [
        ...noMayor,
        ...members,
      ]).get("u1"),
    );
    // members 70 70 75 75 80 80 99: drop one 70 and 99 → (70 + 75 + 75 + 80 + 80) / 5 = 76
    expect(out.details?.dropped).toBe("member: highest 99 (n4), lowest 70 (c1)");
    expect(toExactString(out.value)).toBe("79");
  });
});
