import { ERROR_FIELDS, gql, unwrap } from "./api";
import { everyPage, everyPageWithHeads, PAGE_INFO, type Page } from "./pages";

export interface Standing {
  group: string;
  total: string | null;
  rank: number | null;
  rankedInGroup: number;
  grade: string | null;
  /** A veto, last place or no total can hold a unit back whatever its rank: why is `loadEligibility`'s. */
  eligibleForExcellence: boolean;
  eligibleForAward: boolean;
}
export interface WhatIfUnit {
  unitId: string;
  name: string;
  baseline: Standing;
  scenario: Standing;
  totalDelta: string | null;
  /** Scenario rank − baseline rank: positive means the unit fell. */
  rankDelta: number | null;
  parts: { part: string; kind: "CATEGORY" | "ADJUSTMENT"; delta: string }[];
}
export interface WhatIfResult {
  units: WhatIfUnit[];
  swapCount: number;
  stageTwo: string;
  overall: { spearman: number | null; kendallTauB: number | null; unitsMoved: number } | null;
}

/** The engine's scenario document: `{ patch?, data? }`, as docs/what-if.md describes. */
export interface ScenarioDocument {
  name?: string;
  description?: string;
  patch?: Record<string, unknown>;
  /** Records changed for the scenario: findings, veto events, units' groups, scores. */
  data?: Record<string, unknown>;
}

/**
 * Where a what-if is read from: a cycle under a scenario (`whatIf`), or two cycles compared
 * (`compareCycles`, whose `analysis` is a WhatIf). The unit panels ask the same fields of either.
 */
export interface WhatIfSource {
  /** Tells two sources apart, for the reads made of them. */
  key: string;
  /** The query's variable declarations, beside the read's own (`$after`, `$unitId`, `$group`). */
  declares: string;
  variables: Record<string, unknown>;
  /** The query's field, asking `selection` of its WhatIf. */
  field: (selection: string) => string;
  /** The WhatIf out of the answer's data; its refusal thrown. */
  whatIf: <T>(data: unknown) => T;
}

/** A cycle under a scenario, as the What-if page runs it. */
export function scenarioSource(cycleId: string, scenario: ScenarioDocument): WhatIfSource {
  return {
    key: JSON.stringify(["whatIf", cycleId, scenario]),
    declares: "$cycleId: ID!, $scenario: JSON",
    variables: { cycleId, scenario },
    field: (selection) =>
      `whatIf(cycleId: $cycleId, scenario: $scenario) { __typename ${ERROR_FIELDS} ... on WhatIf { ${selection} } }`,
    whatIf: <T>(data: unknown) => unwrap((data as { whatIf: { __typename: string } }).whatIf, "WhatIf") as T,
  };
}

/** Reads `selection` of the source's WhatIf, with `variables` beside the source's own. */
async function readWhatIf<T>(
  source: WhatIfSource,
  query: { name: string; declares?: string; selection: string },
  variables: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  const declares = [source.declares, query.declares].filter(Boolean).join(", ");
  const data = await gql<unknown>(
    `query ${query.name}(${declares}) { ${source.field(query.selection)} }`,
    { ...source.variables, ...variables },
    signal ? { signal } : {},
  );
  return source.whatIf<T>(data);
}

const STANDING = "group total rank rankedInGroup grade eligibleForExcellence eligibleForAward";

type Head = Omit<WhatIfResult, "units">;

/**
 * Every unit of the source's what-if, in one group or all: pages of 200 rows keep each request
 * well under the gateway's cost limit.
 */
export async function readWhatIfUnits(
  source: WhatIfSource,
  group: string | null,
  signal?: AbortSignal,
): Promise<WhatIfResult> {
  const { heads, rows } = await everyPageWithHeads(async (after) => {
    const { units, ...head } = await readWhatIf<Head & { units: Page<WhatIfUnit> }>(
      source,
      {
        name: "WhatIf",
        declares: "$group: ID, $after: String",
        selection: `stageTwo swapCount
      overall { spearman kendallTauB unitsMoved }
      units(first: 200, after: $after, group: $group) {
        ${PAGE_INFO}
        edges { node {
          unitId name totalDelta rankDelta
          baseline { ${STANDING} }
          scenario { ${STANDING} }
          parts { part kind delta } } } }`,
      },
      { group, after },
      signal,
    );
    return { head, page: units };
  });
  // The summary of the read the rows come from: after a fresh start, not the stale first page's.
  const [w] = heads;
  return {
    stageTwo: w.stageTwo,
    overall: w.overall,
    swapCount: w.swapCount,
    units: rows,
  };
}

