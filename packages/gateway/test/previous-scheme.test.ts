import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { cycleWithImportedBallots, publishCityReview, readExample } from "./imported-ballots.js";

/** city-review's 2019 rules with business worth 40 points, not 30: a maximum of its own. */
const RAISED = 3;

/**
 * Cycle.previousScheme: setCycleScheme's answer says the version the cycle left and its maximum
 * beside the new one, so the administrator sees what the move changed.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  let years = 2080;

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const document = readExample("scheme-2019.json");
    document.categories.find((c: { id: string }) => c.id === "business").points = 40;
    await publishCityReview(t, RAISED, document);
  });
  afterAll(() => t?.close());

  const SCHEMES = "schemeVersion scheme { version maximum } previousScheme { schemeId version maximum }";
  const move = async (c: string, version: number) => {
    const r = await t.gql(
      `mutation($c: ID!, $v: Int!) { setCycleScheme(cycleId: $c, schemeId: "city-review", version: $v) {
        __typename ... on Cycle { ${SCHEMES} } ... on Error { message } } }`,
      { c, v: version },
      { as: "admin" },
    );
    return r.body.data.setCycleScheme;
  };

  it("answers a move with the version left and its maximum beside the new one", async () => {
    const c = await cycleWithImportedBallots(t, `moved-${++years}`, years, 2, []);
    const read = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { ${SCHEMES} } } }`,
      { c },
      { as: "viewer" },
    );
    // Never moved: nothing to compare with.
    expect(read.body.data.cycle).toMatchObject({ schemeVersion: 2, previousScheme: null });
    const v2 = read.body.data.cycle.scheme.maximum;

    const raised = await move(c, RAISED);
    expect(raised).toMatchObject({
      __typename: "Cycle",
      schemeVersion: RAISED,
      previousScheme: { schemeId: "city-review", version: 2, maximum: v2 },
    });
    expect(Number(raised.scheme.maximum) - Number(v2)).toBe(10);

    // Back again: the version left is RAISED's; a move to where it is changes nothing.
    expect(await move(c, 2)).toMatchObject({
      schemeVersion: 2,
      previousScheme: { version: RAISED, maximum: raised.scheme.maximum },
    });
    expect(await move(c, 2)).toMatchObject({ schemeVersion: 2, previousScheme: { version: RAISED } });
  });

  it("answers each of two moves in one document with the version that move left", async () => {
    const c = await cycleWithImportedBallots(t, `moved-${++years}`, years, 2, []);
    const twice = await t.gql(
      `mutation($c: ID!) {
        a: setCycleScheme(cycleId: $c, schemeId: "city-review", version: ${RAISED}) { ... on Cycle { ${SCHEMES} } }
        b: setCycleScheme(cycleId: $c, schemeId: "city-review", version: 2) { ... on Cycle { ${SCHEMES} } } }`,
      { c },
      { as: "admin" },
    );
    expect(twice.body.data.a).toMatchObject({ schemeVersion: RAISED, previousScheme: { version: 2 } });
    expect(twice.body.data.b).toMatchObject({ schemeVersion: 2, previousScheme: { version: RAISED } });
  });

  it("is null when the latest move's audit entry names no version (a database edited by hand)", async () => {
    const c = await cycleWithImportedBallots(t, `moved-${++years}`, years, 2, []);
    await move(c, RAISED);
    await t.store.db.query(
      `INSERT INTO audit_log (actor, action, entity, entity_id, cycle_id, before, after)
       VALUES ('test', 'set-scheme', 'cycle', $1, $1, $2::jsonb, $3::jsonb)`,
      [
        c,
        JSON.stringify({ schemeId: "city-review", schemeVersion: null }),
        JSON.stringify({ schemeId: "city-review", schemeVersion: RAISED }),
      ],
    );
    const read = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { schemeVersion previousScheme { version } } } }`,
      { c },
      { as: "viewer" },
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.cycle).toEqual({ schemeVersion: RAISED, previousScheme: null });
  });

  it("is null for a cycle created again under the id of one that was moved", async () => {
    const c = await cycleWithImportedBallots(t, `moved-${++years}`, years, 2, []);
    expect((await move(c, RAISED)).previousScheme).toMatchObject({ version: 2 });
    const deleted = await t.gql(
      `mutation($c: ID!) { deleteCycle(cycleId: $c) { __typename ... on Error { message } } }`,
      { c },
      { as: "admin" },
    );
    expect(deleted.body.data.deleteCycle).toEqual({ __typename: "DeletedCycle" });
    await cycleWithImportedBallots(t, c, years, 2, []);
    const read = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { previousScheme { version } } } }`,
      { c },
      { as: "viewer" },
    );
    expect(read.body.data.cycle).toEqual({ previousScheme: null });
  });
});
