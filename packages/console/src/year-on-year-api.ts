import { ERROR_FIELDS, unwrap } from "./api";
import type { SchemeChange } from "./rules-api";
import {
  readWhatIfUnits,
  type ScenarioDocument,
  type Standing,
  type WhatIfResult,
  type WhatIfSource,
} from "./whatif-api";

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
 * scenario `after`, over the units both hold (`units: COMMON`: two cycles a year apart rarely hold
 * the same units, and the others are listed beside it, not refused). Its own variables (the page's
 * reads name `$after` as their cursor). `sideFields`, asked beside the analysis, are of the
 * comparison itself (`after { rulesKept }`, `onlyBefore { … }`).
 */
export function comparisonSource(before: CycleSide, after: CycleSide, sideFields = ""): WhatIfSource {
  return {
    key: JSON.stringify(["compareCycles", before, after]),
    declares: "$beforeSide: CycleSideInput!, $afterSide: CycleSideInput!",
    variables: { beforeSide: before, afterSide: after },
    field: (selection) =>
      `compareCycles(before: $beforeSide, after: $afterSide, units: COMMON) { __typename ${ERROR_FIELDS} ... on CycleComparison { ${sideFields ? `${sideFields} ` : ""}analysis { ${selection} } } }`,
    whatIf: <T>(data: unknown) =>
      unwrap(
        (data as { compareCycles: { __typename: string; analysis: T } }).compareCycles,
        "CycleComparison",
      ).analysis,
  };
}

/** A unit only one of the two cycles holds: not compared, its result as its cycle published it. */
export interface OneSidedUnit {
  unitId: string;
  name: string;
  standing: Omit<Standing, "eligibleForExcellence" | "eligibleForAward"> & {
    /** As its own cycle's scheme names the grade; null for none. */
    gradeName: string | null;
  };
}

/** The units only `before` holds (a bureau merged away) and only `after` holds (a department set up). */
export interface OneSidedUnits {
  onlyBefore: OneSidedUnit[];
  onlyAfter: OneSidedUnit[];
}

const ONE_SIDED = "unitId name standing { group rank rankedInGroup total grade gradeName }";

/**
 * Every row of the comparison, with fields of the comparison itself (`sideFields`) read by
 * `read` beside them: one request, where a second would wait on the same comparison.
 */
async function readComparison<T>(
  sides: { before: CycleSide; after: CycleSide },
  group: string | null,
  fields: { sideFields: string; read: (comparison: Record<string, unknown>) => T },
  signal?: AbortSignal,
): Promise<WhatIfResult & T> {
  const base = comparisonSource(sides.before, sides.after, fields.sideFields);
  let extra: T | undefined;
  const source: WhatIfSource = {
    ...base,
    whatIf: <A>(data: unknown) => {
      const analysis = base.whatIf<A>(data);
      // Every page says it again; the last page read is the one the rows end with.
      extra = fields.read((data as { compareCycles: Record<string, unknown> }).compareCycles);
      return analysis;
    },
  };
  const result = await readWhatIfUnits(source, group, signal);
  return { ...result, ...(extra as T) };
}

/**
 * Every shared unit's move from `before` to `after`, in one group (of `after`'s scheme) or all,
 * and every unit only one side holds, of any group.
 */
export function compareCycles(
  before: CycleSide,
  after: CycleSide,
  group: string | null,
  signal?: AbortSignal,
): Promise<WhatIfResult & OneSidedUnits> {
  return readComparison(
    { before, after },
    group,
    {
      sideFields: `onlyBefore { ${ONE_SIDED} } onlyAfter { ${ONE_SIDED} }`,
      read: (c) => ({ onlyBefore: c.onlyBefore as OneSidedUnit[], onlyAfter: c.onlyAfter as OneSidedUnit[] }),
    },
    signal,
  );
}

/**
 * As compareCycles, with what the `after` side's rulesOf could not take back (its `rulesKept`)
 * in place of the units only one side holds (the split's data half: the page has them from the
 * comparison whole).
 */
export function compareCyclesKept(
  before: CycleSide,
  after: CycleSide,
  group: string | null,
  signal?: AbortSignal,
): Promise<WhatIfResult & { rulesKept: SchemeChange[] }> {
  return readComparison(
    { before, after },
    group,
    {
      sideFields: "after { rulesKept { path kind before after renamedTo renamedFrom } }",
      read: (c) => ({ rulesKept: (c.after as { rulesKept: SchemeChange[] }).rulesKept }),
    },
    signal,
  );
}
