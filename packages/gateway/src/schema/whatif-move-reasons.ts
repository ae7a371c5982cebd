/** WhatIfMoveReason: why a what-if row's grade or rank moved where its parts and swaps may not say. */
import type { MoveReason, UnitChange } from "@pingyi/engine";
import { builder } from "../builder.js";
import type { WhatIfSides } from "./whatif-standing.js";

export const WhatIfMoveReasonRef = builder.objectRef<MoveReason>("WhatIfMoveReason").implement({
  description:
    "Why a unit's grade or rank moved beyond its own total (`parts`) and overtakes (`swaps`), worded by the engine as a published evaluation words its notes.",
  fields: (t) => ({
    kind: t.exposeString("kind", {
      description:
        "total (a side where the unit has no total, so no rank or grade: the categories without points there, and that its eligibility on that side says why) | grade (the scenario's grade note) | quota (a quota that can decide the unit's grade whose places in its scope changed, with both sizes; none in a group not ranked) | left (units of its group ranked in the baseline only) | joined (units of its group ranked in the scenario only)",
    }),
    text: t.exposeString("text"),
    unitIds: t.idList({
      description:
        "The units the text names, at most three, those above the unit first; empty for total, grade and quota.",
      resolve: (m) => m.units,
    }),
  }),
});

/**
 * A row's reasons, worked out by the engine for the rows asked for only: no evaluation is composed
 * for them (a grade's note grades the scenario's standings again, once), so nothing more is priced.
 */
export function moveReasonsOf(row: UnitChange, sides: WhatIfSides): MoveReason[] {
  const reasons = sides.result.moveReasons(row.unit);
  // Every unit of a row is on both sides: the engine compares the same units.
  if (!reasons) throw new Error(`unit ${row.unit} is missing from the what-if's standings`);
  return reasons;
}
