import { ERROR_FIELDS, unwrap } from "./api";
import type { SchemeChange } from "./rules-api";
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
  /** Another cycle: this cycle's records under that cycle's rules, as far as a patch takes them. */
  rulesOf?: string;
}

/**
 * Two cycles compared as a what-if: `compareCycles`' analysis, whose baseline is `before` and
 * scenario `after`. Its own variables (the page's reads name `$after` as their cursor).
 * `sideFields`, asked beside the analysis, are of the comparison itself (`after { rulesKept }`).
 */
export function comparisonSource(before: CycleSide, after: CycleSide, sideFields = ""): WhatIfSource {
  return {
    key: JSON.stringify(["compareCycles", before, after]),
    declares: "$beforeSide: CycleSideInput!, $afterSide: CycleSideInput!",
    variables: { beforeSide: before, afterSide: after },
    field: (selection) =>
      `compareCycles(before: $beforeSide, after: $afterSide) { __typename ${ERROR_FIELDS} ... on CycleComparison { ${sideFields ? `${sideFields} ` : ""}analysis { ${selection} } } }`,
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

/**
 * As compareCycles, with what the `after` side's rulesOf could not take back (its `rulesKept`),
 * asked with the rows: one request, where a second would wait on the same comparison.
 */
export async function compareCyclesKept(
  before: CycleSide,
  after: CycleSide,
  group: string | null,
  signal?: AbortSignal,
): Promise<WhatIfResult & { rulesKept: SchemeChange[] }> {
  const base = comparisonSource(
    before,
    after,
    "after { rulesKept { path kind before after renamedTo renamedFrom } }",
  );
  let rulesKept: SchemeChange[] = [];
  const source: WhatIfSource = {
    ...base,
    whatIf: <T>(data: unknown) => {
      const analysis = base.whatIf<T>(data);
      // Every page says it again; the last page read is the one the rows end with.
      rulesKept = (data as { compareCycles: { after: { rulesKept: SchemeChange[] } } }).compareCycles.after
        .rulesKept;
      return analysis;
    },
  };
  const result = await readWhatIfUnits(source, group, signal);
  return { ...result, rulesKept };
}
