import type { BonusEvent, Dataset, Finding, SurveyTally, VetoEvent } from "../dataset/dataset.js";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { seededRandom } from "./seeded-random.js";

/** A generated year, shaped like the seed year but of any size, for measurements and properties. */
export interface SyntheticYear {
  scheme: SchemeInput;
  dataset: Dataset;
}

export interface SyntheticOptions {
  /**
   * Every fourth unit becomes a sub-unit of the unit before it, blended in by this roll-up:
   * its public evaluation into the parent's total ("total") or public evaluation ("category",
   * "median"), or its total into the parent's total ("totals").
   */
  rollup?: "total" | "category" | "median" | "totals";
  /** The roll-up's rule for a sub-unit without a result (left to the scheme's default when absent). */
  missingSubUnit?: "renormalize" | "zero" | "insufficient";
  /**
   * With a roll-up: families of a parent and three sub-units (units 4k+1 … 4k+3 under 4k)
   * instead of one sub-unit under the unit before it, and sub-units without a public
   * evaluation (no survey forms): the last of every other family, all three of every fifth.
   */
  subUnitsWithoutResult?: boolean;
  /** A 3-point bonus cap and city awards (1 or 2 points) for about one unit in ten. */
  bonuses?: boolean;
  /** How both quota rules round their percent (left to the scheme's default when absent). */
  quotaRounding?: "down" | "half-up" | "up";
  /** What both quota rules do with units tied at their boundary (the scheme's default when absent). */
  quotaTies?: "share" | "exclude";
  /**
   * Vetoes for this share of the units rather than one in a hundred, of a type that places them
   * last (直接定为末位) with `forceLast`: several in a group, all last. With `withoutResult`,
   * every other vetoed unit has no organ construction score, and so no total: placed last by a
   * veto, it is its group's last without a rank.
   */
  vetoes?: { share: number; forceLast?: boolean; withoutResult?: boolean };
}

/**
 * Builds a seed-shaped year of `units` units in `groups` groups: business work and organ
 * construction assessed directly, public evaluation from survey tallies, a few findings
 * and vetoes. Deterministic for a given seed. For benchmarks and tests, not for advice.
 */
