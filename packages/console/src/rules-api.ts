import { ERROR_FIELDS, gql, unwrap } from "./api";
import { isObject } from "./json-object";
import { everyPage, PAGE_INFO, type Page } from "./pages";

/** Why a published version takes no cycle any more: who withdrew it, when (an ISO instant) and why. */
export interface SchemeWithdrawal {
  at: string;
  by: string;
  reason: string;
}

export interface SchemeVersionInfo {
  version: number;
  author: string;
  reason: string;
  basedOn: number | null;
  createdAt: string;
  /** Null for a version cycles may be put on. */
  withdrawn: SchemeWithdrawal | null;
}
export interface SchemeChange {
  path: string;
  kind: "ADDED" | "CHANGED" | "REMOVED";
  before: unknown;
  after: unknown;
  /**
   * The gateway's guess that a removed entry and an added one of a list matched by id are one
   * entry renamed (a close spelling, or the same content): the other one's id, or null.
   */
  renamedTo: string | null;
  renamedFrom: string | null;
}
export interface Movement {
  unitId: string;
  name: string;
  group: string;
  before: { total: string | null; rank: number | null; grade: string | null } | null;
  after: { total: string | null; rank: number | null; grade: string | null } | null;
  /** Rank after − rank before: positive means the unit fell. */
  rankDelta: number | null;
  totalDelta: string | null;
  causes: string[];
}

export async function loadSchemes(): Promise<{ schemeId: string; latestVersion: number }[]> {
  return (
    await gql<{ schemes: { schemeId: string; latestVersion: number }[] }>(
      "{ schemes { schemeId latestVersion } }",
    )
  ).schemes;
}

export function loadHistory(schemeId: string, signal?: AbortSignal): Promise<SchemeVersionInfo[]> {
  return everyPage(
    async (after) =>
      (
        await gql<{ schemeVersions: Page<SchemeVersionInfo> }>(
          `query History($schemeId: ID!, $after: String) { schemeVersions(schemeId: $schemeId, first: 100, after: $after) {
            ${PAGE_INFO} edges { node { version author reason basedOn createdAt withdrawn { at by reason } } } } }`,
          { schemeId, after },
          signal ? { signal } : {},
        )
      ).schemeVersions,
  );
}

/**
 * A version's document, and whether it was withdrawn: its rules published again unchanged are
 * then a new usable version, not "nothing to publish".
 */
export async function loadDocument(
  schemeId: string,
  version?: number,
): Promise<{ version: number; document: unknown; withdrawn: boolean }> {
  const data = await gql<{
    schemeVersion: { __typename: string; version: number; document: unknown; withdrawn: unknown };
  }>(
    `query Doc($schemeId: ID!, $version: Int) { schemeVersion(schemeId: $schemeId, version: $version) {
      __typename ${ERROR_FIELDS} ... on SchemeVersion { version document withdrawn { at } } } }`,
    { schemeId, version: version ?? null },
  );
  const read = unwrap(data.schemeVersion, "SchemeVersion");
  return { version: read.version, document: read.document, withdrawn: read.withdrawn != null };
}

