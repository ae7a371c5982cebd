import { expect } from "vitest";
import type { TestServer } from "./helpers.js";

/** A ballot as a ballots CSV gives it: the seed's 2019 ballots, or ones made from them. */
export interface CsvBallot {
  category: string;
  voter: string;
  role?: string | null | undefined;
  unit: string;
  score?: unknown;
}

/**
 * A new open cycle `id` of `year` with the 2019 units, under `version` of city-review, its
 * `ballots` loaded by one import (none: no import), as an admin would load a vote: the tests of
 * a vote's ballots (listing, counting, deleting) start from such a cycle.
 */
export async function cycleWithImportedBallots(
  t: TestServer,
  id: string,
  year: number,
  version: number,
  ballots: readonly CsvBallot[],
): Promise<string> {
  const created = await t.gql(
    `mutation($i: CreateCycleInput!) { createCycle(input: $i) { __typename ... on Error { message } } }`,
    { i: { id, year, name: id, schemeId: "city-review", schemeVersion: version, copyUnitsFrom: "2019" } },
    { as: "admin" },
  );
  expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
  if (ballots.length === 0) return id;
  const rows = ballots.map((b) => [b.category, b.voter, b.role, b.unit, b.score].join(","));
  const imported = await t.upload(
    `mutation($file: File!) { importFile(cycleId: "${id}", importId: "${id}-ballots", kind: BALLOTS, format: CSV, file: $file) {
      __typename ... on ImportResult { rows } ... on Error { message } } }`,
    {},
    { name: "ballots.csv", body: `category,voter,role,unit,score\n${rows.join("\n")}\n` },
  );
  expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: ballots.length });
  return id;
}
