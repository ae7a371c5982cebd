import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import {
  cycleWithImportedBallots,
  organBallots,
  publishCityReview,
  readExample,
} from "./imported-ballots.js";

/** city-review's 2019 rules without the organ vote: a forced move there leaves its ballots behind. */
const DROPPED = 3;
/** The 2019 rules with the organ vote secret (无记名投票). */
const SECRET = 4;

/**
 * deleteBallots: every ballot of a vote category, or one voter's in it, taken out in one audited
 * step: the ballots a forced move left behind, or a voter who should not have voted.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const organ = organBallots();
  const mayors = organ.filter((b) => b.voter === "mayor");
  let years = 2040;

  const publish = async (version: number, change: (categories: Record<string, any>[]) => void) => {
    const document = readExample("scheme-2019.json");
    change(document.categories);
    await publishCityReview(t, version, document);
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    await publish(DROPPED, (categories) => {
      categories.splice(
        categories.findIndex((c) => c.id === "organ"),
        1,
      );
    });
    await publish(SECRET, (categories) => {
      categories.find((c) => c.id === "organ")!.method.secret = true;
    });
  });
  afterAll(() => t?.close());

  /** A new open cycle with the 2019 units and its organ ballots, under `version` of city-review. */
  const cycleWithBallots = (version = 2) =>
    cycleWithImportedBallots(t, `votes-${++years}`, years, version, organ);

  const DELETE = `mutation($c: ID!, $cat: String!, $v: String, $n: Int!, $reason: String) {
    deleteBallots(cycleId: $c, category: $cat, voter: $v, expectedBallots: $n, reason: $reason) {
      __typename ... on DeletedBallots { ballots category voter cycle { id } }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
  const deleteBallots = async (
    vars: { c: string; cat: string; v?: string | null; n?: number; reason?: string },
    as: "viewer" | "analyst" | "admin" = "admin",
  ) => {
    // The count confirmed, as a client reads it before: the mayor's, or the whole vote's.
    const n = vars.n ?? (vars.v?.trim() === "mayor" ? mayors.length : organ.length);
    const r = await t.gql(DELETE, { ...vars, n }, { as });
    return r.body.errors ? { errors: r.body.errors } : r.body.data.deleteBallots;
  };
  const count = async (cycleId: string, args = "") => {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { ballots${args} { totalCount } } } }`,
      { c: cycleId },
      { as: "admin" },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.cycle.ballots.totalCount as number;
  };
  const lastEntry = async (cycleId: string) => {
    const r = await t.gql(
      `query($c: ID!) { auditLog(cycleId: $c, first: 1) { edges { node { actor action entity entityId before after reason } } } }`,
      { c: cycleId },
      { as: "admin" },
    );
    return r.body.data.auditLog.edges[0].node;
  };

  it("deletes every ballot of a category in one step, kept whole in one audit entry with its reason", async () => {
    const c = await cycleWithBallots();
    const listed = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { ballots(category: "organ", first: 2000) { edges { node { voter role unitId score } } } } } }`,
      { c },
      { as: "admin" },
    );
    const stored = listed.body.data.cycle.ballots.edges.map((e: any) => e.node);
    expect(stored).toHaveLength(organ.length);

    const reason = "the organ vote was held twice; the second sitting's ballots count";
    expect(await deleteBallots({ c, cat: " organ ", reason })).toEqual({
      __typename: "DeletedBallots",
      ballots: organ.length,
      category: "organ",
      voter: null,
      cycle: { id: c },
    });
    expect(await count(c)).toBe(0);
    const entry = await lastEntry(c);
    expect(entry).toMatchObject({
      actor: "admin-1",
      action: "delete",
      entity: "ballot",
      entityId: "organ",
      after: null,
      reason,
    });
    expect(entry.before).toMatchObject({ category: "organ", count: organ.length });
    // Each as the list read it, in its order: nothing stored is lost.
    expect(
      entry.before.ballots.map((b: any) => ({
        voter: b.voter,
        role: b.role,
        unitId: b.unit,
        score: b.score,
      })),
    ).toEqual(stored);
  });

  it("deletes only one voter's ballots of the category when the voter is named", async () => {
    const c = await cycleWithBallots();
    expect(await deleteBallots({ c, cat: "organ", v: " mayor " })).toMatchObject({
      __typename: "DeletedBallots",
      ballots: mayors.length,
      voter: "mayor",
    });
    expect(await count(c, `(voter: "mayor")`)).toBe(0);
    expect(await count(c)).toBe(organ.length - mayors.length);
    expect(await lastEntry(c)).toMatchObject({ entityId: "organ/mayor", reason: null });
    expect((await lastEntry(c)).before).toMatchObject({ voter: "mayor", count: mayors.length });
  });

  it("sends the cycle's subscribers one event", async () => {
    const c = await cycleWithBallots();
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "${c}") { cycleId reason } }`,
      "viewer",
    );
    try {
      expect(sub.status).toBe(200);
      expect((await deleteBallots({ c, cat: "organ" })).__typename).toBe("DeletedBallots");
      expect((await sub.next())?.data.rankingUpdated).toEqual({ cycleId: c, reason: "ballot" });
      expect(await sub.next(500)).toBeUndefined();
    } finally {
      sub.close();
    }
  });

  it("deletes the ballots a forced move left in a category the version drops, after which the ranking scores again", async () => {
    const ranking = async () => {
      const r = await t.gql(
        `{ ranking(cycleId: "2019") { __typename ... on ValidationError { message } } }`,
        {},
        { as: "admin" },
      );
      return r.body.data.ranking;
    };
    expect(await ranking()).toEqual({ __typename: "Ranking" });
    const refused = await t.gql(
      `mutation { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: ${DROPPED}) { __typename ... on Error { message } } }`,
      {},
      { as: "admin" },
    );
    // The advice names the write that takes the vote's ballots out in one step.
    expect(refused.body.data.setCycleScheme.message).toContain(
      `delete the ballots of "organ" first with deleteBallots(cycleId: "2019", category: "organ", expectedBallots: ${organ.length})`,
    );
    const moved = await t.gql(
      `mutation { setCycleScheme(cycleId: "2019", schemeId: "city-review", version: ${DROPPED}, force: true, reason: "organ vote abolished") { __typename } }`,
      {},
      { as: "admin" },
    );
    expect(moved.body.data.setCycleScheme).toEqual({ __typename: "Cycle" });
    expect(await ranking()).toMatchObject({ __typename: "ValidationError" });
    expect(await count("2019", `(category: "organ")`)).toBe(organ.length);

    expect(await deleteBallots({ c: "2019", cat: "organ", reason: "organ vote abolished" })).toMatchObject({
      __typename: "DeletedBallots",
      ballots: organ.length,
    });
    expect(await ranking()).toEqual({ __typename: "Ranking" });
    expect(await count("2019")).toBe(0);
  });

  it("deletes a secret vote's ballots for an admin", async () => {
    const c = await cycleWithBallots(SECRET);
    expect(await deleteBallots({ c, cat: "organ", v: "mayor" }, "analyst")).toMatchObject({
      errors: [{ extensions: { code: "FORBIDDEN" } }],
    });
    expect(await deleteBallots({ c, cat: "organ", v: "mayor" })).toMatchObject({
      __typename: "DeletedBallots",
      ballots: mayors.length,
    });
    expect(await deleteBallots({ c, cat: "organ", n: organ.length - mayors.length })).toMatchObject({
      ballots: organ.length - mayors.length,
    });
    expect(await count(c)).toBe(0);
  });

  it("refuses a viewer and an analyst, deleting nothing", async () => {
    const c = await cycleWithBallots();
    const audit = await t.lastAuditId();
    for (const as of ["viewer", "analyst"] as const) {
      const refused = await deleteBallots({ c, cat: "organ" }, as);
      expect(refused).toMatchObject({
        errors: [{ extensions: { code: "FORBIDDEN", role: as, needed: "admin" } }],
      });
    }
    expect(await count(c)).toBe(organ.length);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("refuses a finalised cycle, deleting nothing", async () => {
    const c = await cycleWithBallots();
    await t.store.cycles.finalise("test", c);
    const audit = await t.lastAuditId();
    expect(await deleteBallots({ c, cat: "organ" })).toEqual({
      __typename: "CycleFinalisedError",
      message: expect.stringMatching(
        new RegExp(`^cycle '${c}' is finalised \\(at .+\\) and cannot be changed`),
      ),
    });
    expect(await count(c)).toBe(organ.length);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("refuses to delete nothing, naming the argument to correct, and changes nothing", async () => {
    const c = await cycleWithBallots();
    const audit = await t.lastAuditId();
    expect(await deleteBallots({ c, cat: "orgn" })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "category",
          message: `cycle '${c}' has no ballots in category "orgn", so none was deleted; did you mean "organ"? Its ballots are in "organ"`,
        },
      ],
    });
    expect(await deleteBallots({ c, cat: "organ", v: "mayr" })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "voter",
          message: `voter "mayr" has no ballot in category "organ" of cycle '${c}', so none was deleted`,
        },
      ],
    });
    for (const [vars, path] of [
      [{ c, cat: " " }, "category"],
      [{ c, cat: "organ", v: "" }, "voter"],
      [{ c, cat: "organ", reason: "?" }, "reason"],
    ] as const)
      expect(await deleteBallots(vars)).toMatchObject({ __typename: "ValidationError", issues: [{ path }] });
    expect(await deleteBallots({ c: "no-such-cycle", cat: "organ" })).toMatchObject({
      __typename: "NotFoundError",
    });
    expect(await count(c)).toBe(organ.length);
    expect(await t.lastAuditId()).toBe(audit);
  });
  it("deletes nothing unless the cycle holds the count confirmed, and needs one", async () => {
    const c = await cycleWithBallots();
    const audit = await t.lastAuditId();
    // A voter left out of what was meant as one voter's delete: the whole vote's count differs.
    expect(await deleteBallots({ c, cat: "organ", n: mayors.length })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "expectedBallots",
          message: `cycle '${c}' holds ${organ.length} ballots of "organ", not ${mayors.length}: none was deleted; read the count again (Cycle.ballotCategories, or ballots' totalCount) and confirm it`,
        },
      ],
    });
    const unconfirmed = await t.gql(
      `mutation($c: ID!) { deleteBallots(cycleId: $c, category: "organ") { __typename } }`,
      { c },
      { as: "admin" },
    );
    expect(unconfirmed.body.errors?.[0]?.message).toMatch(/expectedBallots/);
    expect(await count(c)).toBe(organ.length);
    expect(await t.lastAuditId()).toBe(audit);
  });
});
