import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { mapDbError, ValidationError } from "../src/store/errors.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const NUL = "\u0000";

describe("mapDbError", () => {
  it("maps PostgreSQL's bad-character errors to ValidationError", () => {
    for (const code of ["22021", "22P05"]) {
      const e = mapDbError({ code, message: 'invalid byte sequence for encoding "UTF8": 0x00' });
      expect(e).toBeInstanceOf(ValidationError);
    }
  });
});

/** Bad input gets a typed error naming the field, never "Unexpected error." */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const admin = { as: "admin" as const };
  const scheme2019 = JSON.parse(readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8"));

  async function upload(cycleId: string, importId: string, kind: string, body: string) {
    const query = `mutation($file: File!, $c: ID!, $i: ID!) { importFile(cycleId: $c, importId: $i, kind: ${kind}, format: CSV, file: $file) {
      __typename ... on ImportResult { status rows } ... on ImportError { totalErrors bad: rows { line column message } }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
    const form = new FormData();
    form.append("operations", JSON.stringify({ query, variables: { c: cycleId, i: importId, file: null } }));
    form.append("map", JSON.stringify({ 0: ["variables.file"] }));
    form.append("0", new Blob([body], { type: "text/csv" }), "f.csv");
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${await t.token("admin")}`, "x-pingyi-client": "test" },
      body: form,
    });
    const json = (await res.json()) as any;
    if (!json.data) throw new Error(JSON.stringify(json));
    return json.data.importFile;
  }

  describe("NUL characters", () => {
    it("are refused in ids and names with the field named", async () => {
      const r = await t.gql(
        `mutation($u: UnitInput!) { upsertUnit(cycleId: "2019", input: $u) { __typename ... on ValidationError { issues { path message } } } }`,
        { u: { id: `a${NUL}b`, name: `n${NUL}`, group: "law-enforcement" } },
        admin,
      );
      expect(r.body.data.upsertUnit).toEqual({
        __typename: "ValidationError",
        issues: [
          { path: "input.id", message: "must not contain NUL characters" },
          { path: "input.name", message: "must not contain NUL characters" },
        ],
      });
    });

    it("are refused in scheme documents", async () => {
      const r = await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) { __typename ... on ValidationError { issues { path message } } } }`,
        {
          i: {
            schemeId: "city-review",
            basedOn: 2,
            document: { ...scheme2019, version: 3, name: `x${NUL}` },
            reason: "r",
          },
        },
        admin,
      );
      expect(r.body.data.publishSchemeVersion).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "input.document.name", message: "must not contain NUL characters" }],
      });
    });

    it("are refused in a read's arguments", async () => {
      const r = await t.gql(
        `query($c: ID!) { units(cycleId: $c) { edges { node { id } } } }`,
        { c: `20${NUL}19` },
        admin,
      );
      expect(r.body.errors?.[0]?.message).toBe("cycleId: must not contain NUL characters");
      expect(r.body.errors?.[0]?.extensions?.code).toBe("VALIDATION");
      const c = await t.gql(
        `query($c: ID!) { ranking(cycleId: $c) { __typename ... on ValidationError { issues { path } } } }`,
        { c: `20${NUL}19` },
        admin,
      );
      expect(c.body.data.ranking).toEqual({ __typename: "ValidationError", issues: [{ path: "cycleId" }] });
    });

    it("are refused in imported CSV cells with the line", async () => {
      const r = await upload(
        "2019",
        "nul-import",
        "FINDINGS",
        `id,unit,type,level\nf${NUL}1,A,unannounced-visit,city\n`,
      );
      expect(r.__typename).toBe("ImportError");
      expect(r.bad).toContainEqual({ line: 2, column: "id", message: "must not contain NUL characters" });
    });
  });
});