/** Runs a scenario on the gateway (the engine's fast weight-only path when only points change). */
export function runWhatIf(
  cycleId: string,
  scenario: ScenarioDocument,
  group: string | null,
  signal?: AbortSignal,
): Promise<WhatIfResult> {
  return readWhatIfUnits(scenarioSource(cycleId, scenario), group, signal);
}

/** One field of one unit's row, asked for that unit alone; undefined when the row is not there. */
async function readUnitField<T>(
  source: WhatIfSource,
  query: { name: string; selection: string },
  unitId: string,
  signal?: AbortSignal,
): Promise<T | undefined> {
  const whatIf = await readWhatIf<{ units: { edges: { node: T }[] } }>(
    source,
    {
      name: query.name,
      declares: "$unitId: ID!",
      selection: `units(first: 1, unitIds: [$unitId]) { edges { node { ${query.selection} } } }`,
    },
    { unitId },
    signal,
  );
  return whatIf.units.edges[0]?.node;
}

export interface Swap {
  group: string;
  overtakerId: string;
  overtakenId: string;
}

/** Who overtook whom, for one unit (the whole list can be quadratic in the group's size). */
export function loadSwaps(source: WhatIfSource, unitId: string, signal?: AbortSignal): Promise<Swap[]> {
  return everyPage(async (after) => {
    const whatIf = await readWhatIf<{ swaps: Page<Swap> }>(
      source,
      {
        name: "Swaps",
        declares: "$unitId: ID, $after: String",
        selection: `swaps(first: 500, after: $after, unitId: $unitId) {
          ${PAGE_INFO} edges { node { group overtakerId overtakenId } } }`,
      },
      { unitId, after },
      signal,
    );
    return whatIf.swaps;
  });
}

export interface MoveReason {
  /** total (no total on a side), grade, quota, left (ranked in the baseline only) or joined (in the scenario only). */
  kind: string;
  /** The engine's sentence, naming units by id. */
  text: string;
  /** The units the text names, at most three, those above the unit first. */
  unitIds: string[];
}

/**
 * Why one unit's grade or rank moved where its parts and swaps do not say (a quota that shrank,
 * units above it that lost their totals). Asked for one unit at a time: the engine works each
 * row's out again when asked.
 */
export async function loadMoveReasons(
  source: WhatIfSource,
  unitId: string,
  signal?: AbortSignal,
): Promise<MoveReason[]> {
  const node = await readUnitField<{ moveReasons: MoveReason[] }>(
    source,
    { name: "WhatIfMoveReasons", selection: "moveReasons { kind text unitIds }" },
    unitId,
    signal,
  );
  return node?.moveReasons ?? [];
}

/** One figure of a roll-up part on both sides, exact; null where the roll-up applies on no side or gives no result. */
export interface RollupValues {
  baseline: string | null;
  scenario: string | null;
  delta: string | null;
}
/** How many sub-units one roll-up read for the unit on one side, and how many of them had no result. */
export interface RollupCount {
  rollupId: string;
  subUnits: number;
  withoutResult: number;
}
/**
 * A parent's part (a category, or the total) that its roll-ups blend its sub-units' results into,
 * split into what came from the sub-units and its own rest: together, the category's part.
 */
export interface RollupPart {
  into: "CATEGORY" | "TOTAL";
  /** The category's id, as its `parts` entry has it; null for the total. */
  category: string | null;
  name: string;
  rollupIds: string[];
  fromSubUnits: RollupValues;
  own: RollupValues;
  /** Null on a side where no roll-up into the target applies to the unit. */
  subUnits: { baseline: RollupCount[] | null; scenario: RollupCount[] | null };
}

const ROLLUP_VALUES = "{ baseline scenario delta }";
const ROLLUP_COUNTS = "{ rollupId subUnits withoutResult }";

/**
 * How much of one unit's move came from its sub-units, per part its roll-ups blend into; empty
 * for a unit with no sub-units or roll-ups. Asked for one unit at a time, as its panel opens: the
 * engine works the split out again for each row asked.
 */
export async function loadRollupParts(
  source: WhatIfSource,
  unitId: string,
  signal?: AbortSignal,
): Promise<RollupPart[]> {
  const node = await readUnitField<{ rollupParts: RollupPart[] }>(
    source,
    {
      name: "WhatIfRollupParts",
      selection: `rollupParts {
        into category name rollupIds fromSubUnits ${ROLLUP_VALUES} own ${ROLLUP_VALUES}
        subUnits { baseline ${ROLLUP_COUNTS} scenario ${ROLLUP_COUNTS} } }`,
    },
    unitId,
    signal,
  );
  return node?.rollupParts ?? [];
}

