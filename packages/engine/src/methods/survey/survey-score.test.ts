import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSurveyRules } from "./survey-rules.js";
import { meanPoints } from "./survey-score.js";

describe("meanPoints", () => {
  it("sums in integers exactly what the fraction path sums", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(1, 10, 100, 4),
        (raw, counts, div) => {
          const options = Object.fromEntries(raw.map((p, i) => [`o${i}`, String(p / div)]));
          const { rules } = compileSurveyRules({
            kind: "survey",
            options,
            satisfiedOptions: [],
            respondentGroups: ["g"],
            weighting: { type: "pooled" },
            minValidForms: 1,
          });
          const c = counts.slice(0, raw.length);
          const valid = c.reduce((s, x) => s + x, 0);
          fc.pre(valid > 0);
          const tally = { counts: c, forms: valid, valid, excluded: 0 };
          expect(rules.integerPoints).not.toBeNull();
          expect(meanPoints(rules, tally)).toEqual(meanPoints({ ...rules, integerPoints: null }, tally));
        },
      ),
    );
  });
});
