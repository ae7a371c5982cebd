/** WhatIfStanding: one side of a what-if row, with the exact total its rank came from and its reasons. */
import { type Baseline, ratio, type ScenarioResult, toExactString, type UnitChange } from "@pingyi/engine";
import { builder } from "../builder.js";
import { EligibilityRef } from "./results.js";

/** What a standing reads beyond its row: each side's exact standings and eligibility. */
export interface WhatIfSides {
  /** The baseline the scenario was compared with: its exact standings. */
  baseline: Baseline;
  /**
   * The scenario's exact standings are `result.standings`; both sides' eligibility with its
   * reasons is `result.eligibility`, which the engine words when first read.
   */
  result: ScenarioResult;
  /**
   * Called before the scenario side's reasons are read: the engine composes the scenario for
   * them once, which a what-if on the fast path has not done, so the caller prices it.
   */
  beforeScenarioReasons?: () => void;
}

type Standing = ScenarioResult["standings"][number];

/** One side of a unit's row. */
export interface StandingSide {
  unit: string;
  side: "baseline" | "scenario";
  snapshot: UnitChange["baseline"];
  sides: WhatIfSides;
}

/** A list of standings or results by unit id, built once per list (a province has 10,000). */
function indexOf<T>(cache: WeakMap<object, Map<string, T>>, list: readonly T[], id: (t: T) => string) {
  let index = cache.get(list);
  if (!index) {
    index = new Map(list.map((x) => [id(x), x]));
    cache.set(list, index);
  }
  return index;
}
const standingIndex = new WeakMap<object, Map<string, Standing>>();

function exactStanding(s: StandingSide): Standing | undefined {
  const standings = s.side === "baseline" ? s.sides.baseline.standings : s.sides.result.standings;
  return indexOf(standingIndex, standings, (x) => x.unit).get(s.unit);
}

/** A grade id's name in a scheme: one of its rules, or its fallback grade. */
function gradeNameOf(scheme: ScenarioResult["scheme"], id: string | null): string | null {
  if (id === null) return null;
  const { rules, fallback } = scheme.grades;
  return rules.find((r) => r.id === id)?.name ?? (fallback?.id === id ? fallback.name : null);
}

export const WhatIfStanding = builder.objectRef<StandingSide>("WhatIfStanding").implement({
  description:
    "A unit's official result on one side of a what-if, as published (exact decimals), with the exact total its rank was made from and the reasons behind its eligibility.",
  fields: (t) => ({
    group: t.id({ resolve: (s) => s.snapshot.group }),
    total: t.string({
      nullable: true,
      description:
        "The published total: shown to the scheme's decimals as its rounding mode says, even where the scheme (or the scenario, `rounding: { stages: [] }`) rounds no total — two units may then show one total and different ranks. The rank was made from `exactTotal`. Null when the unit is not scored.",
      resolve: (s) => s.snapshot.total,
    }),
    exactTotal: t.string({
      nullable: true,
      description:
        'The total the rank was made from, exact: a terminating decimal (no trailing zeros), or a fraction "n/d" when it does not terminate, as `totalDelta`. The same value as `total` where the total is rounded to the scheme\'s decimals; finer where it is not. Scenario `exactTotal` − baseline `exactTotal` = `totalDelta`. Null when the unit is not scored.',
      resolve: (s) => {
        const total = exactStanding(s)?.total ?? null;
        return total === null ? null : toExactString(ratio(total.n, total.d));
      },
    }),
    rank: t.int({ nullable: true, resolve: (s) => s.snapshot.rank }),
    rankedInGroup: t.int({ resolve: (s) => s.snapshot.rankedInGroup }),
    grade: t.string({
      nullable: true,
      description: "The grade rule's id.",
      resolve: (s) => s.snapshot.grade,
    }),
    gradeName: t.string({
      nullable: true,
      description:
        "The grade's name as this side's scheme names it (as `ranking` gives a grade's `name`); null for no grade.",
      resolve: (s) =>
        gradeNameOf(
          s.side === "baseline" ? s.sides.baseline.compiled.scheme : s.sides.result.scheme,
          s.snapshot.grade,
        ),
    }),
    eligibleForExcellence: t.boolean({ resolve: (s) => s.snapshot.eligibleForExcellence }),
    eligibleForAward: t.boolean({ resolve: (s) => s.snapshot.eligibleForAward }),
    eligibility: t.field({
      type: EligibilityRef,
      description:
        "Eligibility with its reasons, as `ranking` gives a unit's: a veto, last place, or not scored and why (`insufficient`: which category, and its method's reason, e.g. a quorum not met). The scenario side's reasons are worded by the engine as for a published evaluation of the scenario's rules and records, the first time a what-if is asked for them.",
      resolve: (s) => {
        if (s.side === "scenario") s.sides.beforeScenarioReasons?.();
        const eligibility = s.sides.result.eligibility[s.side](s.unit);
        // Every unit of a comparison is in both sides' evaluations: the engine compares the same units.
        if (!eligibility) throw new Error(`unit ${s.unit} is missing from the ${s.side}'s evaluation`);
        return eligibility;
      },
    }),
  }),
});
