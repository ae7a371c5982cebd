import type {
  Baseline,
  compareBaselines,
  Evaluation,
  ScenarioResult,
  UnitChange,
  UnitResult,
} from "@pingyi/engine";
import { builder } from "../builder.js";
import { ValidationError } from "../store/index.js";
import { counted, type ListInfo, type ListOwner, listConnection, type PageArgs } from "./pages.js";
import { WhatIfRef, type WhatIfShape } from "./whatif.js";

export interface Movement {
  unitId: string;
  name: string;
  /** The candidate's group: the one its rank after is in. */
  group: string;
  before: UnitResult | null;
  after: UnitResult | null;
  rankDelta: number | null;
  totalDelta: string | null;
  causes: string[];
}

export interface ImpactShape {
  cycleId: string;
  /**
   * A page of the movements, each made (its causes written) for the page asked for; its cursors
   * name the candidate and the data it was scored on.
   */
  movements: (page: {
    args: PageArgs;
    info: ListInfo;
  }) => ReturnType<typeof listConnection<unknown, Movement>>;
  /** The engine's comparison of the two evaluations; null when there is no before. */
  analysis: WhatIfShape | null;
  /** Why there is no before: the error the cycle's ranking answers with; null when it scores. */
  noBefore: ValidationError | null;
}

/**
 * The engine's comparison of two baselines as a what-if's result, `after` its scenario side:
 * a whole evaluation of its own, so every category was read and the pipeline composed it.
 */
export function comparedAsScenario(
  comparison: ReturnType<typeof compareBaselines>,
  after: Baseline,
  scenario: ScenarioResult["scenario"],
): ScenarioResult {
  const scheme = after.compiled.scheme;
  return {
    ...comparison,
    scheme,
    scenario,
    recomputedCategories: scheme.categories.map((c) => c.id),
    stageTwo: "compose",
    outcomes: after.outcomes,
    standings: [...after.standings],
  };
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
    return {
      unitId: change.unit,
      name: change.name,
      group: change.scenario.group,
      before: b,
      after: a,
      rankDelta: change.rankDelta,
      totalDelta: change.totalDelta,
      causes: causesOf(b, a),
    };
  };
  return {
    cycleId,
    movements: (page) => listConnection({ ...page, owner: analysis.owner }, analysis.result.units, movement),
    analysis,
    noBefore: null,
  };
}

/**
 * The candidate's standings alone, for a cycle its current version cannot score (`noBefore`
 * says why): with nothing to compare with, no unit moved, so none has a delta or a cause. Listed
 * as the engine lists its evaluation's units: by group, then rank, then unit id.
 */
export function standingsWithoutBefore(
  cycleId: string,
  after: Evaluation,
  context: { owner: ListOwner; noBefore: ValidationError },
): ImpactShape {
  const standing = (a: UnitResult): Movement => ({
    unitId: a.unit,
    name: a.name,
    group: a.group,
    before: null,
    after: a,
    rankDelta: null,
    totalDelta: null,
    causes: [],
  });
  return {
    cycleId,
    movements: (page) => listConnection({ ...page, owner: context.owner }, after.units, standing),
    analysis: null,
    noBefore: context.noBefore,
  };
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
    before: t.field({
      type: Standing,
      nullable: true,
      description:
        "Under the cycle's current scheme version; null when that version cannot score the cycle (`RankMovements.noBefore`).",
      resolve: (m) => m.before,
    }),
    after: t.field({ type: Standing, nullable: true, resolve: (m) => m.after }),
    rankDelta: t.int({
      nullable: true,
      description:
        "Rank after − rank before: positive means the unit fell (as `WhatIfUnit.rankDelta`). Null when unranked on either side or moved between groups, and when there is no before.",
      resolve: (m) => m.rankDelta,
    }),
    totalDelta: t.string({
      description:
        "Total after − total before, exact (as `WhatIfUnit.totalDelta`). Null when either is not scored, and when there is no before.",
      nullable: true,
      resolve: (m) => m.totalDelta,
    }),
    causes: t.exposeStringList("causes", {
      description: "Why it moved, one line per changed input; empty when there is no before.",
    }),
  }),
});

/**
 * An error as a field's value: graphql-js fails a field whose resolver returns an Error, so the
 * field gets the error's fields rather than the error.
 */
const fieldsOf = ({ name, message, code, issues }: ValidationError) => ({ name, message, code, issues });

export const RankMovementsRef = builder.objectRef<ImpactShape>("RankMovements").implement({
  description:
    "Rank movements between a baseline and an alternative, largest first; on a cycle its current scheme version cannot score, the alternative's standings alone (`noBefore` says why).",
  fields: (t) => ({
    analysis: t.field({
      type: WhatIfRef,
      nullable: true,
      description:
        "The engine's comparison of the cycle under its current scheme and under the candidate: every rank move, who overtook whom, each unit's change split by category, and rank statistics. " +
        "Null when there is no before (`noBefore`): nothing to compare with.",
      resolve: (m) => m.analysis,
    }),
    cycleId: t.exposeID("cycleId"),
    noBefore: t.field({
      type: ValidationError,
      nullable: true,
      description:
        "Null when the cycle scores under its current scheme version. Otherwise why it cannot: the error its `ranking` answers with " +
        "(\"cycle '…' cannot be scored as its records stand\", each record's problem at its path, the first 100 listed and all counted). " +
        "There is then no before: `analysis` is null, and every movement is the candidate's standing alone (`before`, `rankDelta` and `totalDelta` null, no `causes`), " +
        "while `maximum.before` still says the current version's maximum.",
      resolve: (m) => m.noBefore && fieldsOf(m.noBefore),
    }),
    movements: t.connection(
      {
        type: MovementRef,
        nullable: true,
        description:
          "Every unit, as `analysis.units` lists them: largest rank change first, then largest total change, then unit id; with no before (`noBefore`), as the candidate ranks them: by group in its scheme's order, then rank (unranked last), then unit id. " +
          "Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor is refused.",
        resolve: (i, args, _ctx, info) => i.movements({ args, info }),
      },
      counted("Every unit, on every page together."),
    ),
  }),
});