export async function loadDiff(
  schemeId: string,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<SchemeChange[]> {
  const data = await gql<{ schemeDiff: { __typename: string; changes: SchemeChange[] } }>(
    `query Diff($schemeId: ID!, $from: Int!, $to: Int!) { schemeDiff(schemeId: $schemeId, from: $from, to: $to) {
      __typename ${ERROR_FIELDS} ... on SchemeDiff { changes { path kind before after renamedTo renamedFrom } } } }`,
    { schemeId, from, to },
    signal ? { signal } : {},
  );
  return unwrap(data.schemeDiff, "SchemeDiff").changes;
}

/** What a draft changes against the version it is based on, before it is published. */
export interface DraftDiff {
  /** The version compared with. */
  from: number;
  /** The version the draft would become: the latest plus one. */
  to: number;
  changes: SchemeChange[];
}

/**
 * The gateway checks the draft as publishing would, and lists every problem at once (a
 * ValidationError at `document…`) rather than a diff of rules it would refuse. `from` null: the
 * latest version.
 */
export async function loadDraftDiff(
  schemeId: string,
  document: unknown,
  from: number | null,
): Promise<DraftDiff> {
  const data = await gql<{ schemeDraftDiff: { __typename: string } & DraftDiff }>(
    `query DraftDiff($schemeId: ID!, $document: JSON!, $from: Int) { schemeDraftDiff(schemeId: $schemeId, document: $document, from: $from) {
      __typename ${ERROR_FIELDS} ... on SchemeDiff { from to changes { path kind before after renamedTo renamedFrom } } } }`,
    { schemeId, document, from },
  );
  const { from: compared, to, changes } = unwrap(data.schemeDraftDiff, "SchemeDiff");
  return { from: compared, to, changes };
}

/**
 * The most a unit's total can be, as exact decimals: under the cycle's current version and under
 * the draft. Points that no longer add up to it may be a reform, or a slip.
 */
export interface SchemeMaximum {
  before: string;
  after: string;
}
/**
 * Why a preview has nothing to compare the draft with: the cycle's current version cannot score
 * its records. The gateway's words, as the cycle's ranking refuses it: counted, each record named.
 */
export interface NoBefore {
  message: string;
  issues: { path: string; message: string }[];
}
export interface Impact {
  /**
   * Largest move first: at most MOVEMENTS_SHOWN of them. With `noBefore`, the draft's standings
   * alone (no before, no deltas), as the draft ranks them.
   */
  movements: Movement[];
  /** Every unit the preview compared, shown or not. */
  movementCount: number;
  maximum: SchemeMaximum;
  /** Null when the cycle scores under its current version. */
  noBefore: NoBefore | null;
  /**
   * The secret votes whose secrecy moving the cycle to the draft, once published, would lift, in
   * the gateway's words: a move it refuses unless forced. Empty when it would lift none.
   */
  secrecyLifted: { path: string; message: string }[];
}

/**
 * One page: a preview re-scores the cycle on every request, so its movements are not read a
 * page at a time. A row costs ~46 of the gateway's cost limit (50,000 by default, which an
 * operator may lower): 200 rows, a city's units, cost ~9,200. Past them the smallest moves
 * are left out, and counted; the What-if page pages through every unit of a scenario.
 */
export const MOVEMENTS_SHOWN = 200;

export async function previewImpact(cycleId: string, document: unknown): Promise<Impact> {
  const data = await gql<{
    previewSchemeImpact: { __typename: string } & {
      maximum: SchemeMaximum;
      noBefore: NoBefore | null;
      secrecyLifted: { path: string; message: string }[];
      movements: { totalCount: number; edges: { node: Movement }[] };
    };
  }>(
    `mutation Preview($cycleId: ID!, $document: JSON!) { previewSchemeImpact(cycleId: $cycleId, document: $document) {
      __typename ${ERROR_FIELDS}
      ... on RankMovements { maximum { before after } noBefore { message issues { path message } }
        secrecyLifted { path message }
        movements(first: ${MOVEMENTS_SHOWN}) { totalCount edges { node { unitId name group rankDelta totalDelta causes
          before { total rank grade } after { total rank grade } } } } } } }`,
    { cycleId, document },
  );
  const { movements, maximum, noBefore, secrecyLifted } = unwrap(data.previewSchemeImpact, "RankMovements");
  return {
    movements: movements.edges.map((e) => e.node),
    movementCount: movements.totalCount,
    maximum,
    noBefore: noBefore ?? null,
    secrecyLifted: secrecyLifted ?? [],
  };
}

/**
 * Top-level keys of a scheme document that are not rules, as the gateway reads them: it numbers
 * `version` itself and does not keep `$schema` (an editor's), so neither makes a new version.
 */
const NOT_RULES = ["version", "$schema"];

/** Whether two scheme documents have the same rules: the gateway refuses to publish such a draft. */
export function sameRules(a: unknown, b: unknown): boolean {
  return sameJson(rulesOf(a), rulesOf(b));
}

const rulesOf = (document: unknown) =>
  isObject(document)
    ? Object.fromEntries(Object.entries(document).filter(([k]) => !NOT_RULES.includes(k)))
    : document;

/** Equal as JSON values: members in any order, list elements in theirs. */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]))
    );
  }
  return a === b;
}

export async function publish(input: {
  schemeId: string;
  basedOn: number | null;
  document: unknown;
  reason: string;
}): Promise<number> {
  const data = await gql<{ publishSchemeVersion: { __typename: string; version: number } }>(
    `mutation Publish($input: PublishSchemeInput!) { publishSchemeVersion(input: $input) {
      __typename ${ERROR_FIELDS} ... on SchemeVersion { version } } }`,
    { input },
  );
  return unwrap(data.publishSchemeVersion, "SchemeVersion").version;
}

/**
 * Withdraws a published version for good: no cycle may be put on it, while it stays listed, read
 * and diffed. The gateway refuses a version a cycle is on, naming the cycles, and one already
 * withdrawn; its words are the refusal's, for the page to show as they come.
 */
export async function withdrawVersion(input: {
  schemeId: string;
  version: number;
  reason: string;
}): Promise<SchemeWithdrawal> {
  const data = await gql<{
    withdrawSchemeVersion: { __typename: string; withdrawn: SchemeWithdrawal | null };
  }>(
    `mutation Withdraw($input: WithdrawSchemeVersionInput!) { withdrawSchemeVersion(input: $input) {
      __typename ${ERROR_FIELDS} ... on SchemeVersion { withdrawn { at by reason } } } }`,
    { input },
  );
  const { withdrawn } = unwrap(data.withdrawSchemeVersion, "SchemeVersion");
  // The gateway answers the version withdrawn: never one without its withdrawal.
  if (!withdrawn) throw new Error(`withdrawSchemeVersion answered version ${input.version} not withdrawn`);
  return withdrawn;
}