export interface Eligibility {
  excellence: boolean;
  award: boolean;
  /** `kind`: veto, last-ranked or insufficient; `text` the engine's sentence, naming the record. */
  reasons: { kind: string; text: string; record: string | null }[];
}

const ELIGIBILITY = "eligibility { excellence award reasons { kind text record } }";

/**
 * One unit's eligibility with its reasons, on both sides of a scenario. Asked for one unit at a
 * time: the scenario side's reasons cost the gateway one full evaluation of the scenario, which
 * a weight-only run otherwise skips.
 */
export async function loadEligibility(
  source: WhatIfSource,
  unitId: string,
  signal?: AbortSignal,
): Promise<{ baseline: Eligibility; scenario: Eligibility } | null> {
  const node = await readUnitField<{
    baseline: { eligibility: Eligibility };
    scenario: { eligibility: Eligibility };
  }>(
    source,
    { name: "WhatIfEligibility", selection: `baseline { ${ELIGIBILITY} } scenario { ${ELIGIBILITY} }` },
    unitId,
    signal,
  );
  return node ? { baseline: node.baseline.eligibility, scenario: node.scenario.eligibility } : null;
}

export interface SchemeDocument {
  categories: { id: string; name: string; points: number | string }[];
  groups: { id: string; name: string; ranked?: boolean }[];
  grades?: {
    rules: {
      id: string;
      name: string;
      minTotal?: number | string;
      quota?: { count?: number; percent?: number | string; scope?: string; rounding?: string; ties?: string };
    }[];
    fallback?: { id: string; name: string };
  };
  rounding?: { decimals?: number; mode?: string; stages?: string[] };
  bonusCap?: number | string;
  rollups?: SchemeRollup[];
  findingTypes?: { id: string; name: string }[];
  bonusTypes?: { id: string; name: string }[];
  vetoTypes?: { id: string; name: string }[];
}

/** What a roll-up connects: a category (`{ category }`) or the total (`{ total: true }`). */
export type RollupEnd = { category?: string; total?: boolean };

/** A scheme's roll-up, as its document is written (defaults left out where the author did). */
export interface SchemeRollup {
  id: string;
  source: RollupEnd;
  into: RollupEnd;
  /** The part of the parent's target that comes from the sub-units (0.1 = 10%). */
  share: number | string;
  aggregation?: string;
  missingSubUnit?: string;
  parents?: string[];
}

export async function loadCycleScheme(cycleId: string, signal?: AbortSignal): Promise<SchemeDocument> {
  const data = await gql<{ cycle: { __typename: string; scheme: { document: SchemeDocument } } }>(
    `query CycleScheme($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS} ... on Cycle { scheme { document } } } }`,
    { id: cycleId },
    signal ? { signal } : {},
  );
  return unwrap(data.cycle, "Cycle").scheme.document;
}

/** The document as the gateway saves it: `{ description?, patch, data? }`, the name apart. */
export function savedBody(document: ScenarioDocument): Omit<ScenarioDocument, "name"> {
  const { name: _name, ...body } = document;
  return { ...body, patch: body.patch ?? {} };
}

/**
 * Saves the document as a new scenario, shared with every analyst ("Save and share"), or with
 * `id` over one of the caller's own, its sharing left as it was. Returns the scenario's id.
 */
export async function saveScenario(
  target: { cycleId: string; name: string; id?: string },
  document: ScenarioDocument,
): Promise<string> {
  const { cycleId, name, id } = target;
  const data = await gql<{ saveScenario: { __typename: string; id: string } }>(
    `mutation Save($input: SaveScenarioInput!) { saveScenario(input: $input) {
      __typename ${ERROR_FIELDS} ... on Scenario { id } } }`,
    // All of the document but its name (the record's): a saved scenario's data overrides included.
    {
      input:
        id === undefined
          ? { cycleId, name, patch: savedBody(document), shared: true }
          : { cycleId, id, name, patch: savedBody(document) },
    },
  );
  return unwrap(data.saveScenario, "Scenario").id;
}

/** A saved scenario, as the What-if page opens it: its document and whose it is. */
export interface OpenedScenario {
  id: string;
  name: string;
  cycleId: string;
  owner: string;
  patch: ScenarioDocument;
}

export async function loadScenario(id: string): Promise<OpenedScenario> {
  const data = await gql<{ scenario: { __typename: string } & OpenedScenario }>(
    `query Scenario($id: ID!) { scenario(id: $id) { __typename ${ERROR_FIELDS} ... on Scenario { id name cycleId owner patch } } }`,
    { id },
  );
  return unwrap(data.scenario, "Scenario");
}

/** The gateway answers a field it does not have yet with a validation error naming it. */
export const isMissingField = (e: Error | null): boolean => !!e && /Cannot query field/.test(e.message);
