import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import {
  type CsvSurveyForm,
  cycleWithImportedBallots,
  importSurveyForms,
  seededSurveyForms,
} from "./imported-ballots.js";

/**
 * deleteSurveyForms: every survey form of a category, or a unit's or a respondent group's in it,
 * taken out in one audited step: a unit that filled in its own (刷票), a group collected wrongly.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  /** The seed's forms of four units, loaded by one import into each new cycle. */
  const FORMS = seededSurveyForms(["U01", "U02", "U03", "U04"]);
  let years = 2050;

  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  /** A new open cycle with the 2019 units and FORMS, loaded by the import `<cycle>-forms`. */
  const cycleWithForms = async () => {
    const c = await cycleWithImportedBallots(t, `forms-${++years}`, years, 2, []);
    await importSurveyForms(t, c, FORMS);
    return c;
  };
  const formsOf = (f: Partial<CsvSurveyForm>) =>
    FORMS.filter(
      (x) =>
        (f.unit === undefined || x.unit === f.unit) &&
        (f.respondentGroup === undefined || x.respondentGroup === f.respondentGroup),
    ).length;

  const DELETE = `mutation($c: ID!, $cat: String!, $u: ID, $g: String, $n: Int!, $reason: String) {
    deleteSurveyForms(cycleId: $c, category: $cat, unitId: $u, respondentGroup: $g, expectedForms: $n, reason: $reason) {
      __typename ... on DeletedSurveyForms { forms category unitId respondentGroup cycle { id } }
      ... on ValidationError { issues { path message } } ... on Error { message } } }`;
  const deleteForms = async (
    vars: { c: string; cat: string; u?: string | null; g?: string | null; n?: number; reason?: string },
    as: "viewer" | "analyst" | "admin" = "admin",
  ) => {
    // The count confirmed, as a client reads it before: of FORMS, the unit's and group's named.
    const n =
      vars.n ?? formsOf({ unit: vars.u?.trim() ?? undefined, respondentGroup: vars.g?.trim() ?? undefined });
    const r = await t.gql(DELETE, { ...vars, n }, { as });
    return r.body.errors ? { errors: r.body.errors } : r.body.data.deleteSurveyForms;
  };
  /** surveyTallies' formCount and totalCount, with `args` as its filters. */
  const counted = async (cycleId: string, args = "") => {
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { surveyTallies${args} { formCount totalCount } } } }`,
      { c: cycleId },
      { as: "viewer" },
    );
    expect(r.body.errors).toBeUndefined();
    return r.body.data.cycle.surveyTallies as { formCount: number; totalCount: number };
  };
  const lastEntry = async (cycleId: string) => {
    const r = await t.gql(
      `query($c: ID!) { auditLog(cycleId: $c, first: 1) { edges { node { actor action entity entityId before after reason } } } }`,
      { c: cycleId },
      { as: "admin" },
    );
    return r.body.data.auditLog.edges[0].node;
  };

  it("counts the forms a filter of surveyTallies finds, on every page together", async () => {
    const c = await cycleWithForms();
    const r = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { surveyTallies(category: "public", first: 2000) {
        formCount totalCount edges { node { count } } } } } }`,
      { c },
      { as: "viewer" },
    );
    const tallies = r.body.data.cycle.surveyTallies;
    expect(tallies.formCount).toBe(FORMS.length);
    expect(tallies.edges.reduce((n: number, e: any) => n + e.node.count, 0)).toBe(FORMS.length);
    expect(tallies.totalCount).toBe(tallies.edges.length);
    // On a page of one tally, still every page's forms.
    expect((await counted(c, `(first: 1)`)).formCount).toBe(FORMS.length);
    expect((await counted(c, `(unitId: "U02", respondentGroup: "residents")`)).formCount).toBe(
      formsOf({ unit: "U02", respondentGroup: "residents" }),
    );
  });

  it("deletes every form of a category in one step, kept as tallies in one audit entry with its reason", async () => {
    const c = await cycleWithForms();
    const listed = await t.gql(
      `query($c: ID!) { cycle(id: $c) { ... on Cycle { surveyTallies(category: "public", first: 2000) { edges { node { unitId respondentGroup answer count } } } } } }`,
      { c },
      { as: "viewer" },
    );
    const stored = listed.body.data.cycle.surveyTallies.edges.map((e: any) => e.node);

    const reason = "the units handed out and collected their own forms";
    expect(await deleteForms({ c, cat: " public ", reason })).toEqual({
      __typename: "DeletedSurveyForms",
      forms: FORMS.length,
      category: "public",
      unitId: null,
      respondentGroup: null,
      cycle: { id: c },
    });
    expect(await counted(c)).toEqual({ formCount: 0, totalCount: 0 });
    const entry = await lastEntry(c);
    expect(entry).toMatchObject({
      actor: "admin-1",
      action: "delete",
      entity: "survey_forms",
      entityId: "public",
      after: null,
      reason,
    });
    expect(entry.before).toMatchObject({ category: "public", count: FORMS.length });
    // Every form, as surveyTallies counted them, in its order, with the import that loaded them.
    expect(entry.before.tallies.map((x: any) => x.importId)).toEqual(stored.map(() => `${c}-forms`));
    expect(
      entry.before.tallies.map((x: any) => ({
        unitId: x.unit,
        respondentGroup: x.respondentGroup,
        answer: x.answer,
        count: x.count,
      })),
    ).toEqual(stored);
  });

  it("deletes only a unit's forms, a respondent group's, or a unit's of one group", async () => {
    const c = await cycleWithForms();
    const u02 = formsOf({ unit: "U02" });
    expect(await deleteForms({ c, cat: "public", u: " U02 " })).toMatchObject({
      __typename: "DeletedSurveyForms",
      forms: u02,
      unitId: "U02",
      respondentGroup: null,
    });
    expect((await counted(c, `(unitId: "U02")`)).formCount).toBe(0);
    expect((await counted(c)).formCount).toBe(FORMS.length - u02);
    expect(await lastEntry(c)).toMatchObject({ entityId: "public", reason: null });
    expect((await lastEntry(c)).before).toMatchObject({ unit: "U02", count: u02 });

    const deputies =
      formsOf({ respondentGroup: "deputies" }) - formsOf({ unit: "U02", respondentGroup: "deputies" });
    expect(await deleteForms({ c, cat: "public", g: "deputies", n: deputies })).toMatchObject({
      forms: deputies,
      unitId: null,
      respondentGroup: "deputies",
    });
    expect((await counted(c, `(respondentGroup: "deputies")`)).formCount).toBe(0);

    const mine = formsOf({ unit: "U01", respondentGroup: "residents" });
    expect(await deleteForms({ c, cat: "public", u: "U01", g: "residents" })).toMatchObject({
      forms: mine,
      unitId: "U01",
      respondentGroup: "residents",
    });
    const { before } = await lastEntry(c);
    expect(before).toMatchObject({
      category: "public",
      unit: "U01",
      respondentGroup: "residents",
      count: mine,
    });
    // What the entry names once is on no tally.
    for (const tally of before.tallies)
      expect(Object.keys(tally).sort()).toEqual(["answer", "count", "importId"]);
    expect(before.tallies.reduce((n: number, x: any) => n + x.count, 0)).toBe(mine);
    expect((await counted(c, `(unitId: "U01")`)).formCount).toBe(
      formsOf({ unit: "U01" }) - mine - formsOf({ unit: "U01", respondentGroup: "deputies" }),
    );
  });

  it("sends the cycle's subscribers one event", async () => {
    const c = await cycleWithForms();
    const sub = await t.subscribe(
      `subscription { rankingUpdated(cycleId: "${c}") { cycleId reason } }`,
      "viewer",
    );
    try {
      expect(sub.status).toBe(200);
      expect((await deleteForms({ c, cat: "public", u: "U03" })).__typename).toBe("DeletedSurveyForms");
      expect((await sub.next())?.data.rankingUpdated).toEqual({ cycleId: c, reason: "survey-form" });
      expect(await sub.next(500)).toBeUndefined();
    } finally {
      sub.close();
    }
  });

  it("deletes forms not from an import, which the ranking then no longer reads, and deleteCycle names it", async () => {
    const publicOf = async (unitId: string) => {
      const r = await t.gql(
        `query($u: ID!) { scoreBreakdown(cycleId: "2019", unitId: $u) { ... on UnitResult {
          total categories { category points details { key value } } } } }`,
        { u: unitId },
        { as: "viewer" },
      );
      const result = r.body.data.scoreBreakdown;
      return { total: result.total, public: result.categories.find((x: any) => x.category === "public") };
    };
    const residents = seededSurveyForms().filter(
      (f) => f.unit === "U05" && f.respondentGroup === "residents",
    ).length;
    expect(residents).toBeGreaterThan(0);
    expect((await counted("2019", `(unitId: "U05", respondentGroup: "residents")`)).formCount).toBe(
      residents,
    );
    const before = await publicOf("U05");
    const other = await publicOf("U06");

    expect(
      await deleteForms({ c: "2019", cat: "public", u: "U05", g: "residents", n: residents, reason: "刷票" }),
    ).toMatchObject({ __typename: "DeletedSurveyForms", forms: residents });
    const after = await publicOf("U05");
    expect(after.public.points).not.toBe(before.public.points);
    expect(after.public.details).not.toEqual(before.public.details);
    expect(after.total).not.toBe(before.total);
    expect(await publicOf("U06")).toEqual(other);
    // Not from an import: no importId on the tallies.
    const { before: deleted } = await lastEntry("2019");
    expect(deleted.tallies.every((x: any) => !("importId" in x))).toBe(true);

    const held = await t.gql(
      `mutation { deleteCycle(cycleId: "2019") { __typename ... on ValidationError { issues { path message } } } }`,
      {},
      { as: "admin" },
    );
    expect(held.body.data.deleteCycle.issues[0].message).toContain(
      `; ${seededSurveyForms().length - residents} survey forms not from an import, deleted with deleteSurveyForms (a category's, or a unit's or a respondent group's in it, at once)`,
    );
  });

  it("refuses a viewer and an analyst, deleting nothing", async () => {
    const c = await cycleWithForms();
    const audit = await t.lastAuditId();
    for (const as of ["viewer", "analyst"] as const) {
      const refused = await deleteForms({ c, cat: "public" }, as);
      expect(refused).toMatchObject({
        errors: [{ extensions: { code: "FORBIDDEN", role: as, needed: "admin" } }],
      });
    }
    expect((await counted(c)).formCount).toBe(FORMS.length);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("refuses a finalised cycle, deleting nothing", async () => {
    const c = await cycleWithForms();
    await t.store.cycles.finalise("test", c);
    const audit = await t.lastAuditId();
    expect(await deleteForms({ c, cat: "public" })).toEqual({
      __typename: "CycleFinalisedError",
      message: expect.stringMatching(
        new RegExp(`^cycle '${c}' is finalised \\(at .+\\) and cannot be changed`),
      ),
    });
    expect((await counted(c)).formCount).toBe(FORMS.length);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("refuses to delete nothing, naming the argument to correct, and changes nothing", async () => {
    const c = await cycleWithForms();
    const audit = await t.lastAuditId();
    expect(await deleteForms({ c, cat: "pubic" })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "category",
          message: `cycle '${c}' has no survey forms in category "pubic", so none was deleted; did you mean "public"? Its survey forms are in "public"`,
        },
      ],
    });
    expect(await deleteForms({ c, cat: "public", u: "U09", n: 1 })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "unitId",
          message: `unit "U09" has no survey forms in category "public" of cycle '${c}', so none was deleted`,
        },
      ],
    });
    expect(await deleteForms({ c, cat: "public", u: "U99", n: 1 })).toMatchObject({
      issues: [
        {
          path: "unitId",
          message: expect.stringMatching(/, so none was deleted: the cycle has no such unit$/),
        },
      ],
    });
    expect(await deleteForms({ c, cat: "public", u: "U01", g: "resident", n: 1 })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "respondentGroup",
          message: `respondent group "resident" has no survey forms for unit "U01" in category "public" of cycle '${c}', so none was deleted; did you mean "residents"? Its forms there are of "deputies", "enterprises", "residents", "service-recipients"`,
        },
      ],
    });
    for (const [vars, path] of [
      [{ c, cat: " " }, "category"],
      [{ c, cat: "public", u: "" }, "unitId"],
      [{ c, cat: "public", g: " " }, "respondentGroup"],
      [{ c, cat: "public", reason: "?" }, "reason"],
    ] as const)
      expect(await deleteForms(vars)).toMatchObject({ __typename: "ValidationError", issues: [{ path }] });
    expect(await deleteForms({ c: "no-such-cycle", cat: "public" })).toMatchObject({
      __typename: "NotFoundError",
    });
    expect((await counted(c)).formCount).toBe(FORMS.length);
    expect(await t.lastAuditId()).toBe(audit);
  });

  it("deletes nothing unless the cycle holds the count confirmed, and needs one", async () => {
    const c = await cycleWithForms();
    const audit = await t.lastAuditId();
    // A unit left out of what was meant as one unit's delete: the whole category's count differs.
    const u01 = formsOf({ unit: "U01" });
    expect(await deleteForms({ c, cat: "public", n: u01 })).toMatchObject({
      __typename: "ValidationError",
      issues: [
        {
          path: "expectedForms",
          message: `cycle '${c}' holds ${FORMS.length.toLocaleString("en")} survey forms of "public", not ${u01}: none was deleted; read the count again (surveyTallies' formCount, with the same category, unitId and respondentGroup) and confirm it`,
        },
      ],
    });
    const unconfirmed = await t.gql(
      `mutation($c: ID!) { deleteSurveyForms(cycleId: $c, category: "public") { __typename } }`,
      { c },
      { as: "admin" },
    );
    expect(unconfirmed.body.errors?.[0]?.message).toMatch(/expectedForms/);
    expect((await counted(c)).formCount).toBe(FORMS.length);
    expect(await t.lastAuditId()).toBe(audit);
  });
});
