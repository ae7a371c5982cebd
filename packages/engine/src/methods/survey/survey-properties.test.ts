import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SurveyForm, SurveyTally, Unit } from "../../dataset/dataset.js";
import { cmp, parseDecimal } from "../../rational.js";
import { CATEGORY, type SurveyInput, scoreSurvey } from "./_test-survey.js";

const UNITS: Unit[] = [
  { id: "u0", name: "u0", group: "g" },
  { id: "u1", name: "u1", group: "g", kind: "enforcement" },
  { id: "u2", name: "u2", group: "g" },
];
const GROUPS = ["g0", "g1", "g2"];

// Option points with up to two decimals; null marks a "don't know" option.
const pointsArb = fc.integer({ min: 0, max: 10_000 }).map((n) => String(n / 100));
const weightsArb = fc
  .array(fc.integer({ min: 0, max: 5 }), { minLength: 3, maxLength: 3 })
  .filter((ws) => ws.some((w) => w > 0))
  .map((ws) => Object.fromEntries(ws.map((w, g) => [GROUPS[g]!, w / 2])));

const schemeArb = (weighting: "pooled" | "any"): fc.Arbitrary<SurveyInput> =>
  fc
    .record({
      points: fc
        .array(fc.option(pointsArb, { nil: null, freq: 4 }), { minLength: 1, maxLength: 5 })
        .filter((ps) => ps.some((p) => p !== null && p !== "0")),
      satisfied: fc.nat(4),
      weighted: weighting === "pooled" ? fc.constant(false) : fc.boolean(),
      weights: weightsArb,
      byKind: weightsArb,
      missingGroup: fc.constantFrom("insufficient" as const, "renormalize" as const),
      minValidForms: fc.integer({ min: 1, max: 4 }),
    })
    .map((s): SurveyInput => {
      const options = Object.fromEntries(s.points.map((p, o) => [`o${o}`, p]));
      const scoredNames = Object.keys(options).filter((o) => options[o] !== null);
      return {
        options,
        satisfiedOptions: scoredNames.slice(0, s.satisfied % (scoredNames.length + 1)),
        respondentGroups: GROUPS,
        minValidForms: s.minValidForms,
        weighting: s.weighted
          ? {
              type: "group-weighted",
              weights: s.weights,
              byUnitKind: { enforcement: s.byKind },
              missingGroup: s.missingGroup,
            }
          : { type: "pooled" },
      };
    });

const rowsArb = fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.nat(4)), { maxLength: 80 });

function toForms(scheme: SurveyInput, rows: readonly [number, number, number][]): SurveyForm[] {
  const options = Object.keys(scheme.options);
  return rows.map(([u, g, o]) => ({
    category: CATEGORY,
    unit: UNITS[u]!.id,
    respondentGroup: GROUPS[g]!,
    answer: options[o % options.length]!,
  }));
}

/** An independent GROUP BY, so the property does not test the counter against itself. */
function groupBy(forms: readonly SurveyForm[]): SurveyTally[] {
  const counts = new Map<string, SurveyTally>();
  for (const f of forms) {
    const key = JSON.stringify([f.unit, f.respondentGroup, f.answer]);
    const t = counts.get(key);
    if (t) t.count++;
    else counts.set(key, { ...f, count: 1 });
  }
  return [...counts.values()];
}

// zod's input type widens decimals to unknown; the arbitraries only make strings and nulls.
const optionsOf = (scheme: SurveyInput) => scheme.options as Record<string, string | null>;

const score = (scheme: SurveyInput, records: { forms?: SurveyForm[]; tallies?: SurveyTally[] }) =>
  scoreSurvey(scheme, records, UNITS);

describe("survey properties", () => {
  it("raw forms and the equivalent tallies give identical results, also mixed", () => {
    fc.assert(
      fc.property(schemeArb("any"), rowsArb, fc.nat(), (scheme, rows, cut) => {
        const forms = toForms(scheme, rows);
        const expected = score(scheme, { forms });
        expect(score(scheme, { tallies: groupBy(forms) })).toEqual(expected);
        const at = forms.length === 0 ? 0 : cut % forms.length;
        expect(score(scheme, { forms: forms.slice(0, at), tallies: groupBy(forms.slice(at)) })).toEqual(
          expected,
        );
      }),
    );
  });

  it("row order never changes results", () => {
    fc.assert(
      fc.property(
        schemeArb("any"),
        rowsArb.chain((rows) =>
          fc.tuple(
            fc.constant(rows),
            fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
          ),
        ),
        (scheme, [rows, shuffled]) => {
          const forms = toForms(scheme, rows);
          const again = toForms(scheme, shuffled);
          expect(score(scheme, { forms: again })).toEqual(score(scheme, { forms }));
          expect(score(scheme, { tallies: groupBy(again).reverse() })).toEqual(
            score(scheme, { tallies: groupBy(forms) }),
          );
        },
      ),
    );
  });

  it("a score lies within the lowest and highest option points", () => {
    fc.assert(
      fc.property(schemeArb("any"), rowsArb, (scheme, rows) => {
        const points = Object.values(optionsOf(scheme))
          .filter((p) => p !== null)
          .map((p) => parseDecimal(p));
        const lowest = points.reduce((a, b) => (cmp(a, b) <= 0 ? a : b));
        const highest = points.reduce((a, b) => (cmp(a, b) >= 0 ? a : b));
        for (const outcome of score(scheme, { forms: toForms(scheme, rows) }).values()) {
          if (outcome.status !== "scored") continue;
          expect(cmp(outcome.value, lowest)).toBeGreaterThanOrEqual(0);
          expect(cmp(outcome.value, highest)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it("adding one form with the top option never lowers a pooled score", () => {
    fc.assert(
      fc.property(schemeArb("pooled"), rowsArb, fc.nat(2), fc.nat(2), (scheme, rows, u, g) => {
        const forms = toForms(scheme, rows);
        const points = optionsOf(scheme);
        const top = Object.keys(points).reduce((best, o) => {
          const p = points[o];
          const b = points[best];
          return b === null || (p !== null && cmp(parseDecimal(p!), parseDecimal(b!)) > 0) ? o : best;
        });
        const extra: SurveyForm = {
          category: CATEGORY,
          unit: UNITS[u]!.id,
          respondentGroup: GROUPS[g]!,
          answer: top,
        };
        const before = score(scheme, { forms }).get(UNITS[u]!.id)!;
        const after = score(scheme, { forms: [...forms, extra] }).get(UNITS[u]!.id)!;
        if (before.status === "scored") {
          expect(after.status).toBe("scored");
          if (after.status === "scored") expect(cmp(after.value, before.value)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("splitting a tally into two tallies changes nothing", () => {
    fc.assert(
      fc.property(schemeArb("any"), rowsArb, fc.nat(), fc.nat(), (scheme, rows, which, share) => {
        const tallies = groupBy(toForms(scheme, rows));
        fc.pre(tallies.length > 0);
        const i = which % tallies.length;
        const t = tallies[i]!;
        const first = share % (t.count + 1);
        const split = [
          ...tallies.slice(0, i),
          { ...t, count: first },
          { ...t, count: t.count - first },
          ...tallies.slice(i + 1),
        ];
        expect(score(scheme, { tallies: split })).toEqual(score(scheme, { tallies }));
      }),
    );
  });
});
