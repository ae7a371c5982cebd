/** WhatIfRollupPart: what a what-if row's sub-units put into a part their roll-ups blend into, and its own rest. */
import type { RollupCount, RollupPart, RollupPartValues, UnitChange } from "@pingyi/engine";
import { builder } from "../builder.js";
import type { WhatIfSides } from "./whatif-standing.js";

const RollupTargetRef = builder.enumType("RollupTarget", {
  description: "What a roll-up blends its sub-units' results into: a category of the parent, or its total.",
  values: { CATEGORY: { value: "category" }, TOTAL: { value: "total" } } as const,
});

const WhatIfRollupValuesRef = builder.objectRef<RollupPartValues>("WhatIfRollupValues").implement({
  description:
    'One figure of a roll-up part on both sides, exact as a `DeltaPart`\'s (a fraction "n/d" when not a terminating decimal).',
  fields: (t) => ({
    baseline: t.exposeString("baseline", {
      nullable: true,
      description:
        "Null where no roll-up into the target applies to the unit in the baseline (a scheme version without it) or the target has no result there.",
    }),
    scenario: t.exposeString("scenario", {
      nullable: true,
      description:
        "The same in the scenario: null where it applies the roll-up to the unit no more (its `parents` leave the unit out, a version without it) or the target has no result.",
    }),
    delta: t.exposeString("delta", {
      nullable: true,
      description: "scenario − baseline; null when either is.",
    }),
  }),
});

const WhatIfRollupCountRef = builder.objectRef<RollupCount>("WhatIfRollupCount").implement({
  description:
    "How many sub-units one roll-up read for the unit on one side, and how many had no result, as the evaluation records them.",
  fields: (t) => ({
    rollupId: t.id({ description: "The roll-up's id in that side's scheme.", resolve: (c) => c.rollup }),
    subUnits: t.exposeInt("subUnits", {
      description:
        "How many sub-units (direct children) of the unit the roll-up read: all of them, those without a result for its source included (`withoutResult` of them).",
    }),
    withoutResult: t.exposeInt("withoutResult", {
      description:
        "Sub-units without a result for its source: left out, counted as 0, or leaving the target without a result, as its `missingSubUnit` says.",
    }),
  }),
});

const WhatIfRollupSubUnitsRef = builder.objectRef<RollupPart["subUnits"]>("WhatIfRollupSubUnits").implement({
  description:
    "Each side's roll-ups into the target that apply to the unit, with their sub-unit counts as the evaluation records them: none for a target without a result of its own, none after a roll-up that left it none.",
  fields: (t) => ({
    baseline: t.field({
      type: [WhatIfRollupCountRef],
      nullable: true,
      description:
        "As the evaluation records them: the roll-ups that read the sub-units, up to one that left the target without a result (a sub-unit without one under `missingSubUnit: insufficient`, which says why); empty where some apply but none read (a target without a result of its own). Null where none applies in the baseline.",
      resolve: (s) => s.baseline,
    }),
    scenario: t.field({
      type: [WhatIfRollupCountRef],
      nullable: true,
      description: "The same in the scenario.",
      resolve: (s) => s.scenario,
    }),
  }),
});

export const WhatIfRollupPartRef = builder.objectRef<RollupPart>("WhatIfRollupPart").implement({
  description:
    "A parent's part split by its roll-ups (下属单位评议结果按比例计入): what came from its sub-units and what is its own, on both sides. For a category, `own` + `fromSubUnits` is exactly the category's `parts` value on each side (`DeltaPart.baseline`, `.scenario`) where both are given; for the total, the unit's exact total, not its `total-rounding-and-floor` part in `parts` (which holds only the roll-ups' net effect and the rounding). The total is split by the roll-ups into the total only: what sub-units put into a category through a category roll-up is in that category's `fromSubUnits` and in the total's `own`.",
  fields: (t) => ({
    into: t.field({ type: RollupTargetRef, resolve: (p) => p.into }),
    category: t.id({
      nullable: true,
      description: "The category's id, as its `DeltaPart.part`; null for the total.",
      resolve: (p) => p.category,
    }),
    name: t.exposeString("name", {
      description:
        "The category's name in the scenario's scheme (the baseline's for a category only it has); \"total\" for the total.",
    }),
    rollupIds: t.idList({
      description: "The roll-ups into the target that apply to the unit on either side, in scheme order.",
      resolve: (p) => p.rollups,
    }),
    fromSubUnits: t.field({
      type: WhatIfRollupValuesRef,
      description:
        "What came from the sub-units: each roll-up's share × its sub-units' mean (or median) share of maximum × the target's maximum, times (1 − share) of each later roll-up into the same target, so chained roll-ups add up. The target's maximum is a category's points; for the total, the scheme's maximum (bonus cap included) where the sub-units' totals are read, and the categories' points summed where a category's share is rolled into it. 0 for a roll-up that kept the parent's value (no sub-unit with a result, a source worth 0 points).",
      resolve: (p) => p.fromSubUnits,
    }),
    own: t.field({
      type: WhatIfRollupValuesRef,
      description:
        "The rest: the target's value minus `fromSubUnits`, the parent's own result as the roll-ups kept it, with the category's (or total's) rounding. For the total it includes what sub-units put into the categories through category roll-ups: their whole weight in the total is the total's `fromSubUnits` plus each category's `fromSubUnits` × (1 − share) of every roll-up into the total that blended.",
      resolve: (p) => p.own,
    }),
    subUnits: t.field({ type: WhatIfRollupSubUnitsRef, resolve: (p) => p.subUnits }),
  }),
});

/** A row's roll-up parts, worked out by the engine for the rows asked for only, from standings it holds. */
export function rollupPartsOf(row: UnitChange, sides: WhatIfSides): RollupPart[] {
  const parts = sides.result.rollupParts(row.unit);
  // Every unit of a row is on both sides: the engine compares the same units.
  if (!parts) throw new Error(`unit ${row.unit} is missing from the what-if's standings`);
  return parts;
}
