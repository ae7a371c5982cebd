/** OneSidedUnit: a unit only one side of `compareCycles(units: COMMON)` holds, with its result there. */
import type { OneSidedUnit } from "@pingyi/engine";
import { builder } from "../builder.js";
import { type InCycle, unitField } from "./analysis-common.js";
import { type StandingSide, type WhatIfSides, WhatIfStanding } from "./whatif-standing.js";

/** A one-sided unit in its side's cycle, with what its standing reads there. */
export type OneSided = InCycle<OneSidedUnit> & { side: StandingSide["side"]; sides: WhatIfSides };

export const OneSidedUnitRef = builder.objectRef<OneSided>("OneSidedUnit").implement({
  description:
    "A unit only one side of a comparison holds (a bureau merged away, a department set up), with its result on the side that holds it.",
  fields: (t) => ({
    unitId: t.id({ resolve: (u) => u.item.unit }),
    name: t.string({ resolve: (u) => u.item.name }),
    unit: t.field({
      ...unitField<OneSidedUnit>((u) => u.unit),
      description: "The unit in the cycle of the side that holds it (`before`'s or `after`'s).",
    }),
    standing: t.field({
      type: WhatIfStanding,
      description:
        "Its result on the side that holds it, as that side published it (its rank among that side's units), as a `WhatIfUnit`'s `baseline` (`onlyBefore`) or `scenario` (`onlyAfter`).",
      resolve: (u): StandingSide => ({
        unit: u.item.unit,
        side: u.side,
        snapshot: u.item.standing,
        sides: u.sides,
      }),
    }),
  }),
});
