import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * ImportRecord.recordsHeld counts a survey-forms import's forms a hundred units at a time: with
 * no index on import_id the count passes over every form of the cycle, which in one statement held
 * every other request on the embedded database (2,000,000 forms: over a second).
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const UNITS = 150;
  const FORMS_A_UNIT = 3;
  const ids = Array.from({ length: UNITS }, (_, i) => `U${String(i + 1).padStart(3, "0")}`);

  const upload = async (kind: string, importId: string, body: string) => {
    const r = await t.upload(
      `mutation($file: File!, $i: ID!) { importFile(cycleId: "held", importId: $i, kind: ${kind}, format: CSV, file: $file) {
        __typename ... on ImportResult { rows } ... on Error { message } } }`,
      { i: importId },
      { name: `${importId}.csv`, body },
    );
    return r.body.data.importFile;
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const created = await t.gql(
      `mutation { createCycle(input: { id: "held", year: 2062, name: "held", schemeId: "city-review", schemeVersion: 2 }) {
        __typename ... on Error { message } } }`,
      {},
      { as: "admin" },
    );
    expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
    const units = ids.map((id) => `${id},${id},law-enforcement`);
    expect(await upload("UNITS", "held-units", `id,name,group\n${units.join("\n")}\n`)).toEqual({
      __typename: "ImportResult",
      rows: UNITS,
    });
    const forms = ids.flatMap((id) =>
      Array.from({ length: FORMS_A_UNIT }, () => `public,${id},service-recipients,satisfied`),
    );
    expect(
      await upload(
        "SURVEY_FORMS",
        "held-forms",
        `category,unit,respondent_group,answer\n${forms.join("\n")}\n`,
      ),
    ).toEqual({ __typename: "ImportResult", rows: UNITS * FORMS_A_UNIT });
  });
  afterAll(() => t?.close());

  it("counts a survey-forms import's forms a hundred units a read", async () => {
    const read: { sql: string; params: readonly unknown[] }[] = [];
    const query = t.db.query.bind(t.db);
    t.db.query = (sql, params = []) => {
      if (/\bsurvey_forms\b/.test(sql)) read.push({ sql, params });
      return query(sql, params);
    };
    try {
      const r = await t.gql(
        `{ cycle(id: "held") { ... on Cycle { imports { id kind recordsHeld } } } }`,
        {},
        { as: "admin" },
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.cycle.imports).toEqual(
        expect.arrayContaining([
          { id: "held-units", kind: "UNITS", recordsHeld: UNITS },
          { id: "held-forms", kind: "SURVEY_FORMS", recordsHeld: UNITS * FORMS_A_UNIT },
        ]),
      );
    } finally {
      t.db.query = query;
    }
    expect(read.length).toBe(Math.ceil(UNITS / 100));
    for (const { sql, params } of read) {
      expect(sql).toMatch(/unit_id = ANY\(\$2::text\[\]\)/);
      expect((params[1] as string[]).length).toBeLessThanOrEqual(100);
    }
  });
});
