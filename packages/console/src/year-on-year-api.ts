import { ERROR_FIELDS, unwrap } from "./api";
import { readWhatIfUnits, type ScenarioDocument, type WhatIfResult, type WhatIfSource } from "./whatif-api";

/**
 * One side of `compareCycles`: a cycle as published, or under a scenario (inline, or saved on
 * that cycle). The page compares cycles as published; a side under a scenario is how a split of
 * the year's change (data against rules) would be asked for.
 */
export interface CycleSide {
  cycleId: string;
  scenario?: ScenarioDocument;
  scenarioId?: string;
}

/**
 * Two cycles compared as a what-if: `compareCycles`' analysis, whose baseline is `before` and
 * scenario `after`. Its own variables (the page's reads name `$after` as their cursor).
 */
export function comparisonSource(before: CycleSide, after: CycleSide): WhatIfSource {
  return {
    key: JSON.stringify(["compareCycles", before, after]),
    declares: "$beforeSide: CycleSideInput!, $afterSide: CycleSideInput!",
    variables: { beforeSide: before, afterSide: after },
    field: (selection) =>
      `compareCycles(before: $beforeSide, after: $afterSide) { __typename ${ERROR_FIELDS} ... on CycleComparison { analysis { ${selection} } } }`,
    whatIf: <T>(data: unknown) =>
      unwrap(
        (data as { compareCycles: { __typename: string; analysis: T } }).compareCycles,
        "CycleComparison",
      ).analysis,
  };
}

/** Every unit's move from `before` to `after`, in one group (of `after`'s scheme) or all. */
export function compareCycles(
  before: CycleSide,
  after: CycleSide,
  group: string | null,
  signal?: AbortSignal,
): Promise<WhatIfResult> {
  return readWhatIfUnits(comparisonSource(before, after), group, signal);
}
