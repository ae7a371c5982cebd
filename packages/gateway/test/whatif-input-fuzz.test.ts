import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers.js";

/**
 * The analyst's fields over real HTTP with bad input: whatever arrives, the answer is a GraphQL
 * answer (data or errors), every error names the argument it is about and carries a code a client
 * can act on (never the masked "Unexpected error."), a refused write leaves the saved scenarios and
 * the audit trail as they were, and the server keeps answering.
 */

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

const ERRORS = `__typename ... on Error { code message } ... on ValidationError { issues { path message } }
  ... on NotFoundError { entity missing: id }`;

/** Every saved scenario as stored, to compare before and after a refused write. */
const snapshot = async () =>
  JSON.stringify([
    await t.db.query(
      "SELECT id, cycle_id, owner, name, patch::text AS patch, shared, updated_at FROM scenarios ORDER BY id",
    ),
    await t.lastAuditId(),
  ]);

describe("whatIf", () => {
  const analyst = (subject = "ann") => ({ as: "analyst" as const, subject });

  it("whatIf: an empty scenarioId is a scenario not found, not a missing scenario document", async () => {
    const { body } = await t.gql(
      `query($id: ID) { whatIf(cycleId: "2018", scenarioId: $id) { ${ERRORS} } }`,
      { id: "" },
      analyst(),
    );
    expect(body.data.whatIf).toMatchObject({ __typename: "NotFoundError", entity: "scenario", missing: "" });
  });
});

describe("ranking", () => {
  it("refuses an empty group or scenarioId rather than answering the published table", async () => {
    const q = `query($g: ID, $id: ID) { ranking(cycleId: "2018", group: $g, scenarioId: $id) { ${ERRORS}
      ... on Ranking { group scenarioId } } }`;
    const group = await t.gql(q, { g: "" }, { as: "viewer" });
    expect(group.body.data.ranking).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: "group", message: "no group '' in this cycle's scheme" }],
    });
    const scenario = await t.gql(q, { id: "" }, { as: "analyst", subject: "ann" });
    expect(scenario.body.data.ranking).toMatchObject({
      __typename: "NotFoundError",
      entity: "scenario",
      missing: "",
    });
    // Asking under a scenario, even an empty id, is an analyst's question.
    expect((await t.gql(q, { id: "" }, { as: "viewer" })).body.errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
  });
});

describe("list filters", () => {
  const refusal = (path: string, message: string) => ({ code: "VALIDATION", issues: [{ path, message }] });
  const reform = { patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } };

  it("refuse a group or unit the cycle does not have, naming the filter, instead of an empty page", async () => {
    const whatIf = (list: string) =>
      t.gql(
        `query($s: JSON) { whatIf(cycleId: "2018", scenario: $s) { ... on WhatIf { ${list} { totalCount } } } }`,
        { s: reform },
        { as: "analyst" },
      );
    const cases: [list: string, path: string, message: string][] = [
      [`units(group: "traffic")`, "group", "no group 'traffic' in this cycle's scheme"],
      [`units(group: "")`, "group", "no group '' in this cycle's scheme"],
      [`units(unitIds: ["U09", "NOPE"])`, "unitIds[1]", 'unknown unit "NOPE"'],
      [`swaps(group: "traffic")`, "group", "no group 'traffic' in this cycle's scheme"],
      [`swaps(unitId: "u09")`, "unitId", 'unknown unit "u09"'],
    ];
    for (const [list, path, message] of cases) {
      const { body } = await whatIf(list);
      expect(body.errors?.[0]?.extensions, list).toEqual(refusal(path, message));
    }
    // Repeats are one unit, and a known filter with nothing to show is an empty page.
    expect((await whatIf(`units(unitIds: ["U09", "U09"])`)).body.data.whatIf.units.totalCount).toBe(1);
    expect((await whatIf(`swaps(unitId: "U01")`)).body.errors).toBeUndefined();

    for (const field of [
      `weightSweep(cycleId: "2019", category: "organ") { ... on WeightSweep`,
      `uncertainty(cycleId: "2019", seed: 3, samples: 20) { ... on Uncertainty`,
    ]) {
      for (const [filter, path, message] of [
        [`group: " law-enforcement "`, "group", "no group ' law-enforcement ' in this cycle's scheme"],
        [`unitIds: ["U01", "U02", "__proto__"]`, "unitIds[2]", 'unknown unit "__proto__"'],
      ] as const) {
        const { body } = await t.gql(
          `{ analysis: ${field} { units(${filter}) { edges { node { unitId } } } } } }`,
          {},
          { as: "analyst" },
        );
        expect(body.errors?.[0]?.extensions, `${field} ${filter}`).toEqual(refusal(path, message));
      }
    }
  });
});

