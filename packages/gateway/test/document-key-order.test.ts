import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/**
 * A scheme document and a scenario patch come back with their keys in the order they were
 * written, and what the gateway computes from a stored scheme is what the engine computes from
 * the file. jsonb sorts an object's keys (shorter first): stored as jsonb, the seed year's
 * survey answers came back as "dont-know, satisfied, dissatisfied, basically-satisfied" and
 * every explanation listed them so.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };
  const read = (f: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, f), "utf8"));

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  const surveyOptions = (document: any) =>
    Object.keys(document.categories.find((c: any) => c.method.kind === "survey").method.options);

  it("a published version's survey answers read back as written", async () => {
    const seeded = await t.gql(
      `{ schemeVersion(schemeId: "city-review", version: 2) { ... on SchemeVersion { document } } }`,
      {},
      admin,
    );
    const file = read("scheme-2019.json");
    expect(surveyOptions(seeded.body.data.schemeVersion.document)).toEqual([
      "satisfied",
      "basically-satisfied",
      "dissatisfied",
      "dont-know",
    ]);
    expect(seeded.body.data.schemeVersion.document.categories).toEqual(file.categories);
    expect(JSON.stringify(seeded.body.data.schemeVersion.document.categories)).toBe(
      JSON.stringify(file.categories),
    );

    // Keys in an order no sorting gives: longest first, then back to short. A new order alone
    // changes no rule (publishing it would be refused as no change), so one answer's points move.
    const options = { "basically-satisfied": 75, satisfied: 100, "dont-know": null, dissatisfied: 30 };
    const document = structuredClone(file);
    document.categories.find((c: any) => c.method.kind === "survey").method.options = options;
    const published = await t.gql(
      `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
        __typename ... on SchemeVersion { version document } ... on Error { message } } }`,
      { i: { schemeId: "city-review", basedOn: 2, document, reason: "answers listed best-but-one first" } },
      admin,
    );
    expect(published.body.data.publishSchemeVersion).toMatchObject({
      __typename: "SchemeVersion",
      version: 3,
    });
    expect(surveyOptions(published.body.data.publishSchemeVersion.document)).toEqual(Object.keys(options));
    const again = await t.gql(
      `{ schemeVersion(schemeId: "city-review", version: 3) { ... on SchemeVersion { document } } }`,
      {},
      admin,
    );
    expect(surveyOptions(again.body.data.schemeVersion.document)).toEqual(Object.keys(options));
  });

  it("a unit's explanation over GraphQL is the engine's for the same files, answer order included", async () => {
    const { body } = await t.gql(
      `{ scoreBreakdown(cycleId: "2019", unitId: "U09") { ... on UnitResult {
        categories { category details { key value } trace { step text } } } } }`,
      {},
      admin,
    );
    expect(body.errors).toBeUndefined();
    const engine = evaluate(read("scheme-2019.json"), read("dataset-2019.json")).units.find(
      (u) => u.unit === "U09",
    )!;
    const served = body.data.scoreBreakdown.categories.find((c: any) => c.category === "public");
    const own = engine.categories.find((c) => c.category === "public")!;
    expect(served.trace).toEqual(own.trace);
    expect(served.details).toEqual(Object.entries(own.details).map(([key, value]) => ({ key, value })));
    // Answers in the scheme's order, which is what makes this test bite: jsonb's would start
    // with dont-know, and the group lines would read "101 × 100 + 40 × 30 + 59 × 70".
    expect(served.details.map((d: any) => d.key).filter((k: string) => k.startsWith("count."))).toEqual([
      "count.satisfied",
      "count.basically-satisfied",
      "count.dissatisfied",
      "count.dont-know",
    ]);
    expect(served.trace[1].text).toContain("(101 × 100 + 59 × 70 + 40 × 30) / 200 valid forms");
  });

  it("a saved scenario's patch reads back as written", async () => {
    // Keys whose sorted order (shorter first) is the reverse of this one.
    const patch = { categories: { business: { points: 25 }, public: { points: 50 }, organ: { points: 25 } } };
    const saved = await t.gql(
      `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { __typename ... on Scenario { id patch } ... on Error { message } } }`,
      { i: { cycleId: "2019", name: "key order", patch: { patch } } },
      admin,
    );
    expect(saved.body.data.saveScenario.__typename).toBe("Scenario");
    const id = saved.body.data.saveScenario.id;
    const back = await t.gql(
      `query($id: ID!) { scenario(id: $id) { ... on Scenario { patch } } }`,
      { id },
      admin,
    );
    expect(Object.keys(back.body.data.scenario.patch.patch.categories)).toEqual([
      "business",
      "public",
      "organ",
    ]);
  });
});
