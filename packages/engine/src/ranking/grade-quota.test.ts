import { describe, expect, it } from "vitest";
import type { GradeQuota } from "../scheme/scheme-schema.js";
import { fillQuota, quotaLimiter } from "./grade-quota.js";

const percent = (p: number | string, rounding?: GradeQuota["rounding"]): GradeQuota => ({
  percent: p,
  scope: "group",
  ...(rounding ? { rounding } : {}),
});

describe("quotaLimiter", () => {
  it("rounds a percent down by default: 20% of 7 is 1.4 → 1, 10% of 7 is 0.7 → 0, 30% of 29 is 8.7 → 8", () => {
    const places = quotaLimiter(percent(20));
    expect([places(7), quotaLimiter(percent(10))(7), quotaLimiter(percent(30))(29)]).toEqual([1, 0, 8]);
    expect(quotaLimiter(percent(10, "down"))(7)).toBe(0);
  });

  it("rounds half-up (四舍五入) when the scheme says so: 20% of 7 is 1.4 → 1, 30% of 5 is 1.5 → 2", () => {
    const halfUp = (p: number | string, n: number) => quotaLimiter(percent(p, "half-up"))(n);
    expect([halfUp(20, 7), halfUp(30, 5), halfUp(10, 7), halfUp(10, 4), halfUp(10, 5)]).toEqual([
      1, 2, 1, 0, 1,
    ]);
    // Exact on the percent: 12.5% of 12 is 1.5 exactly, and 0.1% of 500 is 0.5.
    expect([halfUp("12.5", 12), halfUp("0.1", 500), halfUp("0.1", 499)]).toEqual([2, 1, 0]);
  });

  it("rounds up when the scheme says so: 10% of 7 is 0.7 → 1, and a whole share stays as it is", () => {
    const up = (p: number | string, n: number) => quotaLimiter(percent(p, "up"))(n);
    expect([up(10, 7), up(20, 10), up(1, 1), up(0, 9), up(100, 9)]).toEqual([1, 2, 1, 0, 9]);
  });

  it("gives a count as written, whatever the population", () => {
    const places = quotaLimiter({ count: 3, scope: "group" });
    expect([places(0), places(2), places(100)]).toEqual([3, 3, 3]);
  });
});

describe("fillQuota", () => {
  // Units by standing, best first; equal numbers stand equal.
  const standings = [95, 90, 90, 90, 80, 70];
  const order = standings.map((_, i) => i);
  const fill = (quota: Partial<GradeQuota>, limit: number, admits = (_: number) => true) => {
    const taken: number[] = [];
    const left: [number, number][] = [];
    const end = fillQuota(
      { scope: "group", count: limit, ...quota },
      order,
      limit,
      admits,
      (a, b) => standings[a] === standings[b],
      (u) => taken.push(u),
      (u, places) => left.push([u, places]),
    );
    return { taken, left, end };
  };

  it("shares the boundary's tie past the limit by default, ending at the last unit taken", () => {
    expect(fill({}, 2)).toEqual({ taken: [0, 1, 2, 3], left: [], end: 3 });
    expect(fill({ ties: "share" }, 4)).toEqual({ taken: [0, 1, 2, 3], left: [], end: 3 });
  });

  it("leaves out a tied group that would pass the limit, ending at the group's last unit", () => {
    expect(fill({ ties: "exclude" }, 2)).toEqual({
      taken: [0],
      left: [
        [1, 1],
        [2, 1],
        [3, 1],
      ],
      end: 3,
    });
    // A group that fits goes in whole; so does the unit after it while places remain.
    expect(fill({ ties: "exclude" }, 5)).toEqual({ taken: [0, 1, 2, 3, 4], left: [], end: 4 });
    // No place at all leaves nothing out: there was no boundary to tie at.
    expect(fill({ ties: "exclude" }, 0)).toEqual({ taken: [], left: [], end: -1 });
  });

  it("counts only the units the rule admits in a tied group, and leaves them out from the bottom alike", () => {
    // Unit 2 is not admitted: the tie at 90 is two units, which fit two places after unit 0.
    expect(fill({ ties: "exclude" }, 3, (u) => u !== 2)).toEqual({ taken: [0, 1, 3], left: [], end: 3 });
    expect(fill({ ties: "exclude", from: "bottom" }, 3)).toEqual({
      taken: [5, 4],
      left: [
        [3, 1],
        [2, 1],
        [1, 1],
      ],
      end: 1,
    });
  });
});