export function syntheticYear(
  units: number,
  groups: number,
  seed = 1,
  options: SyntheticOptions = {},
): SyntheticYear {
  const rnd = seededRandom(seed);
  const quotaOptions = {
    ...(options.quotaRounding ? { rounding: options.quotaRounding } : {}),
    ...(options.quotaTies ? { ties: options.quotaTies } : {}),
  };
  const groupIds = Array.from({ length: groups }, (_, g) => `G${String(g + 1).padStart(2, "0")}`);
  const scheme: SchemeInput = {
    id: "synthetic",
    version: 1,
    name: "synthetic province-scale scheme",
    categories: [
      { id: "business", name: "business work", points: 30, method: { kind: "direct" } },
      { id: "organ", name: "organ construction", points: 30, method: { kind: "direct" } },
      {
        id: "public",
        name: "public evaluation",
        points: 40,
        method: {
          kind: "survey",
          options: { satisfied: 100, "basically-satisfied": 70, dissatisfied: 30, "dont-know": null },
          satisfiedOptions: ["satisfied", "basically-satisfied"],
          respondentGroups: ["service-recipients", "residents"],
          minValidForms: 10,
        },
      },
    ],
    findingTypes: [
      {
        id: "visit",
        name: "unannounced visit",
        category: "business",
        levels: { city: { perFinding: 0.3, notRectified: 1, repeated: 2 } },
        cap: 10,
      },
    ],
    vetoTypes: [
      {
        id: "incident",
        name: "major incident",
        ineligibleForAward: true,
        ...(options.vetoes?.forceLast ? { forceLast: true } : {}),
      },
    ],
    groups: groupIds.map((id) => ({ id, name: `group ${id}`, ranked: true })),
    ranking: { tieBreakers: [{ category: "public" }], lastLosesAward: true },
    grades: {
      rules: [
        {
          id: "excellent",
          name: "excellent",
          quota: { percent: 30, scope: "group", ...quotaOptions },
          requiresExcellenceEligibility: true,
        },
        // The last 30% of each group's units below 70 (before "pass" can take them).
        {
          id: "poor",
          name: "poor",
          belowTotal: 70,
          quota: { percent: 30, scope: "group", from: "bottom", of: "admitted", ...quotaOptions },
        },
        { id: "good", name: "good", minTotal: 75 },
        { id: "pass", name: "pass", minTotal: 60 },
      ],
      fallback: { id: "fail", name: "fail" },
    },
    rounding: { decimals: 2, mode: "half-up", stages: ["category", "total"] },
  };
  if (options.rollup)
    scheme.rollups = [
      {
        id: "sub-units",
        source: options.rollup === "totals" ? { total: true } : { category: "public" },
        aggregation: options.rollup === "median" ? "median" : "mean",
        share: 0.1,
        into:
          options.rollup === "total" || options.rollup === "totals"
            ? { total: true }
            : { category: "public" },
        ...(options.missingSubUnit ? { missingSubUnit: options.missingSubUnit } : {}),
      },
    ];
  const families = options.rollup !== undefined && options.subUnitsWithoutResult === true;
  const unitRows: { id: string; name: string; group: string; parent: string | undefined }[] = [];
  const scores = [];
  const tallies: SurveyTally[] = [];
  const findings: Finding[] = [];
  const vetoEvents: VetoEvent[] = [];
  const bonusEvents: BonusEvent[] = [];
  if (options.bonuses) {
    scheme.bonusCap = 3;
    scheme.bonusTypes = [{ id: "award", name: "award", levels: { city: 1, province: 2 } }];
  }
  const cents = (lo: number, hi: number) =>
    (Math.round((lo + rnd.next() * (hi - lo)) * 100) / 100).toFixed(2);
  for (let i = 0; i < units; i++) {
    const id = `U${String(i + 1).padStart(5, "0")}`;
    const family = Math.floor(i / 4);
    const parent = families
      ? i % 4 === 0
        ? undefined
        : unitRows[i - (i % 4)]!.id
      : options.rollup && i % 4 === 3
        ? unitRows[i - 1]!.id
        : undefined;
    const noPublic = families && i % 4 !== 0 && (family % 5 === 4 || (family % 2 === 1 && i % 4 === 3));
    unitRows.push({ id, name: `unit ${i + 1}`, group: groupIds[i % groups]!, parent });
    scores.push({ unit: id, category: "business", value: cents(20, 30) });
    scores.push({ unit: id, category: "organ", value: cents(18, 30) });
    for (const respondentGroup of ["service-recipients", "residents"]) {
      const answers = {
        satisfied: 20 + Math.floor(rnd.next() * 60),
        "basically-satisfied": Math.floor(rnd.next() * 30),
        dissatisfied: Math.floor(rnd.next() * 12),
        "dont-know": Math.floor(rnd.next() * 5),
      };
      for (const [answer, count] of Object.entries(answers))
        if (count > 0 && !noPublic)
          tallies.push({ category: "public", unit: id, respondentGroup, answer, count });
    }
    const nFindings = rnd.next() < 0.3 ? 1 + Math.floor(rnd.next() * 3) : 0;
    for (let f = 0; f < nFindings; f++) {
      const r = rnd.next();
      findings.push({
        id: `${id}-F${f}`,
        unit: id,
        type: "visit",
        level: "city",
        rectification: r < 0.2 ? "not-rectified" : "on-time",
        repeated: r > 0.95,
      });
    }
    if (options.bonuses && rnd.next() < 0.1)
      bonusEvents.push({
        id: `${id}-B`,
        unit: id,
        type: "award",
        level: rnd.next() < 0.5 ? "city" : "province",
      });
    if (rnd.next() < (options.vetoes?.share ?? 0.01))
      vetoEvents.push({ id: `${id}-V`, unit: id, type: "incident", reason: "synthetic incident" });
  }
  // Dropped after every draw: the other units' numbers stay those of the same seed without it.
  const unscored = new Set(
    options.vetoes?.withoutResult ? vetoEvents.filter((_, k) => k % 2 === 0).map((v) => v.unit) : [],
  );
  const kept = scores.filter((s) => !(s.category === "organ" && unscored.has(s.unit)));
  const dataset: Dataset = { units: unitRows, scores: kept, surveyTallies: tallies, findings, vetoEvents };
  if (options.bonuses) dataset.bonusEvents = bonusEvents;
  return { scheme, dataset };
}
