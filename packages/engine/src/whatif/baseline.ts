import { adjustmentsByUnit } from "../adjustments/unit-adjustments.js";
import type { Dataset } from "../dataset/dataset.js";
import { validateAndRead } from "../dataset/validate-dataset.js";
import { composeWith, type ExactEvaluation } from "../evaluation/compose.js";
import { type MethodOutcomes, scoreRecordsRead } from "../evaluation/score-records.js";
import { type CompiledScheme, compiledOrCompile } from "../scheme/compile-scheme.js";
import { memoShares, type StageTwoMemo, stageTwoMemo } from "./baseline-memo.js";
import { type ColumnModel, columnModel } from "./column-model.js";
import { columnStageTwo } from "./column-stage-two.js";
import type { ColumnBaseline } from "./compare-columns.js";
import { snapshotsOf, type UnitSnapshot } from "./compare-standings.js";
import {
  type Adjustments,
  adjustedByUnit,
  adjustmentFigures,
  fastPathApplies,
  fastStageTwo,
} from "./fast-stage-two.js";
import { pooledBaseline } from "./pooled-agreement.js";
import { rankWork } from "./rank-statistics.js";
import { type Standing, standingsFromExact } from "./standing.js";

/**
 * One evaluation kept for what-if analysis: the compiled scheme, the stage-1 outcomes
 * (ballots, forms and scores already read), the exact evaluation and each unit's standing.
 * Scenarios reuse all of it and re-read only the records whose scoring they change.
 */
export interface Baseline {
  readonly compiled: CompiledScheme;
  /**
   * The caller's dataset itself, not a copy (a province's is ~400 MB): scenarios that change a
   * category's method re-read its records here, so it must not change while the baseline is used.
   */
  readonly dataset: Dataset;
  /** Stage-1 outcomes by category, then unit; shared (not copied) by scenarios that keep them. */
  readonly outcomes: MethodOutcomes;
  readonly exact: ExactEvaluation;
  readonly standings: readonly Standing[];
  /** @internal Each unit's deductions, bonuses and vetoes, as the analyses re-apply them. */
  readonly adjustments: Adjustments;
  /**
   * @internal Derived once from the fields above for reuse by every analysis; never changes,
   * but for `warm`, which only keeps the last sweep's objects alive, and `priced`, which keeps
   * a sweep's functions from its estimate to the sweep (see BaselineMemo).
   */
  readonly memo: BaselineMemo;
}

/** Shares, hierarchy and the baseline's official snapshots (aligned with `standings`). */
export interface BaselineMemo extends StageTwoMemo {
  readonly snapshots: readonly UnitSnapshot[];
  /**
   * The baseline in columns, for weight-only scenarios (`columnStageTwo`); absent when the
   * scheme does not round to whole 10^−decimals units throughout.
   */
  readonly columns?: BaselineColumns;
  /**
   * Holds the last exact sweep's walk of a group and its segments, and nothing reads them. V8
   * keeps the shapes an optimised walk was compiled for only while something of theirs is
   * alive: a full collection between two sweeps (a server between two requests) that finds
   * nothing left dropped that code, and the next sweep walked unoptimised until it was compiled
   * again — a province sweep right after a full collection took 148 ms instead of 80 ms.
   * Keeping one group's walk (under 1 MB) keeps them.
   */
  readonly warm?: { walk: unknown };
  /**
   * The units' functions `sweepWork` made to estimate a sweep, until the sweep of the same
   * options takes them (see `sweepFunctions`); the only other field that changes.
   */
  readonly priced?: { key: string | null; functions: unknown };
}

export interface BaselineColumns extends ColumnBaseline {
  readonly model: ColumnModel;
}

function baselineColumns(
  compiled: CompiledScheme,
  dataset: Dataset,
  outcomes: MethodOutcomes,
  memo: StageTwoMemo & { adjusted: NonNullable<StageTwoMemo["adjusted"]> },
): BaselineColumns | undefined {
  const model = columnModel(
    compiled,
    dataset,
    outcomes,
    (id) => memoShares(memo, outcomes.get(id), dataset.units),
    memo.hierarchy,
    memo.adjusted,
  );
  const standings = model && columnStageTwo(model, compiled);
  if (!model || !standings) return undefined;
  return { model, standings, pooled: pooledBaseline(standings.total), work: rankWork() };
}

/**
 * Validates and evaluates once (throws InputError on invalid input), keeping what scenarios reuse.
 * The dataset is kept as given, not copied: leave it unchanged while the baseline is in use, and
 * give a scenario's `data` overrides (or a new baseline) for records that differ.
 */
export function createBaseline(scheme: unknown, dataset: Dataset): Baseline {
  const compiled = compiledOrCompile(scheme);
  const read = validateAndRead(compiled, dataset);
  const outcomes = scoreRecordsRead(compiled, dataset, read);
  // Findings, bonus and veto events read once, for the evaluation and for scenarios alike.
  const byUnit = adjustmentsByUnit(compiled.scheme, dataset);
  const exact = composeWith(compiled, dataset, outcomes, byUnit);
  const adjustments = adjustmentFigures(byUnit);
  // The same representation as scenarios use, so comparisons skip re-scaling fractions;
  // tests check that both ways give identical standings.
  const stageTwo = {
    ...stageTwoMemo(dataset.units, outcomes),
    adjusted: adjustedByUnit(compiled.scheme, dataset.units, adjustments),
  };
  const standings = fastPathApplies(compiled)
    ? fastStageTwo(compiled, { dataset, outcomes, adjustments, memo: stageTwo })
    : standingsFromExact(exact);
  const columns = baselineColumns(compiled, dataset, outcomes, stageTwo);
  const memo = {
    ...stageTwo,
    snapshots: snapshotsOf(compiled.scheme, standings),
    ...(columns ? { columns } : {}),
    warm: { walk: null },
    priced: { key: null, functions: null },
  };
  return { compiled, dataset, outcomes, exact, standings, adjustments, memo };
}
