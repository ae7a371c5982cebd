import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, div, mul, ratio, ZERO } from "../../rational.js";
import { compileSurveyRules } from "./survey-rules.js";
import { meanPoints, scoreSurveyUnit } from "./survey-score.js";

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

describe("scoreSurveyUnit, group-weighted", () => {
  it("weighs in whole numbers exactly what the fraction path weighs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 9, maxLength: 9 }),
        (w, counts) => {
          const { rules } = compileSurveyRules({
            kind: "survey",
            options: { yes: 100, partly: 70, no: 30 },
            satisfiedOptions: ["yes", "partly"],
            respondentGroups: ["a", "b", "c"],
            weighting: {
              type: "group-weighted",
              // c's denominator is 10^10 for even w: past the whole-number path's 2^31, so
              // both paths add fractions there, and the rate is still checked.
              weights: {
                a: String(w[0]! / 100),
                b: String(w[1]! / 1000),
                c: w[2]! % 2 === 0 ? (w[2]! / 1e10).toFixed(10) : String(w[2]! / 8),
              },
              byUnitKind: {},
              missingGroup: "renormalize",
            },
            minValidForms: 1,
          });
          const cells = Float64Array.from(counts);
          const counted = { units: ["u"], groups: rules.groups, options: rules.options, cells };
          const whole = scoreSurveyUnit(rules, counted, { index: 0 });
          const fractions = scoreSurveyUnit({ ...rules, integerPoints: null }, counted, { index: 0 });
          // The satisfaction rate has no integer switch: check it against the definition.
          const used = whole.weighting!.groups.filter((g) => g.use === "weighted");
          fc.pre(whole.status === "scored" && used.length > 0);
          const share = (g: (typeof used)[number]) =>
            ratio(BigInt(g.tally.counts[0]! + g.tally.counts[1]!), BigInt(g.tally.valid));
          const weightSum = used.reduce((s, g) => add(s, g.weight), ZERO);
          const rate = div(
            used.reduce((s, g) => add(s, mul(g.weight, share(g))), ZERO),
            weightSum,
          );
          expect(whole).toEqual(fractions);
          expect(whole.status === "scored" && whole.satisfaction).toEqual(rate);
        },
      ),
    );
  });
});
