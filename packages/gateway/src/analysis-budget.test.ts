import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANALYSIS_WINDOW_MS, AnalysisBudget } from "./analysis-budget.js";
import { MIN_ANALYSIS_SECONDS } from "./config.js";
import { WORK_PER_REQUEST, WORK_PER_SECOND } from "./limits.js";

const PER_MINUTE = 1_000;

/** Charges of a few subjects, each at most the budget, at times that only go forward. */
const charges = fc.array(
  fc.record({
    subject: fc.constantFrom("ann", "bob", null),
    amount: fc.integer({ min: 1, max: PER_MINUTE }),
    after: fc.integer({ min: 0, max: 40_000 }),
  }),
  { maxLength: 60 },
);

/** Runs `charges` through a fresh budget: each with its time and whether it was taken. */
function run(list: { subject: string | null; amount: number; after: number }[]) {
  const budget = new AnalysisBudget(PER_MINUTE);
  let now = 1_000_000;
  const done = list.map((c) => {
    now += c.after;
    return { ...c, at: now, refusal: budget.take(c.subject, c.amount, now) };
  });
  return { budget, done };
}

describe("AnalysisBudget", () => {
  it("never lets a subject's charges in one minute add up to more than the budget", () => {
    fc.assert(
      fc.property(charges, (list) => {
        for (const subject of ["ann", "bob", null]) {
          // A minute starts with the first charge taken after the last minute ended.
          let start = Number.NEGATIVE_INFINITY;
          let spent = 0;
          for (const c of run(list).done.filter((c) => c.subject === subject && c.refusal === null)) {
            if (c.at - start >= ANALYSIS_WINDOW_MS) [start, spent] = [c.at, 0];
            spent += c.amount;
            expect(spent).toBeLessThanOrEqual(PER_MINUTE);
          }
        }
      }),
    );
  });

  it("refuses only what would not fit beside the subject's charges of the last minute", () => {
    fc.assert(
      fc.property(charges, (list) => {
        const { done } = run(list);
        for (const [i, c] of done.entries()) {
          if (c.refusal === null) continue;
          const recent = done
            .slice(0, i)
            .filter((d) => d.subject === c.subject && d.refusal === null && c.at - d.at < ANALYSIS_WINDOW_MS)
            .reduce((sum, d) => sum + d.amount, 0);
          expect(recent + c.amount).toBeGreaterThan(PER_MINUTE);
          expect(c.refusal.spent + c.amount).toBeGreaterThan(PER_MINUTE);
        }
      }),
    );
  });

  it("starts a subject's next minute clean when the seconds a refusal named are over", () => {
    fc.assert(
      fc.property(charges, fc.integer({ min: 1, max: PER_MINUTE }), (list, amount) => {
        const first = run(list).done.findIndex((c) => c.refusal !== null);
        if (first < 0) return;
        // The budget as the refusal left it, asked again when it said to.
        const { budget, done } = run(list.slice(0, first + 1));
        const refused = done[first]!;
        const { retryAfter } = refused.refusal!;
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(budget.take(refused.subject, amount, refused.at + retryAfter * 1000)).toBeNull();
        expect(
          budget.take(refused.subject, PER_MINUTE - amount + 1, refused.at + retryAfter * 1000),
        ).not.toBeNull();
      }),
    );
  });

  it("counts each subject on its own, callers without a token as one more", () => {
    const budget = new AnalysisBudget(PER_MINUTE);
    expect(budget.take("ann", PER_MINUTE, 0)).toBeNull();
    expect(budget.take("ann", 1, 10_000)).toEqual({ spent: PER_MINUTE, retryAfter: 50 });
    expect(budget.take("bob", PER_MINUTE, 10_000)).toBeNull();
    expect(budget.take(null, PER_MINUTE, 10_000)).toBeNull();
    expect(budget.take(null, 1, 10_000)).not.toBeNull();
    expect(budget.take("ann", PER_MINUTE, 60_000)).toBeNull();
  });

  it("charges nothing it refuses", () => {
    const budget = new AnalysisBudget(PER_MINUTE);
    expect(budget.take("ann", 600, 0)).toBeNull();
    expect(budget.take("ann", 500, 1)).not.toBeNull();
    expect(budget.take("ann", 400, 2)).toBeNull();
  });

  it("limits nothing at 0", () => {
    const budget = new AnalysisBudget(0);
    for (let i = 0; i < 100; i++) expect(budget.take("ann", WORK_PER_REQUEST, i)).toBeNull();
  });

  it("refuses with RATE_LIMITED, naming the setting, the analysis and when to retry", () => {
    const budget = new AnalysisBudget(2 * WORK_PER_SECOND);
    budget.charge("ann", { amount: 1.5 * WORK_PER_SECOND, what: "this sweep" }, 0);
    let refusal: unknown;
    try {
      budget.charge("ann", { amount: 0.8 * WORK_PER_SECOND, what: "this Monte-Carlo run" }, 20_500);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toMatchObject({
      message:
        "this token's subject has spent 1.5 s of the 2 s of estimated analysis work the gateway allows one subject a minute (PINGYI_ANALYSIS_SECONDS_PER_MINUTE), and this Monte-Carlo run is estimated at 0.8 s: retry in 40 s, or ask for less",
      extensions: { code: "RATE_LIMITED", retryAfter: 40, http: { headers: { "retry-after": "40" } } },
    });
    // What was refused was not charged: less still fits.
    expect(() =>
      budget.charge("ann", { amount: 0.4 * WORK_PER_SECOND, what: "a what-if" }, 21_000),
    ).not.toThrow();
  });

  it("holds one request's budget in the least minute the setting allows", () => {
    // Otherwise a request the budget allows would be refused in every minute, and retrying would never help.
    expect(MIN_ANALYSIS_SECONDS * WORK_PER_SECOND).toBeGreaterThanOrEqual(WORK_PER_REQUEST);
  });
});
