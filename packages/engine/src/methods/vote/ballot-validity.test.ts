import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../rational.js";
import { findVoidVoters } from "./ballot-validity.js";

const rows = (voters: string) => voters.split("").map((voter) => ({ voter }));
const values = (xs: number[]) => xs.map((x) => parseDecimal(x));

describe("findVoidVoters", () => {
  it("voids a uniform ballot only when it covers two or more units", () => {
    const voided = findVoidVoters(rows("aabbc"), values([90, 90, 80, 85, 70]), { rejectUniform: true });
    expect([...voided]).toEqual([["a", "gave each of the 2 units it scored 90"]]);
  });

  it("compares values exactly, so 90 and 90.0 are the same score", () => {
    const voided = findVoidVoters(rows("aa"), [parseDecimal("90"), parseDecimal("90.0")], {
      rejectUniform: true,
    });
    expect(voided.has("a")).toBe(true);
  });

  it("voids more than `max` values at or above the threshold, not exactly `max`", () => {
    const validity = { rejectUniform: false, maxHighScores: { threshold: 90, max: 2 } };
    const voided = findVoidVoters(rows("aaabbb"), values([90, 95, 99, 90, 95, 89]), validity);
    expect([...voided]).toEqual([["a", "scored 3 units ≥ 90, more than the 2 allowed"]]);
  });

  it("voids nothing when no rule is on", () => {
    expect(findVoidVoters(rows("aa"), values([90, 90]), { rejectUniform: false }).size).toBe(0);
  });
});
