import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ARGUMENT_DEPTH } from "../src/no-nul.js";
import { EXAMPLE_DIR } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const TOO_DEEP = `nests lists and objects more than ${MAX_ARGUMENT_DEPTH} levels deep; no scheme, scenario or record needs that many`;
const zeros = (n: number) => "[0]".repeat(n);

/**
 * Arguments nested thousands of levels deep are refused as a ValidationError at their path, not
 * answered with "Unexpected error." after a stack overflow. The bodies are written as text:
 * JSON.stringify itself cannot write them.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const scheme2019 = readFileSync(`${EXAMPLE_DIR}/scheme-2019.json`, "utf8").trim();
  const PUBLISH = `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
    __typename ... on ValidationError { issues { path message } } } }`;

  /** POSTs `variables`, given as JSON text, as `role`. */
  async function post(query: string, variables: string, role: "admin" | "analyst") {
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await t.token(role)}` },
      body: `{"query":${JSON.stringify(query)},"variables":${variables}}`,
    });
    return (await res.json()) as { data?: any; errors?: unknown[] };
  }
  const publish = (document: string) =>
    post(
      PUBLISH,
      `{"i":{"schemeId":"city-review","basedOn":2,"reason":"deep","document":${document}}}`,
      "admin",
    );
  /** scheme-2019.json with `"x": value` added at its end. */
  const withX = (value: string) => scheme2019.replace(/}$/, `,"x":${value}}`);
  const lists = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

  it("refuses a scheme document with a list nested 100,000 deep at the argument's path", async () => {
    const before = await t.lastAuditId();
    const r = await publish(withX(lists(100_000)));
    // A value is as many levels deep as its path has parts: input.document.x is level 3, and
    // level 65 is 62 lists inside x.
    expect(r.data.publishSchemeVersion).toEqual({
      __typename: "ValidationError",
      issues: [{ path: `input.document.x${zeros(MAX_ARGUMENT_DEPTH - 2)}`, message: TOO_DEEP }],
    });
    expect(await t.lastAuditId()).toBe(before);
  });

  it("refuses objects nested 5,000 deep inside a survey's options", async () => {
    const deep = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
    const doc = JSON.parse(scheme2019);
    expect(doc.categories[2].method.options.satisfied).toBe(100);
    const text = JSON.stringify(doc).replace('"satisfied":100', `"satisfied":${deep}`);
    const r = await publish(text);
    // ….options.satisfied is level 7; level 65 is 58 objects inside it.
    expect(r.data.publishSchemeVersion).toEqual({
      __typename: "ValidationError",
      issues: [
        {
          path: `input.document.categories[2].method.options.satisfied${".a".repeat(MAX_ARGUMENT_DEPTH - 6)}`,
          message: TOO_DEEP,
        },
      ],
    });
  });

  it(`lets ${MAX_ARGUMENT_DEPTH} levels through to the engine, which names the field it does not know`, async () => {
    const r = await publish(withX(lists(MAX_ARGUMENT_DEPTH - 2)));
    expect(r.data.publishSchemeVersion).toEqual({
      __typename: "ValidationError",
      issues: [
        {
          path: "input.document.x",
          message:
            "unknown field (misspelt?); the fields are $schema, id, version, name, description, categories, findingTypes, bonusTypes, bonusCap, vetoTypes, rollups, groups, ranking, grades, rounding",
        },
      ],
    });
  });

  it("refuses an analyst's what-if with a description nested 5,000 deep", async () => {
    const deep = `${'{"a":'.repeat(5000)}"d"${"}".repeat(5000)}`;
    const r = await post(
      `query($s: JSON) { whatIf(cycleId: "2019", scenario: $s) { __typename ... on ValidationError { issues { path message } } } }`,
      `{"s":{"description":${deep},"patch":{}}}`,
      "analyst",
    );
    expect(r.data.whatIf).toEqual({
      __typename: "ValidationError",
      issues: [{ path: `scenario.description${".a".repeat(MAX_ARGUMENT_DEPTH - 1)}`, message: TOO_DEEP }],
    });
  });

  it("refuses a deep JSON literal in the query text too", async () => {
    // 900 levels fit the 2,000 tokens a query may have.
    const r = await t.gql(
      `{ whatIf(cycleId: "2019", scenario: { description: ${lists(900)} }) { __typename ... on ValidationError { issues { path } } } }`,
      {},
      { as: "analyst" },
    );
    expect(r.body.data.whatIf).toEqual({
      __typename: "ValidationError",
      issues: [{ path: `scenario.description${zeros(MAX_ARGUMENT_DEPTH - 1)}` }],
    });
  });
});
