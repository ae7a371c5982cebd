import type { Evaluation, UnitChange, UnitResult } from "@pingyi/engine";
import { builder } from "../builder.js";
import { counted, listConnection } from "./pages.js";
import { WhatIfRef, type WhatIfShape } from "./whatif.js";

export interface Movement {
  /** The engine's comparison row: its order, rank delta and total delta are the movement's. */
  change: UnitChange;
  before: UnitResult | null;
  after: UnitResult | null;
  causes: string[];
}

export interface ImpactShape {
  cycleId: string;
  /** The engine's comparison rows, in its order: a page's movements are built from them. */
  changes: readonly UnitChange[];
  /** A row's movement, its causes written when its page is asked for. */
  movement: (change: UnitChange) => Movement;
  /** The engine's comparison of the two evaluations: swaps, per-category splits, statistics. */
  analysis: WhatIfShape;
}

/** The engine's category points and grades side by side, where they differ. */
function causesOf(b: UnitResult | null, a: UnitResult | null): string[] {
  const causes: string[] = [];
  for (const ca of a?.categories ?? []) {
    const cb = b?.categories.find((c) => c.category === ca.category);
    if (cb?.points !== ca.points || cb?.maxPoints !== ca.maxPoints) {
      causes.push(
        `${ca.name}: ${cb?.points ?? "—"}/${cb?.maxPoints ?? "—"} → ${ca.points ?? "—"}/${ca.maxPoints}`,
      );
    }
  }
  for (const cb of b?.categories ?? []) {
    if (!a?.categories.some((c) => c.category === cb.category)) causes.push(`${cb.name}: removed`);
  }
  if (b?.grade?.id !== a?.grade?.id)
    causes.push(`grade: ${b?.grade?.name ?? "—"} → ${a?.grade?.name ?? "—"}`);
  return causes;
}

/**
 * The rows of the engine's comparison (`analysis.units`), in its order and with its deltas,
 * each beside the two evaluations' results of its unit. The causes are the engine's own
 * category points side by side; the arithmetic behind each lives in the two traces. A row's
 * causes compare every category of its unit: written for the page asked for, not for every
 * unit of a province.
 */
export function rankMovements(
  cycleId: string,
  before: Evaluation,
  after: Evaluation,
  analysis: WhatIfShape,
): ImpactShape {
  const prev = new Map(before.units.map((u) => [u.unit, u]));
  const next = new Map(after.units.map((u) => [u.unit, u]));
  const movement = (change: UnitChange): Movement => {
    const b = prev.get(change.unit) ?? null;
    const a = next.get(change.unit) ?? null;
    return { change, before: b, after: a, causes: causesOf(b, a) };
  };
  return { cycleId, changes: analysis.result.units, movement, analysis };
}

const Standing = builder.objectRef<UnitResult>("Standing").implement({
  fields: (t) => ({
    total: t.exposeString("total", { nullable: true }),
    rank: t.exposeInt("rank", { nullable: true }),
    grade: t.string({ nullable: true, resolve: (u) => u.grade?.name ?? null }),
  }),
});

const MovementRef = builder.objectRef<Movement>("RankMovement").implement({
  fields: (t) => ({
    unitId: t.id({ resolve: (m) => m.change.unit }),
    name: t.string({ resolve: (m) => m.change.name }),
    group: t.string({ resolve: (m) => m.change.scenario.group }),
    before: t.field({ type: Standing, nullable: true, resolve: (m) => m.before }),
    after: t.field({ type: Standing, nullable: true, resolve: (m) => m.after }),
    rankDelta: t.int({
      nullable: true,
      description:
        "Rank after − rank before: positive means the unit fell (as `WhatIfUnit.rankDelta`). Null when unranked on either side or moved between groups.",
      resolve: (m) => m.change.rankDelta,
    }),
    totalDelta: t.string({
      description:
        "Total after − total before, exact (as `WhatIfUnit.totalDelta`). Null when either is not scored.",
      nullable: true,
      resolve: (m) => m.change.totalDelta,
    }),
    causes: t.exposeStringList("causes", { description: "Why it moved, one line per changed input." }),
  }),
});

export const RankMovementsRef = builder.objectRef<ImpactShape>("RankMovements").implement({
  description: "Rank movements between a baseline and an alternative, largest first.",
  fields: (t) => ({
    analysis: t.field({
      type: WhatIfRef,
      description:
        "The engine's comparison of the cycle under its current scheme and under the candidate: every rank move, who overtook whom, each unit's change split by category, and rank statistics.",
      resolve: (m) => m.analysis,
    }),
    cycleId: t.exposeID("cycleId"),
    movements: t.connection(
      {
        type: MovementRef,
        nullable: true,
        description:
          "Every unit, as `analysis.units` lists them: largest rank change first, then largest total change, then unit id. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor is refused.",
        resolve: (i, args, _ctx, info) =>
          listConnection({ args, info, owner: i.analysis.owner }, i.changes, i.movement),
      },
      counted("Every unit, on every page together."),
    ),
  }),
});
