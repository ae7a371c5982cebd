import { describe, expect, it } from "vitest";
import type { Ballot } from "../../dataset/dataset.js";
import { toExactString } from "../../rational.js";
import { CATEGORY, scoreBallots, scored, scoreVote, traceText, type VoteInput } from "./_test-vote.js";

const grades: VoteInput = { ballot: { type: "grade", points: { 好: 100, 较好: 85, 一般: 70, 差: 50 } } };
const gradeBallot = (voter: string, grade: string, unit = "u1"): Ballot => ({
  category: CATEGORY,
  voter,
  unit,
  grade,
});

describe("vote method: grade ballots", () => {
  it("maps grades through the points table, on the highest grade's scale", () => {
    const ballots = [
      gradeBallot("v1", "好"),
      gradeBallot("v2", "较好"),
      gradeBallot("v3", "较好"),
      gradeBallot("v4", "一般"),
    ];
    const out = scored(scoreVote(grades, ballots).get("u1"));
    expect(toExactString(out.value)).toBe("85");
    expect(toExactString(out.scale)).toBe("100");
    expect(traceText(out)).toContain("grade points: 好 = 100 ×1, 较好 = 85 ×2, 一般 = 70 ×1");
    expect(traceText(out)).toContain("mean of 4: (100 + 85 + 85 + 70) / 4 = 85");
  });

  it("uses an explicit scale max when given", () => {
    const input: VoteInput = { ballot: { type: "grade", points: { A: 10, B: 8 }, max: 12 } };
    const out = scored(scoreVote(input, [gradeBallot("v1", "A"), gradeBallot("v2", "B")]).get("u1"));
    expect(toExactString(out.value)).toBe("9");
    expect(toExactString(out.scale)).toBe("12");
  });
});

describe("vote method: quorum", () => {
  it("reports a unit below quorum as insufficient, never a number", () => {
    const out = scoreVote({ quorum: 5 }, scoreBallots("u1", [80, 85, 90, 95])).get("u1");
    expect(out).toMatchObject({ status: "insufficient", reason: "4 valid ballots, quorum is 5" });
  });

  it("scores a unit exactly at quorum", () => {
    const out = scored(scoreVote({ quorum: 4 }, scoreBallots("u1", [80, 85, 90, 95])).get("u1"));
    expect(toExactString(out.value)).toBe("87.5");
    expect(out.details).toEqual({ ballots: "4", valid: "4", void: "0" });
  });

  it("counts only valid ballots toward quorum", () => {
    const ballots = [
      ...scoreBallots("u1", [80, 85, 90, 95]),
      ...scoreBallots("u2", [81, 86, 91, 96]),
      { category: CATEGORY, voter: "lazy", unit: "u1", score: 90 },
      { category: CATEGORY, voter: "lazy", unit: "u2", score: 90 },
    ];
    const out = scoreVote({ quorum: 5, validity: { rejectUniform: true } }, ballots).get("u1");
    expect(out).toMatchObject({ status: "insufficient", reason: "4 valid ballots, quorum is 5" });
    expect(traceText(out)).toContain("void ballots: lazy (gave each of the 2 units it scored 90)");
  });
});

