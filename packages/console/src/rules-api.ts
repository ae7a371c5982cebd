import { ERROR_FIELDS, gql, unwrap } from "./api";
import { everyPage, PAGE_INFO, type Page } from "./pages";

export interface SchemeVersionInfo {
  version: number;
  author: string;
  reason: string;
  basedOn: number | null;
  createdAt: string;
}
export interface SchemeChange {
  path: string;
  kind: "ADDED" | "CHANGED" | "REMOVED";
  before: unknown;
  after: unknown;
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
            ${PAGE_INFO} edges { node { version author reason basedOn createdAt } } } }`,
          { schemeId, after },
          signal ? { signal } : {},
        )
      ).schemeVersions,
  );
}

export async function loadDocument(
  schemeId: string,
  version?: number,
): Promise<{ version: number; document: unknown }> {
  const data = await gql<{ schemeVersion: { __typename: string; version: number; document: unknown } }>(
    `query Doc($schemeId: ID!, $version: Int) { schemeVersion(schemeId: $schemeId, version: $version) {
      __typename ${ERROR_FIELDS} ... on SchemeVersion { version document } } }`,
    { schemeId, version: version ?? null },
  );
  return unwrap(data.schemeVersion, "SchemeVersion");
}

export async function loadDiff(
  schemeId: string,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<SchemeChange[]> {
  const data = await gql<{ schemeDiff: { __typename: string; changes: SchemeChange[] } }>(
    `query Diff($schemeId: ID!, $from: Int!, $to: Int!) { schemeDiff(schemeId: $schemeId, from: $from, to: $to) {
      __typename ${ERROR_FIELDS} ... on SchemeDiff { changes { path kind before after } } } }`,
    { schemeId, from, to },
    signal ? { signal } : {},
  );
  return unwrap(data.schemeDiff, "SchemeDiff").changes;
}

export async function previewImpact(cycleId: string, document: unknown): Promise<Movement[]> {
  const data = await gql<{ previewSchemeImpact: { __typename: string; movements: Movement[] } }>(
    `mutation Preview($cycleId: ID!, $document: JSON!) { previewSchemeImpact(cycleId: $cycleId, document: $document) {
      __typename ${ERROR_FIELDS}
      ... on RankMovements { movements { unitId name group rankDelta totalDelta causes
        before { total rank grade } after { total rank grade } } } } }`,
    { cycleId, document },
  );
  return unwrap(data.previewSchemeImpact, "RankMovements").movements;
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
