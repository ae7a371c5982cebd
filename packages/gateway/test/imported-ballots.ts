import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import type { TestServer } from "./helpers.js";

/** A file of the seed's example year (city-review's schemes and data sets), parsed. */
export const readExample = (file: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, file), "utf8"));

/** The seed's 2019 ballots of the organ vote, as the example data set gives them. */
export const organBallots = (): {
  category: string;
  voter: string;
  role: string;
  unit: string;
  score: number;
}[] => readExample("dataset-2019.json").ballots.filter((b: { category: string }) => b.category === "organ");

/**
 * Publishes `document` (city-review's rules, as a test changed them) as `version` of
 * city-review, based on the version before it.
 */
export async function publishCityReview(
  t: TestServer,
  version: number,
  document: Record<string, any>,
): Promise<void> {
  const r = await t.gql(
    `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on Error { message } } }`,
    {
      i: {
        schemeId: "city-review",
        basedOn: version - 1,
        document: { ...document, version },
        reason: `version ${version}`,
      },
    },
    { as: "admin" },
  );
  expect(r.body.data.publishSchemeVersion).toEqual({ __typename: "SchemeVersion" });
}

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

/** A survey form as the example data set and a survey-forms CSV give it. */
export interface CsvSurveyForm {
  category: string;
  unit: string;
  respondentGroup: string;
  answer: string;
}

/** The seed's 2019 survey forms (开门评议), all of category "public" (of `units` only, if given). */
export const seededSurveyForms = (units?: readonly string[]): CsvSurveyForm[] =>
  readExample("dataset-2019.json").surveyForms.filter((f: CsvSurveyForm) => !units || units.includes(f.unit));

/**
 * `forms` loaded into cycle `id` by one survey-forms import, `<id>-forms`, as an admin would load
 * them: the tests of deleting and counting survey forms start from such a cycle.
 */
export async function importSurveyForms(
  t: TestServer,
  id: string,
  forms: readonly CsvSurveyForm[],
): Promise<void> {
  const rows = forms.map((f) => [f.category, f.unit, f.respondentGroup, f.answer].join(","));
  const imported = await t.upload(
    `mutation($file: File!) { importFile(cycleId: "${id}", importId: "${id}-forms", kind: SURVEY_FORMS, format: CSV, file: $file) {
      __typename ... on ImportResult { rows } ... on Error { message } } }`,
    {},
    { name: "forms.csv", body: `category,unit,respondent_group,answer\n${rows.join("\n")}\n` },
  );
  expect(imported.body.data.importFile).toEqual({ __typename: "ImportResult", rows: forms.length });
}
