import { describe, expect, it } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { syntheticYear } from "./_test-synthetic.js";
import { bruteForce } from "./_test-weight-sweep.js";
import { createBaseline } from "./baseline.js";
import { weightSweep } from "./weight-sweep.js";

// Weight sweeps under the quota options a scheme chooses (how a percent rounds, what a tie at
// the boundary gets), against
// re-evaluation on either side of every breakpoint and at each of them.

/** The synthetic year's quotas over all ranked units rather than within each group. */
const overall = (s: SchemeInput): SchemeInput => ({
  ...s,
  grades: {
    ...s.grades!,
    rules: (s.grades!.rules ?? []).map((r) =>
      r.quota ? { ...r, quota: { ...r.quota, scope: "overall" } } : r,
    ),
  },
});

/** Only the excellent quota, over all ranked units: the sweep follows its boundary alone (quota-boundary.ts). */
const boundaryOnly = (s: SchemeInput): SchemeInput => {
  const o = overall(s);
  return {
    ...o,
    grades: { ...o.grades!, rules: (o.grades!.rules ?? []).filter((r) => r.id !== "poor") },
  };
};

/**
 * A synthetic year whose units tie in whole groups: the same survey answers everywhere and
 * direct scores on a grid of a few values, so that units stand equal along the range, not only
 * where they cross, and ties at a quota's boundary last.
 */
function bunched(options: Parameters<typeof syntheticYear>[3]) {
  const y = syntheticYear(48, 3, 41, options);
  const model = y.dataset.surveyTallies!.filter((t) => t.unit === y.dataset.units[0]!.id);
  y.dataset.surveyTallies = y.dataset.units.flatMap((u) => model.map((t) => ({ ...t, unit: u.id })));
  y.dataset.scores = y.dataset.scores!.map((s, k) => ({ ...s, value: 24 + ((k * 7919) % 4) }));
  y.dataset.findings = [];
  return y;
}

/** Units graded excellent somewhere on the sweep, by grade id. */
const excellentSomewhere = (sweep: ReturnType<typeof weightSweep>) =>
  sweep.units.filter((u) => u.segments.some((s) => s.grade === "excellent")).map((u) => u.unit);

describe("weightSweep", () => {
  it("gives each percent quota the places its rounding says, within groups and over all of them", () => {
    // Four groups of 15: 30% of 15 is 4.5 places, 4 rounded down and 5 half-up or up.
    const down = syntheticYear(60, 4, 9, { rollup: "total" });
    const halfUp = syntheticYear(60, 4, 9, { quotaRounding: "half-up", rollup: "total" });
    const { sweep, checked } = bruteForce(createBaseline(halfUp.scheme, halfUp.dataset), {
      category: "public",
    });
    expect(checked).toBeGreaterThan(100);
    const fewer = weightSweep(createBaseline(down.scheme, down.dataset), { category: "public" });
    expect(excellentSomewhere(sweep).length).toBeGreaterThan(excellentSomewhere(fewer).length);
    const up = syntheticYear(60, 4, 9, { quotaRounding: "up", rollup: "total" });
    expect(
      bruteForce(createBaseline(overall(up.scheme), up.dataset), { category: "organ", others: "rescale" })
        .checked,
    ).toBeGreaterThan(0);
    expect(
      bruteForce(createBaseline(boundaryOnly(up.scheme), up.dataset), { category: "public" }).checked,
    ).toBeGreaterThan(0);
  }, 120_000);

  it("gives none of a tie at a quota's boundary the grade where its ties are excluded, as re-evaluation does", () => {
    const shared = bunched({});
    const excluded = bunched({ quotaTies: "exclude" });
    let fewer = false;
    for (const shape of [(s: SchemeInput) => s, overall, boundaryOnly]) {
      const { sweep, checked } = bruteForce(createBaseline(shape(excluded.scheme), excluded.dataset), {
        category: "public",
      });
      expect(checked).toBeGreaterThan(100);
      const share = bruteForce(createBaseline(shape(shared.scheme), shared.dataset), { category: "public" });
      // Somewhere on the range a tie passes the limit: shared, its units are excellent; excluded, not.
      if (excellentSomewhere(sweep).length < excellentSomewhere(share.sweep).length) fewer = true;
      expect(
        bruteForce(createBaseline(shape(excluded.scheme), excluded.dataset), {
          category: "organ",
          others: "transfer",
          donor: "business",
        }).checked,
      ).toBeGreaterThan(0);
    }
    expect(fewer).toBe(true);
    // Where totals only meet at points, two units tie for a quota's last place there alone,
    // with no tie-breaker to part them: one point where the grade differs.
    const untied = (y: ReturnType<typeof syntheticYear>, shape: (s: SchemeInput) => SchemeInput) =>
      createBaseline(shape({ ...y.scheme, ranking: { ...y.scheme.ranking, tieBreakers: [] } }), y.dataset);
    const crossing = syntheticYear(60, 4, 9, { quotaTies: "exclude", rollup: "total" });
    const sharing = syntheticYear(60, 4, 9, { rollup: "total" });
    for (const shape of [(s: SchemeInput) => s, boundaryOnly]) {
      const { sweep } = bruteForce(untied(crossing, shape), { category: "public" });
      const share = weightSweep(untied(sharing, shape), { category: "public" });
      expect(sweep.units.map((u) => u.segments)).not.toEqual(share.units.map((u) => u.segments));
    }
  }, 120_000);
});