describe("Monte-Carlo draws", () => {
  it("refuse a negative offset or limit, naming it, instead of reading it as 0", async () => {
    const draws = (args: string) =>
      t.gql(
        `{ uncertainty(cycleId: "2018", seed: 3, samples: 20) { ... on Uncertainty { draws(${args}) { sample } } } }`,
        {},
        { as: "analyst" },
      );
    expect((await draws("offset: -1")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [{ path: "offset", message: "must not be negative" }],
    });
    expect((await draws("offset: 2, limit: -3")).body.errors?.[0]?.extensions).toEqual({
      code: "VALIDATION",
      issues: [{ path: "limit", message: "must not be negative" }],
    });
    // In range: as before, a page of draws, past the end empty, and at most 1,000.
    const ok = await draws("offset: 18, limit: 5");
    expect(ok.body.data.uncertainty.draws).toEqual([{ sample: 18 }, { sample: 19 }]);
  });
});

describe("scenario mutations", () => {
  const as = { as: "analyst" as const, subject: "carol" };
  const save = (input: Record<string, unknown>) =>
    t.gql(
      `mutation($i: SaveScenarioInput!) { saveScenario(input: $i) { ${ERRORS} ... on Scenario { id name patch shared } } }`,
      { i: { cycleId: "2018", ...input } },
      as,
    );

  it("shareScenario refuses shared: null, which said neither share nor un-share, and writes nothing", async () => {
    const { body } = await save({ name: "private", patch: {} });
    const id = body.data.saveScenario.id as string;
    const before = await snapshot();
    const share = await t.gql(
      `mutation($id: ID!, $s: Boolean) { shareScenario(id: $id, shared: $s) { ${ERRORS} ... on Scenario { shared } } }`,
      { id, s: null },
      as,
    );
    expect(share.body.data.shareScenario).toMatchObject({
      __typename: "ValidationError",
      issues: [{ path: "shared", message: "must be true or false (leave it out to share)" }],
    });
    expect(await snapshot()).toBe(before);
    const left = await t.gql(
      `mutation($id: ID!) { shareScenario(id: $id) { ... on Scenario { shared } } }`,
      { id },
      as,
    );
    expect(left.body.data.shareScenario).toEqual({ shared: true });
  });
});

describe("saveScenario", () => {
  it("refuses a name inside the patch, which input.name would silently replace, with every other problem", async () => {
    const before = await snapshot();
    const save = (patch: unknown) =>
      t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "named twice", patch: $p }) { ${ERRORS} } }`,
        { p: patch },
        { as: "analyst", subject: "carol" },
      );
    expect((await save({ name: "another name", patch: {} })).body.data.saveScenario).toMatchObject({
      __typename: "ValidationError",
      issues: [
        { path: "input.patch.name", message: "the scenario's name is input.name, not a key of its patch" },
      ],
    });
    const both = await save({ name: "another name", patch: { categories: { publik: { points: 50 } } } });
    expect(both.body.data.saveScenario.issues.map((i: { path: string }) => i.path)).toEqual([
      "input.patch.name",
      "input.patch.patch.categories.publik",
    ]);
    expect(await snapshot()).toBe(before);
  });
});