describe("vote method: ballot validity", () => {
  // v1 scores every unit 90; v2 varies; v3 scores one unit only.
  const ballots: Ballot[] = [
    { category: CATEGORY, voter: "v1", unit: "u1", score: 90 },
    { category: CATEGORY, voter: "v1", unit: "u2", score: 90 },
    { category: CATEGORY, voter: "v1", unit: "u3", score: 90 },
    { category: CATEGORY, voter: "v2", unit: "u1", score: 70 },
    { category: CATEGORY, voter: "v2", unit: "u2", score: 80 },
    { category: CATEGORY, voter: "v2", unit: "u3", score: 95 },
    { category: CATEGORY, voter: "v3", unit: "u1", score: 60 },
  ];

  it("voids a voter who gave every unit the same score, and shows it on each unit", () => {
    const out = scoreVote({ validity: { rejectUniform: true } }, ballots);
    const u1 = scored(out.get("u1"));
    expect(toExactString(u1.value)).toBe("65");
    expect(u1.details).toEqual({ ballots: "3", valid: "2", void: "1" });
    expect(traceText(u1)).toContain("ballots: 3 ballots: 2 valid, 1 void; quorum 1");
    expect(traceText(u1)).toContain("void ballots: v1 (gave each of the 3 units it scored 90)");
    // One unit scored is not "every unit the same".
    expect(traceText(out.get("u2"))).not.toContain("v3");
  });

  it("keeps uniform ballots when the rule is off", () => {
    expect(toExactString(scored(scoreVote({}, ballots).get("u1")).value)).toBe("220/3");
  });

  it("voids a voter who gave more than `max` units a score at or above the threshold", () => {
    const input: VoteInput = { validity: { maxHighScores: { threshold: 90, max: 1 } } };
    const out = scoreVote(input, ballots);
    // v1: 3 units ≥ 90 → void. v2: one (95) → allowed.
    const u1 = scored(out.get("u1"));
    expect(toExactString(u1.value)).toBe("65");
    expect(traceText(u1)).toContain("v1 (scored 3 units ≥ 90, more than the 1 allowed)");
    const allowTwo: VoteInput = { validity: { maxHighScores: { threshold: 90, max: 3 } } };
    expect(scored(scoreVote(allowTwo, ballots).get("u1")).details?.void).toBe("0");
  });

  it("applies the threshold to grade points", () => {
    const input: VoteInput = { ...grades, validity: { maxHighScores: { threshold: 100, max: 1 } } };
    const out = scoreVote(input, [
      gradeBallot("v1", "好", "u1"),
      gradeBallot("v1", "好", "u2"),
      gradeBallot("v2", "好", "u1"),
      gradeBallot("v2", "差", "u2"),
    ]);
    expect(toExactString(scored(out.get("u1")).value)).toBe("100");
    expect(toExactString(scored(out.get("u2")).value)).toBe("50");
    expect(scored(out.get("u2")).details).toEqual({ ballots: "2", valid: "1", void: "1" });
  });

  it("shows a uniform grade ballot's grade as the voter wrote it, not its points", () => {
    const input: VoteInput = { ...grades, validity: { rejectUniform: true } };
    const out = scoreVote(input, [
      gradeBallot("v1", "好", "u1"),
      gradeBallot("v1", "好", "u2"),
      gradeBallot("v2", "好", "u1"),
      gradeBallot("v2", "差", "u2"),
    ]);
    expect(traceText(out.get("u1"))).toContain("void ballots: v1 (gave each of the 2 units it scored 好)");
  });

  it("names both reasons when both rules void a voter", () => {
    const input: VoteInput = { validity: { rejectUniform: true, maxHighScores: { threshold: 90, max: 2 } } };
    expect(traceText(scoreVote(input, ballots).get("u1"))).toContain(
      "v1 (gave each of the 3 units it scored 90; scored 3 units ≥ 90, more than the 2 allowed)",
    );
  });

  it("says why a secret vote's ballot is void, not whose it is", () => {
    const input: VoteInput = { secret: true, validity: { rejectUniform: true } };
    const text = traceText(scoreVote(input, ballots).get("u1"));
    expect(text).toContain("void ballots: a ballot that gave each of the 3 units it scored 90");
    expect(text).toContain("quorum 1; secret vote: no voter is named");
    expect(text).not.toContain("v1");
  });

  it("makes a unit insufficient when all its ballots are void", () => {
    const only: Ballot[] = [
      { category: CATEGORY, voter: "v1", unit: "u1", score: 90 },
      { category: CATEGORY, voter: "v1", unit: "u2", score: 90 },
    ];
    const out = scoreVote({ validity: { rejectUniform: true } }, only).get("u1");
    expect(out).toMatchObject({ status: "insufficient", reason: "0 valid ballots, quorum is 1" });
  });
});

describe("vote method: details and traces", () => {
  it("reports dropped ballots in details", () => {
    const out = scored(
      scoreVote(
        { aggregation: { type: "trimmed-mean", minVoters: 7 } },
        scoreBallots("u1", [85, 88, 98, 60, 90, 91, 92, 93, 89]),
      ).get("u1"),
    );
    expect(out.details).toEqual({
      ballots: "9",
      valid: "9",
      void: "0",
      dropped: "highest 98 (v3), lowest 60 (v4)",
    });
    expect(traceText(out)).toContain("result: 628/7 (≈ 89.71) of 100");
  });

  it("gives a secret vote's dropped ballots by value alone, by role too", () => {
    const scores = [85, 88, 98, 60, 90, 91, 92, 93, 89];
    const trimmed = { type: "trimmed-mean", minVoters: 7 } as const;
    const plain = scored(
      scoreVote({ secret: true, aggregation: trimmed }, scoreBallots("u1", scores)).get("u1"),
    );
    expect(plain.details?.dropped).toBe("highest 98, lowest 60");
    expect(traceText(plain)).toContain("dropped highest 98 and lowest 60: ");
    const byRole = scored(
      scoreVote(
        { secret: true, aggregation: { type: "role-weighted", roles: { member: 1 }, within: trimmed } },
        scoreBallots("u1", scores, "member"),
      ).get("u1"),
    );
    expect(byRole.details?.dropped).toBe("member: highest 98, lowest 60");
    expect(traceText(byRole)).not.toMatch(/\bv\d/);
  });

  it("ignores ballots of other categories", () => {
    const ballots = [...scoreBallots("u1", [80]), { category: "other", voter: "x", unit: "u1", score: 10 }];
    expect(toExactString(scored(scoreVote({}, ballots).get("u1")).value)).toBe("80");
  });

  it("keeps traces short with many voters", () => {
    const scores = Array.from({ length: 200 }, (_, i) => 50 + (i % 51));
    const out = scored(scoreVote({ aggregation: { type: "median" } }, scoreBallots("u1", scores)).get("u1"));
    expect(traceText(out).length).toBeLessThan(400);
  });
});
