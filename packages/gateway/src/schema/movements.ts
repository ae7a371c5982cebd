import { type Evaluation, parseDecimal, sub, toExactString, type UnitResult } from "@pingyi/engine";
import { builder } from "../builder.js";
import { WhatIfRef, type WhatIfShape } from "./whatif.js";

export interface Movement {
  unitId: string;
  name: string;
  group: string;
  before: UnitResult | null;
  after: UnitResult | null;
  causes: string[];
}

export interface ImpactShape {
  cycleId: string;
  movements: Movement[];
  /** The engine's comparison of the two evaluations: swaps, per-category splits, statistics. */
  analysis: WhatIfShape;
}

/**
 * Lines up two engine evaluations of the same units. The causes are the engine's own category
 * points side by side; the arithmetic behind each lives in the two traces.
 */
export function rankMovements(
  cycleId: string,
  before: Evaluation,
  after: Evaluation,
  analysis: WhatIfShape,
): ImpactShape {
  const next = new Map(after.units.map((u) => [u.unit, u]));
  const ids = [...new Set([...before.units.map((u) => u.unit), ...after.units.map((u) => u.unit)])];
  const prev = new Map(before.units.map((u) => [u.unit, u]));
  const movements = ids.map((id) => {
    const b = prev.get(id) ?? null;
    const a = next.get(id) ?? null;
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
    return { unitId: id, name: (a ?? b)!.name, group: (a ?? b)!.group, before: b, after: a, causes };
  });
  const shift = (m: Movement) => Math.abs((m.before?.rank ?? 0) - (m.after?.rank ?? 0));
  movements.sort((x, y) => shift(y) - shift(x) || (x.unitId < y.unitId ? -1 : 1));
  return { cycleId, movements, analysis };
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
    unitId: t.exposeID("unitId"),
    name: t.exposeString("name"),
    group: t.exposeString("group"),
    before: t.field({ type: Standing, nullable: true, resolve: (m) => m.before }),
    after: t.field({ type: Standing, nullable: true, resolve: (m) => m.after }),
    rankDelta: t.int({
      nullable: true,
      description:
        "Rank after − rank before: positive means the unit fell (as `WhatIfUnit.rankDelta`). Null when unranked on either side.",
      resolve: (m) => (m.before?.rank != null && m.after?.rank != null ? m.after.rank - m.before.rank : null),
    }),
    totalDelta: t.string({
      description: "Total after − total before, exact. Null when either is not scored.",
      nullable: true,
      resolve: (m) =>
        m.before?.total != null && m.after?.total != null
          ? toExactString(sub(parseDecimal(m.after.total), parseDecimal(m.before.total)))
          : null,
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
    movements: t.field({ type: [MovementRef], resolve: (i) => i.movements }),
  }),
});
