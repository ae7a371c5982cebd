import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cost, MAX_SCHEME_CATEGORIES, WORK_PER_REQUEST } from "../src/limits.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { importUnitsAndScores } from "./imported-cycle.js";

const UNITS = 400;

/**
 * Evaluating a scheme the caller sent (a preview), a cycle under another version (setCycleScheme's
 * check) or under a saved scenario costs work per category of each unit: a draft with thousands
 * of categories must be refused before it ties up the server, not after.
 */
describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const admin = { as: "admin" as const };

  /** Scheme `wide` with c0 (100 points, scored for every unit) and `zeros` more categories at 0 points. */
  const wide = (zeros: number) => ({
    id: "wide",
    version: 1,
    name: "wide",
    categories: [
      { id: "c0", name: "c0", points: 100, method: { kind: "direct", outOf: 100 } },
      ...Array.from({ length: zeros }, (_, i) => ({
        id: `z${i + 1}`,
        name: `z${i + 1}`,
        points: 0,
        method: { kind: "direct", outOf: 100 },
      })),
    ],
    groups: [{ id: "g", name: "all", ranked: true }],
  });

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend });
    await t.store.schemes.publish("test", {
      schemeId: "wide",
      basedOn: null,
      document: wide(0),
      reason: "t",
    });
    // Stored without the gateway, as a version published before its limit on categories was.
    await t.store.schemes.publish("test", {
      schemeId: "wide",
      basedOn: 1,
      document: { ...wide(12_000), version: 2 },
      reason: "t",
    });
    await t.store.schemes.publish("test", {
      schemeId: "wide",
      basedOn: 2,
      document: { ...wide(MAX_SCHEME_CATEGORIES - 1), version: 3 },
      reason: "t",
    });
    for (const id of ["wide", "wide-forced"]) {
      await t.store.cycles.create("test", { id, year: 2024, name: id, schemeId: "wide", schemeVersion: 1 });
      const units = Array.from({ length: UNITS }, (_, i) => ({ id: `U${i}`, name: `U${i}`, group: "g" }));
      const scores = units.map((u, i) => ({ unit: u.id, category: "c0", value: String(40 + (i % 60)) }));
      await importUnitsAndScores(t.store, id, units, scores);
    }
  }, 120_000);
  afterAll(() => t?.close());

  const publish = async (document: unknown) =>
    (
      await t.gql(
        `mutation($i: PublishSchemeInput!) { publishSchemeVersion(input: $i) {
          __typename ... on SchemeVersion { version } ... on ValidationError { issues { path message } } } }`,
        { i: { schemeId: "wide", basedOn: 3, document, reason: "wider" } },
        admin,
      )
    ).body.data.publishSchemeVersion;
  const preview = async (document: unknown) =>
    (
      await t.gql(
        `mutation($d: JSON!) { previewSchemeImpact(cycleId: "wide", document: $d) {
          __typename ... on RankMovements { maximum { after } } ... on ValidationError { issues { path message } } } }`,
        { d: document },
        admin,
      )
    ).body.data.previewSchemeImpact;
  const move = async (cycleId: string, version: number, force = false) =>
    (
      await t.gql(
        `mutation($c: ID!, $v: Int!, $f: Boolean, $r: String) { setCycleScheme(cycleId: $c, schemeId: "wide", version: $v, force: $f, reason: $r) {
          __typename ... on Cycle { schemeVersion } ... on ValidationError { issues { path message } } } }`,
        { c: cycleId, v: version, f: force, r: force ? "too large to check in one request" : null },
        admin,
      )
    ).body.data.setCycleScheme;
  const estimate = (amount: number) =>
    `(estimated ${amount.toLocaleString("en")} work units, ${WORK_PER_REQUEST.toLocaleString("en")} left of ${WORK_PER_REQUEST.toLocaleString("en")})`;

  describe(`a scheme document has at most ${MAX_SCHEME_CATEGORIES} categories`, () => {
    const tooMany = {
      path: "categories",
      message: `has ${(MAX_SCHEME_CATEGORIES + 1).toLocaleString("en")} categories; a scheme may have at most ${MAX_SCHEME_CATEGORIES}`,
    };

    it("publish refuses one more, at input.document.categories, and writes nothing", async () => {
      const audit = await t.lastAuditId();
      expect(await publish(wide(MAX_SCHEME_CATEGORIES))).toEqual({
        __typename: "ValidationError",
        issues: [{ ...tooMany, path: "input.document.categories" }],
      });
      expect(await t.lastAuditId()).toBe(audit);
      expect((await t.store.schemes.get("wide")).version).toBe(3);
    });

    it("the preview refuses it at document.categories", async () => {
      expect(await preview(wide(MAX_SCHEME_CATEGORIES))).toEqual({
        __typename: "ValidationError",
        issues: [{ ...tooMany, path: "document.categories" }],
      });
    });

    it(`publish accepts ${MAX_SCHEME_CATEGORIES}`, async () => {
      const document = wide(MAX_SCHEME_CATEGORIES - 1);
      document.categories[1]!.points = 1;
      expect(await publish(document)).toEqual({ __typename: "SchemeVersion", version: 4 });
    });
  });

  describe("a preview is priced by units × categories", () => {
    it("refuses a draft whose categories over the cycle's units exceed the budget, before scoring it", async () => {
      const categories = MAX_SCHEME_CATEGORIES;
      const amount = cost.evaluation(UNITS, categories);
      expect(amount).toBeGreaterThan(WORK_PER_REQUEST); // 400 units × 100 categories
      expect(await preview(wide(categories - 1))).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "document",
            message: `this preview is too large for one request ${estimate(amount)}: ask for less, or split it over several requests`,
          },
        ],
      });
    });

    it("runs one that fits", async () => {
      const fits = Math.floor(WORK_PER_REQUEST / cost.evaluation(UNITS, 1));
      expect(fits).toBeGreaterThan(10);
      expect(await preview(wide(fits - 1))).toEqual({
        __typename: "RankMovements",
        maximum: { after: "100" },
      });
    });
  });

  describe("setCycleScheme's check is priced by both versions' categories", () => {
    it("refuses a version of 12,001 categories at once, saying force: true skips the check", async () => {
      const audit = await t.lastAuditId();
      const amount = cost.evaluation(UNITS, 12_001) + cost.evaluation(UNITS, 1);
      expect(await move("wide", 2)).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "version",
            message: `checking the records under scheme wide v2 is too large for one request ${estimate(amount)}: pass force: true, with a reason, to move the cycle without the check`,
          },
        ],
      });
      expect(await t.lastAuditId()).toBe(audit);
      expect((await t.store.cycles.get("wide")).schemeVersion).toBe(1);
    });

    it(`refuses one of ${MAX_SCHEME_CATEGORIES} over ${UNITS} units too; force: true moves without the check`, async () => {
      expect(await move("wide-forced", 3)).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "version", message: expect.stringContaining("too large for one request") }],
      });
      expect(await move("wide-forced", 3, true)).toEqual({ __typename: "Cycle", schemeVersion: 3 });
    });
  });

  it("names scenarioId, not scenario, when a what-if under a saved scenario is over the budget", async () => {
    const many = 2_400;
    await t.store.cycles.create("test", {
      id: "many",
      year: 2024,
      name: "many",
      schemeId: "wide",
      schemeVersion: 1,
    });
    const units = Array.from({ length: many }, (_, i) => ({ id: `U${i}`, name: `U${i}`, group: "g" }));
    const scores = units.map((u, i) => ({ unit: u.id, category: "c0", value: String(40 + (i % 60)) }));
    await importUnitsAndScores(t.store, "many", units, scores);
    const analyst = { as: "analyst" as const, subject: "ann" };
    const saved = await t.gql(
      `mutation { saveScenario(input: { cycleId: "many", name: "c0 at 90", patch: { patch: { categories: { c0: { points: 90 } } } } }) {
        ... on Scenario { id } } }`,
      {},
      analyst,
    );
    // Fifteen what-ifs of 2,400 units each cost more than one request's work.
    const runs = Array.from(
      { length: 15 },
      (_, i) =>
        `w${i}: whatIf(cycleId: "many", scenarioId: $id) { __typename ... on ValidationError { issues { path } } }`,
    );
    const r = await t.gql(
      `query($id: ID!) { ${runs.join(" ")} }`,
      { id: saved.body.data.saveScenario.id },
      analyst,
    );
    const refused = Object.values(
      r.body.data as Record<string, { __typename: string; issues?: unknown }>,
    ).filter((w) => w.__typename === "ValidationError");
    expect(refused.length).toBeGreaterThan(0);
    for (const w of refused) expect(w.issues).toEqual([{ path: "scenarioId" }]);
  });

  describe("a ranking under a saved scenario is priced by the cycle's categories", () => {
    it(`refuses one on ${UNITS} units × ${MAX_SCHEME_CATEGORIES} categories`, async () => {
      const analyst = { as: "analyst" as const, subject: "ann" };
      const saved = await t.gql(
        `mutation { saveScenario(input: { cycleId: "wide-forced", name: "c0 at 90", patch: { patch: { categories: { c0: { points: 90 } } } } }) {
          __typename ... on Scenario { id } } }`,
        {},
        analyst,
      );
      expect(saved.body.data.saveScenario.__typename).toBe("Scenario");
      const r = await t.gql(
        `query($id: ID!) { ranking(cycleId: "wide-forced", scenarioId: $id) { __typename ... on ValidationError { issues { path message } } } }`,
        { id: saved.body.data.saveScenario.id },
        analyst,
      );
      expect(r.body.data.ranking).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "scenarioId",
            message: `this ranking under a scenario is too large for one request ${estimate(cost.evaluation(UNITS, MAX_SCHEME_CATEGORIES))}: ask for less, or split it over several requests`,
          },
        ],
      });
    });
  });
});
