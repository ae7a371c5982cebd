import { readFileSync } from "node:fs";
import { cmp, createBaseline, monteCarlo, parseDecimal, ratio, samplerDefaults, sub } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  body.errors?.[0]?.extensions?.code;

/** The seed year's reform: public evaluation 40 → 50, organ construction 30 → 20. */
const reform = {
  name: "2019 reform",
  description: "public evaluation 40 → 50, organ construction 30 → 20",
  patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
};

const WHAT_IF = `query($c: ID!, $s: JSON, $id: ID, $units: [ID!]) {
  whatIf(cycleId: $c, scenario: $s, scenarioId: $id) {
    __typename
    ... on WhatIf {
      name description scenarioId schemeVersion recomputedCategories stageTwo swapCount
      units(unitIds: $units) { edges { node {
        unitId name totalDelta rankDelta
        baseline { total rank grade gradeName eligibleForExcellence }
        scenario { total rank grade gradeName eligibleForExcellence }
        parts { part kind name baseline scenario delta }
      } } }
      moved: units(movedOnly: true, first: 3) { totalCount edges { node { unitId rankDelta } } }
      all: units(first: 1) { totalCount }
      swaps(unitId: "U09") { totalCount edges { node { group overtakerId overtakenId overtaker { name } } } }
      gradeChanges { totalCount edges { node { unitId from to } } }
      eligibilityChanges { totalCount edges { node { unitId excellenceBefore excellenceAfter } } }
      groups { group units spearman kendallTauB meanAbsoluteRankShift unitsMoved }
      overall { group units spearman kendallTauB meanAbsoluteRankShift unitsMoved }
    }
    ... on ValidationError { code issues { path message } }
    ... on NotFoundError { code entity id }
  }
}`;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  describe("whatIf", () => {
    it("gives no agreement statistics for a cycle with no units to compare, overall as per group", async () => {
      await t.store.cycles.create("test", {
        id: "no-units",
        year: 2031,
        name: "no units yet",
        schemeId: "city-review",
        schemeVersion: 1,
      });
      const { body } = await t.gql(
        `query($s: JSON) { whatIf(cycleId: "no-units", scenario: $s) { ... on WhatIf {
          groups { group units spearman kendallTauB meanAbsoluteRankShift unitsMoved }
          overall { group units spearman kendallTauB meanAbsoluteRankShift unitsMoved } } } }`,
        { s: reform },
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const none = {
        units: 0,
        spearman: null,
        kendallTauB: null,
        meanAbsoluteRankShift: null,
        unitsMoved: 0,
      };
      expect(body.data.whatIf.overall).toEqual({ group: null, ...none });
      expect(body.data.whatIf.groups.length).toBeGreaterThan(0);
      for (const g of body.data.whatIf.groups) expect(g).toMatchObject(none);
    });

    it("re-scores the seed reform on 2018: 市市场监督管理局 84.20 → 82.94, with the moves explained", async () => {
      const { body } = await t.gql(WHAT_IF, { c: "2018", s: reform, units: ["U09"] }, { as: "analyst" });
      expect(body.errors).toBeUndefined();
      const w = body.data.whatIf;
      expect(w).toMatchObject({
        __typename: "WhatIf",
        name: "2019 reform",
        description: "public evaluation 40 → 50, organ construction 30 → 20",
        scenarioId: null,
        schemeVersion: 1,
        recomputedCategories: [],
      });
      const u = w.units.edges[0].node;
      expect(u).toMatchObject({
        unitId: "U09",
        name: "市市场监督管理局",
        baseline: { total: "84.20", rank: 9, grade: "excellent" },
        scenario: { total: "82.94", rank: 10, grade: "good" },
        rankDelta: 1,
      });
      // Why it moved: organ lost weight, public (its weakest category) gained it; the parts sum to the change.
      const parts = Object.fromEntries(
        u.parts.map((p: { part: string; delta: string }) => [p.part, p.delta]),
      );
      expect(parts).toMatchObject({ business: "0", organ: "-8.98", public: "7.72" });
      expect(u.parts.find((p: { part: string }) => p.part === "organ").kind).toBe("CATEGORY");
      const sum = u.parts.reduce((a: number, p: { delta: string }) => a + Number(p.delta) * 100, 0);
      expect(Math.round(sum)).toBe(Math.round(Number(u.totalDelta) * 100));
      expect(Number(u.totalDelta)).toBeLessThan(0);
      // What an analyst reads out to the mayor: each part on both sides, under its name.
      expect(u.parts).toEqual([
        {
          part: "business",
          kind: "CATEGORY",
          name: "业务工作 business work",
          baseline: "26.4",
          scenario: "26.4",
          delta: "0",
        },
        {
          part: "organ",
          kind: "CATEGORY",
          name: "机关建设 organ construction",
          baseline: "26.94",
          scenario: "17.96",
          delta: "-8.98",
        },
        {
          part: "public",
          kind: "CATEGORY",
          name: "开门评议 public evaluation",
          baseline: "30.86",
          scenario: "38.58",
          delta: "7.72",
        },
        {
          part: "bonus",
          kind: "ADJUSTMENT",
          name: "bonuses on the total",
          baseline: "0",
          scenario: "0",
          delta: "0",
        },
        {
          part: "total-deductions",
          kind: "ADJUSTMENT",
          name: "deductions from the total",
          baseline: "0",
          scenario: "0",
          delta: "0",
        },
        {
          part: "total-rounding-and-floor",
          kind: "ADJUSTMENT",
          name: "roll-ups, the total's floor at zero and rounding",
          baseline: "0",
          scenario: "0",
          delta: "0",
        },
      ]);
      expect([u.baseline.gradeName, u.scenario.gradeName]).toEqual(["优秀 excellent", "良好 good"]);

      // Who overtook whom, and what the ranking as a whole did.
      expect(w.swapCount).toBeGreaterThan(0);
      expect(w.swaps.edges.map((e: any) => e.node)).toContainEqual({
        group: "law-enforcement",
        overtakerId: "U26",
        overtakenId: "U09",
        overtaker: { name: expect.any(String) },
      });
      expect(w.gradeChanges.edges.map((e: any) => e.node)).toContainEqual({
        unitId: "U09",
        from: "excellent",
        to: "good",
      });
      expect(w.gradeChanges.totalCount).toBe(w.gradeChanges.edges.length);
      expect(w.moved.edges.length).toBe(3);
      // Counts span every page: all 29 units; the moved ones are a subset; U09's swaps all listed.
      expect(w.all.totalCount).toBe(29);
      expect(w.moved.totalCount).toBeGreaterThan(3);
      expect(w.moved.totalCount).toBeLessThanOrEqual(29);
      expect(w.swaps.totalCount).toBe(w.swaps.edges.length);
      expect(Math.abs(w.moved.edges[0].node.rankDelta)).toBeGreaterThanOrEqual(
        Math.abs(w.moved.edges[2].node.rankDelta),
      );
      expect(w.groups).toHaveLength(1);
      const g = w.groups[0];
      expect(g).toMatchObject({ group: "law-enforcement", units: 29 });
      expect(g.spearman).toBeGreaterThan(0.9);
      expect(g.spearman).toBeLessThan(1);
      expect(g.kendallTauB).toBeGreaterThan(0.7);
      expect(g.meanAbsoluteRankShift).toBeGreaterThan(0);
      expect(g.unitsMoved).toBeGreaterThan(0);
      expect(w.overall).toMatchObject({ group: null, units: 29 });
    });

    it("pages the grade changes one at a time, and a page's cursor is for its own list", async () => {
      const PAGE = `query($s: JSON, $after: String) { whatIf(cycleId: "2018", scenario: $s) { ... on WhatIf {
        gradeChanges(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { unitId from to } } }
        all: gradeChanges(first: 100) { edges { node { unitId from to } } } } } }`;
      const page = async (after: string | null) => {
        const { body } = await t.gql(PAGE, { s: reform, after }, { as: "analyst" });
        expect(body.errors).toBeUndefined();
        return body.data.whatIf;
      };
      let w = await page(null);
      const firstCursor = w.gradeChanges.pageInfo.endCursor;
      const all = w.all.edges.map((e: { node: unknown }) => e.node);
      expect(all).toContainEqual({ unitId: "U09", from: "excellent", to: "good" });
      expect(w.gradeChanges.totalCount).toBe(all.length);
      const paged = [];
      for (;;) {
        expect(w.gradeChanges.edges).toHaveLength(1);
        paged.push(w.gradeChanges.edges[0].node);
        if (!w.gradeChanges.pageInfo.hasNextPage) break;
        w = await page(w.gradeChanges.pageInfo.endCursor);
      }
      expect(paged).toEqual(all);
      // A grade change's cursor does not page the eligibility changes.
      const { body } = await t.gql(
        `query($s: JSON, $after: String) { whatIf(cycleId: "2018", scenario: $s) { ... on WhatIf {
          eligibilityChanges(first: 1, after: $after) { edges { node { unitId } } } } } }`,
        {
          s: reform,
          after: firstCursor,
        },
        { as: "analyst" },
      );
      expect(body.data.whatIf.eligibilityChanges).toBeNull();
      expect(body.errors?.[0]?.path).toEqual(["whatIf", "eligibilityChanges"]);
    });

    it("says the maximum on both sides and the rule changes, so a slip or a patch that changes nothing shows", async () => {
      const RULES = `query($c: ID!, $s: JSON) { whatIf(cycleId: $c, scenario: $s) { __typename ... on WhatIf {
        maximum { baseline scenario } changes { kind path before after } gradeChanges { totalCount edges { node { unitId } } } } } }`;
      const run = async (c: string, s: unknown) => {
        const { body } = await t.gql(RULES, { c, s }, { as: "analyst" });
        expect(body.errors).toBeUndefined();
        return body.data.whatIf;
      };
      // Public evaluation raised without lowering another category: a 110-point scheme.
      const slip = await run("2018", { patch: { categories: { public: { points: 50 } } } });
      expect(slip.maximum).toEqual({ baseline: "100", scenario: "110" });
      expect(slip.changes).toEqual([
        { kind: "CHANGED", path: "categories[id=public].points", before: 40, after: 50 },
      ]);
      // The reform keeps the maximum and lists its two points.
      const reformed = await run("2018", reform);
      expect(reformed.maximum).toEqual({ baseline: "100", scenario: "100" });
      expect(reformed.changes.map((c: { path: string }) => c.path)).toEqual([
        "categories[id=organ].points",
        "categories[id=public].points",
      ]);
      // 2019's scheme already has the reform's points: the patch changes no rule.
      const same = await run("2019", reform);
      expect(same).toMatchObject({
        maximum: { baseline: "100", scenario: "100" },
        changes: [],
        gradeChanges: { totalCount: 0, edges: [] },
      });
      // Records changed are not rules changed.
      const moved = await run("2019", { data: { findings: {} } });
      expect(moved.changes).toEqual([]);
    });

    it("gives the exact total each rank was made from, which totalDelta reconciles, when a scenario rounds no total", async () => {
      const { body } = await t.gql(
        `query($s: JSON) { whatIf(cycleId: "2019", scenario: $s) { ... on WhatIf { units(first: 29) { edges { node {
          unitId totalDelta baseline { total exactTotal rank } scenario { total exactTotal rank } } } } } } }`,
        { s: { patch: { rounding: { stages: [] } } } },
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      type Side = { total: string; exactTotal: string; rank: number };
      const rows: { unitId: string; totalDelta: string; baseline: Side; scenario: Side }[] =
        body.data.whatIf.units.edges.map((e: any) => e.node);
      expect(rows).toHaveLength(29);
      const exact = (x: string) => {
        const [n, d] = x.split("/");
        return d === undefined ? parseDecimal(x) : ratio(BigInt(n!), BigInt(d));
      };
      for (const r of rows) {
        // The baseline rounds its totals: the exact total is the published one.
        expect(cmp(exact(r.baseline.exactTotal), exact(r.baseline.total)), r.unitId).toBe(0);
        // The two exact totals differ by totalDelta, exactly.
        expect(
          cmp(sub(exact(r.scenario.exactTotal), exact(r.baseline.exactTotal)), exact(r.totalDelta)),
          r.unitId,
        ).toBe(0);
      }
      // Unrounded totals order the ranks (a shared rank is an exact tie), where the published
      // ones cannot: here two units show 80.74, 17th and 18th.
      for (const a of rows)
        for (const b of rows) {
          const order = cmp(exact(a.scenario.exactTotal), exact(b.scenario.exactTotal));
          if (order > 0)
            expect(a.scenario.rank, `${a.unitId} above ${b.unitId}`).toBeLessThan(b.scenario.rank);
          if (a.scenario.rank === b.scenario.rank) expect(order, `${a.unitId} tied with ${b.unitId}`).toBe(0);
        }
      const shownAlike = rows.filter((a) =>
        rows.some((b) => b.scenario.total === a.scenario.total && b.scenario.rank !== a.scenario.rank),
      );
      expect(shownAlike.length).toBeGreaterThanOrEqual(2);
      for (const r of shownAlike) expect(r.scenario.exactTotal).not.toBe(r.scenario.total);
    });

    it("says why a scenario leaves a unit unscored, as the ranking under it does, and has a row for every group", async () => {
      const quorum = { patch: { categories: { organ: { method: { quorum: 500 } } } } };
      const eligibility = "eligibility { excellence award reasons { kind record yearsAgo text } }";
      const run = await t.gql(
        `query($s: JSON) { whatIf(cycleId: "2019", scenario: $s) { ... on WhatIf {
          units(first: 29) { edges { node { unitId
            baseline { total rank eligibleForExcellence eligibleForAward ${eligibility} }
            scenario { total exactTotal rank eligibleForExcellence eligibleForAward ${eligibility} } } } }
          groups { group units spearman kendallTauB meanAbsoluteRankShift unitsMoved } } } }`,
        { s: quorum },
        { as: "analyst" },
      );
      expect(run.body.errors).toBeUndefined();
      const w = run.body.data.whatIf;
      // Nobody is scored: the engine compares no unit in the group, and the row says so.
      expect(w.groups).toEqual([
        {
          group: "law-enforcement",
          units: 0,
          spearman: null,
          kendallTauB: null,
          meanAbsoluteRankShift: null,
          unitsMoved: 0,
        },
      ]);
      const units = w.units.edges.map((e: any) => e.node);
      expect(units).toHaveLength(29);
      for (const u of units) {
        expect(u.scenario).toMatchObject({ total: null, exactTotal: null, rank: null });
        expect(u.scenario.eligibility.reasons, u.unitId).toContainEqual({
          kind: "insufficient",
          record: null,
          yearsAgo: null,
          text: expect.stringMatching(/^not scored \(organ: .*quorum/),
        });
        for (const side of [u.baseline, u.scenario])
          expect(side.eligibility, u.unitId).toMatchObject({
            excellence: side.eligibleForExcellence,
            award: side.eligibleForAward,
          });
      }
      // The same words as the ranking's, on both sides: one concept, one type.
      const saved = await t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2019", name: "quorum 500", patch: $p }) { ... on Scenario { id } } }`,
        { p: quorum },
        { as: "analyst", subject: "quorum" },
      );
      const table = async (scenarioId: string | null) => {
        const { body } = await t.gql(
          `query($id: ID) { ranking(cycleId: "2019", scenarioId: $id) { ... on Ranking { groups { id }
            entries(first: 29) { edges { node { unitId ${eligibility} } } } } } }`,
          { id: scenarioId },
          { as: "analyst", subject: "quorum" },
        );
        expect(body.errors).toBeUndefined();
        return body.data.ranking;
      };
      const under = await table(saved.body.data.saveScenario.id);
      const published = await table(null);
      expect(w.groups.map((g: { group: string }) => g.group)).toEqual(under.groups.map((g: any) => g.id));
      const of = (r: any) => new Map(r.entries.edges.map((e: any) => [e.node.unitId, e.node.eligibility]));
      const [scenarioSide, baselineSide] = [of(under), of(published)];
      for (const u of units) {
        expect(u.scenario.eligibility, u.unitId).toEqual(scenarioSide.get(u.unitId));
        expect(u.baseline.eligibility, u.unitId).toEqual(baselineSide.get(u.unitId));
      }
      // The baseline's last place says why it lost its award.
      const last = units.find((u: any) => u.baseline.rank === 29);
      expect(last.baseline.eligibility.reasons.map((r: { kind: string }) => r.kind)).toContain("last-ranked");

      // A group the scenario leaves unranked keeps its row.
      const unranked = await t.gql(
        `query($s: JSON) { whatIf(cycleId: "2019", scenario: $s) { ... on WhatIf { groups { group units unitsMoved } } } }`,
        { s: { patch: { groups: { "law-enforcement": { ranked: false } } } } },
        { as: "analyst" },
      );
      expect(unranked.body.data.whatIf.groups).toEqual([
        { group: "law-enforcement", units: 0, unitsMoved: 0 },
      ]);
    });

    it("names parts and grades as the scenario's scheme names them, and each side's as its own", async () => {
      const renamed = {
        patch: {
          categories: { public: { points: 50, name: "公众评议" }, organ: { points: 20 } },
          grades: { rules: { good: { name: "良" } } },
        },
      };
      const { body } = await t.gql(WHAT_IF, { c: "2018", s: renamed, units: ["U09"] }, { as: "analyst" });
      expect(body.errors).toBeUndefined();
      const u = body.data.whatIf.units.edges[0].node;
      expect(u.parts.find((p: { part: string }) => p.part === "public")).toMatchObject({
        name: "公众评议",
        baseline: "30.86",
        scenario: "38.58",
      });
      expect([u.baseline.gradeName, u.scenario.gradeName]).toEqual(["优秀 excellent", "良"]);
    });

    it("lists a unit the scenario's data moves to another group under both groups, and as moved at the same rank", async () => {
      const scheme = {
        id: "two-groups",
        version: 1,
        name: "two groups",
        categories: [{ id: "work", name: "work", points: 100, method: { kind: "direct", outOf: 100 } }],
        groups: [
          { id: "g1", name: "one", ranked: true },
          { id: "g2", name: "two", ranked: true },
        ],
        rounding: { decimals: 2, mode: "half-up" },
      };
      await t.store.schemes.publish("test", {
        schemeId: "two-groups",
        basedOn: null,
        document: scheme,
        reason: "two groups",
      });
      await t.store.cycles.create("test", {
        id: "two-groups",
        year: 2031,
        name: "two groups",
        schemeId: "two-groups",
        schemeVersion: 1,
      });
      // A leads g1 and B follows it; B's 80 is second in g2 too, between C and D.
      const scores = { A: "90", B: "80", C: "85", D: "60" };
      await t.store.transaction((tx) =>
        loadDataset(tx, "two-groups", scheme, {
          units: Object.keys(scores).map((id) => ({ id, name: id, group: id < "C" ? "g1" : "g2" })),
          scores: Object.entries(scores).map(([unit, value]) => ({ unit, category: "work", value })),
        }),
      );
      const { body } = await t.gql(
        `query($s: JSON) { whatIf(cycleId: "two-groups", scenario: $s) { __typename ... on WhatIf {
          g1: units(group: "g1") { totalCount edges { node { unitId } } }
          g2: units(group: "g2") { totalCount edges { node { unitId } } }
          moved: units(movedOnly: true) { edges { node { unitId rankDelta totalDelta
            baseline { rank } scenario { rank } } } } } } }`,
        { s: { data: { units: { B: { group: "g2" } } } } },
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const ids = (list: any) => list.edges.map((e: any) => e.node.unitId).sort();
      const w = body.data.whatIf;
      expect([ids(w.g1), w.g1.totalCount]).toEqual([["A", "B"], 2]);
      expect([ids(w.g2), w.g2.totalCount]).toEqual([["B", "C", "D"], 3]);
      // B is 2nd on both sides with the same total: the change of group is its move.
      expect(ids(w.moved)).toEqual(["B", "D"]);
      const b = w.moved.edges.find((e: any) => e.node.unitId === "B").node;
      expect(b).toEqual({
        unitId: "B",
        rankDelta: null,
        totalDelta: "0",
        baseline: { rank: 2 },
        scenario: { rank: 2 },
      });
    });

    it("gives a scheme preview's analysis the same exact totals, reasons and group rows as the same change as a scenario", async () => {
      const scheme = () =>
        JSON.parse(
          readFileSync(new URL("../../../examples/city-review/scheme-2019.json", import.meta.url), "utf8"),
        );
      const fields = `groups { group units unitsMoved }
        units(first: 29) { edges { node { unitId totalDelta parts { part name baseline scenario delta }
          baseline { gradeName }
          scenario { total exactTotal rank gradeName eligibility { excellence award reasons { kind text } } } } } }`;
      const compare = async (candidate: any, patch: unknown) => {
        const preview = await t.gql(
          `mutation($d: JSON!) { previewSchemeImpact(cycleId: "2019", document: $d) {
            __typename ... on RankMovements { analysis { ${fields} } } } }`,
          { d: candidate },
          { as: "admin" },
        );
        expect(preview.body.errors).toBeUndefined();
        const scenario = await t.gql(
          `query($s: JSON) { whatIf(cycleId: "2019", scenario: $s) { ... on WhatIf { ${fields} } } }`,
          { s: { patch } },
          { as: "analyst" },
        );
        expect(scenario.body.errors).toBeUndefined();
        const byUnit = (w: any) => Object.fromEntries(w.units.edges.map((e: any) => [e.node.unitId, e.node]));
        const analysis = preview.body.data.previewSchemeImpact.analysis;
        expect(byUnit(analysis)).toEqual(byUnit(scenario.body.data.whatIf));
        expect(analysis.groups).toEqual(scenario.body.data.whatIf.groups);
        return analysis;
      };
      const unrounded = scheme();
      unrounded.rounding.stages = [];
      const a = await compare(unrounded, { rounding: { stages: [] } });
      expect(a.units.edges.some((e: any) => e.node.scenario.exactTotal.includes("/"))).toBe(true);
      const quorum = scheme();
      quorum.categories.find((c: { id: string }) => c.id === "organ").method.quorum = 500;
      const q = await compare(quorum, { categories: { organ: { method: { quorum: 500 } } } });
      expect(q.groups).toEqual([{ group: "law-enforcement", units: 0, unitsMoved: 0 }]);
      expect(q.units.edges[0].node.scenario.eligibility.reasons[0].kind).toBe("insufficient");
    });

    it("reuses the cached baseline until the cycle's data changes", async () => {
      const baselines = t.gateway.services.baselines;
      const q = `{ whatIf(cycleId: "2019", scenario: { patch: { categories: { business: { points: 25 } } } }) { __typename } }`;
      await t.gql(q, {}, { as: "analyst" });
      const misses = baselines.misses;
      const hits = baselines.hits;
      await t.gql(q, {}, { as: "analyst" });
      expect(baselines.misses).toBe(misses);
      expect(baselines.hits).toBe(hits + 1);
      await t.gql(
        `mutation { setScore(cycleId: "2019", unitId: "U02", category: "business", value: "29") { __typename } }`,
        {},
        { as: "admin" },
      );
      await t.gql(q, {}, { as: "analyst" });
      expect(baselines.misses).toBe(misses + 1);
    });

    it("answers a bad scenario with a typed ValidationError listing every problem by path", async () => {
      const bad = {
        patch: { categories: { publik: { points: 50 }, organ: { points: "-5" } } },
      };
      const { body } = await t.gql(WHAT_IF, { c: "2018", s: bad }, { as: "analyst" });
      expect(body.errors).toBeUndefined();
      expect(body.data.whatIf.__typename).toBe("ValidationError");
      expect(body.data.whatIf.code).toBe("VALIDATION");
      const paths = body.data.whatIf.issues.map((i: { path: string }) => i.path);
      expect(paths).toContain("scenario.patch.categories.organ.points");

      const unknown = await t.gql(
        WHAT_IF,
        { c: "2018", s: { patch: { categories: { publik: { points: 50 } } } } },
        { as: "analyst" },
      );
      expect(unknown.body.data.whatIf).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "scenario.patch.categories.publik", message: expect.stringContaining("publik") }],
      });

      const both = await t.gql(WHAT_IF, { c: "2018", s: reform, id: "x" }, { as: "analyst" });
      expect(both.body.data.whatIf).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "scenario" }],
      });
      const neither = await t.gql(WHAT_IF, { c: "2018" }, { as: "analyst" });
      expect(neither.body.data.whatIf.__typename).toBe("ValidationError");
      const noCycle = await t.gql(WHAT_IF, { c: "1999", s: reform }, { as: "analyst" });
      expect(noCycle.body.data.whatIf).toMatchObject({ __typename: "NotFoundError", entity: "cycle" });
    });

    it("is refused to viewers and anonymous callers, with nothing run", async () => {
      const misses = t.gateway.services.baselines.misses;
      const viewer = await t.gql(WHAT_IF, { c: "2018", s: reform }, { as: "viewer" });
      expect(codeOf(viewer.body)).toBe("FORBIDDEN");
      expect(viewer.body.data?.whatIf ?? null).toBeNull();
      const anonymous = await t.gql(WHAT_IF, { c: "2018", s: reform });
      expect(codeOf(anonymous.body)).toBe("UNAUTHENTICATED");
      for (const q of [
        `{ weightSweep(cycleId: "2018", category: "public") { __typename } }`,
        `{ uncertainty(cycleId: "2018", seed: 1) { __typename } }`,
        `{ leaveOneOut(cycleId: "2018") { __typename } }`,
      ]) {
        expect(codeOf((await t.gql(q, {}, { as: "viewer" })).body)).toBe("FORBIDDEN");
      }
      expect(t.gateway.services.baselines.misses).toBe(misses);
    });
  });

  describe("saved scenarios", () => {
    it("ranks a cycle under a saved scenario and runs it by id", async () => {
      const saved = await t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "2019 reform", patch: $p }) {
          __typename ... on Scenario { id name patch } ... on ValidationError { issues { path message } } } }`,
        { p: { description: reform.description, patch: reform.patch } },
        { as: "analyst", subject: "ann" },
      );
      expect(saved.body.data.saveScenario.__typename).toBe("Scenario");
      const id = saved.body.data.saveScenario.id;

      // Re-saving it under another cycle is refused: its patch was checked against 2018.
      const moved = await t.gql(
        `mutation($id: ID!, $p: JSON!) { saveScenario(input: { id: $id, cycleId: "2019", name: "2019 reform", patch: $p }) {
          __typename ... on ValidationError { issues { path message } } } }`,
        { id, p: { patch: reform.patch } },
        { as: "analyst", subject: "ann" },
      );
      expect(moved.body.data.saveScenario).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "input.cycleId", message: `scenario ${id} belongs to cycle 2018` }],
      });

      const ranking = await t.gql(
        `query($id: ID!) { ranking(cycleId: "2018", scenarioId: $id) { __typename ... on Ranking {
          scenarioId entries(first: 29) { edges { node { unitId rank total grade { id } } } } } } }`,
        { id },
        { as: "analyst", subject: "ann" },
      );
      expect(ranking.body.errors).toBeUndefined();
      const r = ranking.body.data.ranking;
      expect(r.scenarioId).toBe(id);
      const rows = r.entries.edges.map((e: any) => e.node);
      expect(rows).toHaveLength(29);
      expect(rows.find((n: any) => n.unitId === "U09")).toEqual({
        unitId: "U09",
        rank: 10,
        total: "82.94",
        grade: { id: "good" },
      });
      // The published ranking is untouched.
      const published = await t.gql(
        `{ ranking(cycleId: "2018") { ... on Ranking { scenarioId entries(first: 29) { edges { node { unitId rank total } } } } } }`,
        {},
        { as: "viewer" },
      );
      expect(published.body.data.ranking.scenarioId).toBeNull();
      expect(
        published.body.data.ranking.entries.edges.find((e: any) => e.node.unitId === "U09").node,
      ).toEqual({ unitId: "U09", rank: 9, total: "84.20" });

      // The same scenario through whatIf agrees with the ranking under it.
      const run = await t.gql(WHAT_IF, { c: "2018", id }, { as: "analyst", subject: "ann" });
      expect(run.body.data.whatIf).toMatchObject({
        __typename: "WhatIf",
        scenarioId: id,
        name: "2019 reform",
      });
      for (const { node } of run.body.data.whatIf.units.edges) {
        const row = rows.find((n: any) => n.unitId === node.unitId);
        expect(node.scenario.rank).toBe(row.rank);
        expect(node.scenario.total).toBe(row.total);
      }

      // Another analyst cannot run it until it is shared.
      const other = await t.gql(WHAT_IF, { c: "2018", id }, { as: "analyst", subject: "bob" });
      expect(other.body.data.whatIf).toMatchObject({ __typename: "NotFoundError", entity: "scenario" });
      // On another cycle it is named with its own, to its owner only.
      const elsewhere = await t.gql(WHAT_IF, { c: "2019", id }, { as: "analyst", subject: "ann" });
      expect(elsewhere.body.data.whatIf).toEqual({
        __typename: "ValidationError",
        code: "VALIDATION",
        issues: [
          {
            path: "scenarioId",
            message: `scenario '${id}' belongs to cycle '2018': a saved scenario is run on its own cycle (cycleId: "2018")`,
          },
        ],
      });
      const notBobs = await t.gql(WHAT_IF, { c: "2019", id }, { as: "analyst", subject: "bob" });
      expect(notBobs.body.data.whatIf).toMatchObject({ __typename: "NotFoundError", entity: "scenario" });
    });

    it("ranks under the scenario as last saved, even when two saves fall in one millisecond", async () => {
      const save = (p: unknown, id?: string) =>
        t.gql(
          `mutation($id: ID, $p: JSON!) { saveScenario(input: { id: $id, cycleId: "2018", name: "quick", patch: $p }) {
            __typename ... on Scenario { id } } }`,
          { id, p },
          { as: "analyst", subject: "quick" },
        );
      const u09 = async (id: string) => {
        const { body } = await t.gql(
          `query($id: ID!) { ranking(cycleId: "2018", scenarioId: $id) { ... on Ranking {
            entries(first: 29) { edges { node { unitId total } } } } } }`,
          { id },
          { as: "analyst", subject: "quick" },
        );
        return body.data.ranking.entries.edges.find((e: any) => e.node.unitId === "U09").node.total;
      };
      // Two saves 500 µs apart (concurrent requests) store times in the same millisecond.
      const at = (us: number) =>
        t.db.query("UPDATE scenarios SET updated_at = $2::timestamptz WHERE id = $1", [
          id,
          `2020-01-01T00:00:00.000${us}Z`,
        ]);
      const id = (await save({ patch: reform.patch })).body.data.saveScenario.id;
      await at(100);
      expect(await u09(id)).toBe("82.94");
      await save({ patch: { categories: { public: { points: 40 } } } }, id);
      await at(600);
      expect(await u09(id)).toBe("84.20");
    });

    it("refuses to save a scenario the engine would refuse to run, naming the paths", async () => {
      const before = await t.lastAuditId();
      const { body } = await t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "typo", patch: $p }) {
          __typename ... on ValidationError { issues { path message } } } }`,
        { p: { patch: { categories: { publik: { points: 50 } } } } },
        { as: "analyst" },
      );
      expect(body.data.saveScenario).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "input.patch.patch.categories.publik" }],
      });
      const shape = await t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "flat", patch: $p }) {
          __typename ... on ValidationError { issues { path message } } } }`,
        { p: { categories: { public: { points: 50 } } } },
        { as: "analyst" },
      );
      // Rules sent straight as input.patch: where they go, not the scenario's field list (whose
      // `name` is refused in turn when moved in).
      const put = (key: string, to: string) => ({
        path: `input.patch.${key}`,
        message: `input.patch is a scenario { description?, patch?, data? }: put ${key} under input.patch.${to} (input.patch.${to}.${key})`,
      });
      expect(shape.body.data.saveScenario).toEqual({
        __typename: "ValidationError",
        issues: [put("categories", "patch")],
      });
      const mixed = await t.gql(
        `mutation($p: JSON!) { saveScenario(input: { cycleId: "2018", name: "flat", patch: $p }) {
          __typename ... on ValidationError { issues { path message } } } }`,
        { p: { name: "flat", grades: {}, findings: {}, descripton: "typo" } },
        { as: "analyst" },
      );
      const issues = mixed.body.data.saveScenario.issues;
      expect(issues).toEqual(expect.arrayContaining([put("grades", "patch"), put("findings", "data")]));
      expect(issues.map((i: { path: string }) => i.path).sort()).toEqual([
        "input.patch.descripton",
        "input.patch.findings",
        "input.patch.grades",
        "input.patch.name",
      ]);
      expect(await t.lastAuditId()).toBe(before);
    });

    it("keeps a scenario under the name it checked, so a padded copy of a name is the same name", async () => {
      const save = (name: string) =>
        t.gql(
          `mutation($n: String!) { saveScenario(input: { cycleId: "2018", name: $n, patch: {} }) {
            __typename ... on Scenario { name } ... on Error { code } } }`,
          { n: name },
          { as: "analyst", subject: "padded" },
        );
      expect((await save(" weights only ")).body.data.saveScenario).toEqual({
        __typename: "Scenario",
        name: "weights only",
      });
      expect((await save("weights only")).body.data.saveScenario).toEqual({
        __typename: "ConflictError",
        code: "CONFLICT",
      });
    });
  });

  describe("sensitivity", () => {
    it("counts every list's rows that pass its filters, as whatIf's lists do", async () => {
      const { body } = await t.gql(
        `{ weightSweep(cycleId: "2018", category: "public") { ... on WeightSweep {
            all: units(first: 1) { totalCount } one: units(unitIds: ["U09", "U01"]) { totalCount } } }
           uncertainty(cycleId: "2018", samples: 20, seed: 1) { ... on Uncertainty {
            all: units(first: 1) { totalCount } one: units(unitIds: ["U09"]) { totalCount } } }
           leaveOneOut(cycleId: "2018") { ... on LeaveOneOut { categories { category unitsMoved shifts(first: 1) { totalCount } } } } }`,
        {},
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      expect([body.data.weightSweep.all.totalCount, body.data.weightSweep.one.totalCount]).toEqual([29, 2]);
      expect([body.data.uncertainty.all.totalCount, body.data.uncertainty.one.totalCount]).toEqual([29, 1]);
      for (const c of body.data.leaveOneOut.categories) expect(c.shifts.totalCount, c.category).toBe(29);
    });

    it("sweeps public evaluation's points and reports exact breakpoints", async () => {
      const { body } = await t.gql(
        `{ weightSweep(cycleId: "2018", category: "public", from: "30", to: "60") { __typename
          ... on WeightSweep { category others from to nominal rounding breakpointCount
            units(unitIds: ["U09"]) { edges { node { unitId nominalRank nominalGrade breakpoints
              segments { from to includesFrom includesTo fromApprox toApprox rank grade }
              stability { from to includesFrom includesTo fromApprox toApprox } } } } } } }`,
        {},
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const s = body.data.weightSweep;
      expect(s).toMatchObject({
        __typename: "WeightSweep",
        category: "public",
        others: "FIXED",
        from: "30",
        to: "60",
        nominal: "40",
        rounding: "unrounded",
      });
      expect(s.breakpointCount).toBeGreaterThan(0);
      const u = s.units.edges[0].node;
      expect(u).toMatchObject({ unitId: "U09", nominalRank: 9, nominalGrade: "excellent" });
      expect(u.breakpoints.length).toBeGreaterThan(0);
      // Segments tile the range, every point in exactly one of them; each inner end is a breakpoint, exact, once.
      expect(u.segments[0]).toMatchObject({ from: "30", includesFrom: true });
      expect(u.segments.at(-1)).toMatchObject({ to: "60", includesTo: true });
      for (let i = 1; i < u.segments.length; i++) {
        expect(u.segments[i].from).toBe(u.segments[i - 1].to);
        expect(u.segments[i].includesFrom).not.toBe(u.segments[i - 1].includesTo);
      }
      expect([...new Set(u.segments.slice(1).map((x: any) => x.from))]).toEqual(u.breakpoints);
      // 9th and excellent around the nominal 40; the reform's 50 lies outside that interval (it fell to 10th).
      expect(u.stability.fromApprox).toBeLessThan(40);
      expect(u.stability.toApprox).toBeGreaterThan(40);
      expect(u.stability.toApprox).toBeLessThan(50);
      // The stability interval is the segment holding the nominal, with its ends as there.
      const held = u.segments.find((x: any) => x.fromApprox < 40 && x.toApprox > 40);
      expect(u.stability).toEqual({
        from: held.from,
        to: held.to,
        includesFrom: held.includesFrom,
        includesTo: held.includesTo,
        fromApprox: held.fromApprox,
        toApprox: held.toApprox,
      });
      const at50 = u.segments.find((x: any) => x.fromApprox < 50 && x.toApprox > 50);
      expect(at50).toMatchObject({ rank: 10, grade: "good" });
    });

    it("answers sweep argument problems with typed errors", async () => {
      const q = (args: string) =>
        t.gql(
          `{ weightSweep(cycleId: "2018", ${args}) { __typename ... on ValidationError { issues { path message } } } }`,
          {},
          { as: "analyst" },
        );
      expect((await q(`category: "publik"`)).body.data.weightSweep).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "category" }],
      });
      expect((await q(`category: "public", from: "60", to: "30"`)).body.data.weightSweep).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "to" }],
      });
      // Each says what was sent and what is wrong with it, in the words of a scheme's points.
      const decimalIssue = async (args: string) =>
        (await q(`category: "public", ${args}`)).body.data.weightSweep;
      expect(await decimalIssue(`from: "-10"`)).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "from", message: "must not be negative" }],
      });
      expect(await decimalIssue(`from: "abc", to: " 1234567890 "`)).toEqual({
        __typename: "ValidationError",
        issues: [
          { path: "from", message: 'must be a decimal number such as 26.94, not "abc"' },
          {
            path: "to",
            message: 'must be a decimal number such as 26.94, not " 1234567890 " (write it as 1234567890)',
          },
        ],
      });
      // As many digits as a scheme's points may have, but no more than the answer's doubles show.
      expect(await decimalIssue(`to: "1234567890"`)).toMatchObject({ __typename: "WeightSweep" });
      expect(await decimalIssue(`to: "1${"0".repeat(300)}"`)).toEqual({
        __typename: "ValidationError",
        issues: [
          {
            path: "to",
            message:
              "is too large to sweep: the answer's fromApprox and toApprox (doubles) could not show it",
          },
        ],
      });
    });

    it("names an end past the other, left-out end at the end given, as the engine does", async () => {
      const q = async (args: string) =>
        (
          await t.gql(
            `{ weightSweep(cycleId: "2018", category: "public", ${args}) { __typename
              ... on ValidationError { issues { path message } } } }`,
            {},
            { as: "analyst" },
          )
        ).body.data.weightSweep;
      const refused = (path: string, message: string) => ({
        __typename: "ValidationError",
        issues: [{ path, message }],
      });
      // The scheme's points add up to 100; organ construction has 30, public evaluation 40.
      expect(await q(`from: "200"`)).toEqual(
        refused("from", "must be below the scheme's total of 100, where the sweep ends when to is left out"),
      );
      expect(await q(`others: TRANSFER, donor: "organ", from: "80"`)).toEqual(
        refused(
          "from",
          'must be below 70, the points of "public" and "organ" together, since "organ" gives the points',
        ),
      );
      expect(await q(`others: RESCALE, from: "100"`)).toEqual(
        refused("from", "must be below the scheme's total of 100 when the others are rescaled"),
      );
      expect(await q(`to: "0"`)).toEqual(
        refused("to", "must be greater than 0, where the sweep starts when from is left out"),
      );
      // Both ends given: the end is the one out of place.
      expect(await q(`from: "200", to: "100"`)).toEqual(refused("to", "must be greater than from"));
    });

    it("reads a sweep bound, a Monte-Carlo bound and a scenario's points by one grammar, in one wording", async () => {
      const read = async (text: string) => {
        const refused = "... on ValidationError { issues { path message } }";
        const sweep = await t.gql(
          `query($x: String) { weightSweep(cycleId: "2018", category: "public", from: $x, to: "060.0") {
            __typename ... on WeightSweep { from to } ${refused} } }`,
          { x: text },
          { as: "analyst" },
        );
        const monteCarlo = await t.gql(
          `query($x: String!) { uncertainty(cycleId: "2018", samples: 20, seed: 1,
            bounds: [{ category: "public", low: $x, high: "+050" }]) {
            __typename ... on Uncertainty { parameters { bounds { category low high } } } ${refused} } }`,
          { x: text },
          { as: "analyst" },
        );
        const whatIf = await t.gql(
          `query($s: JSON) { whatIf(cycleId: "2018", scenario: $s) {
            __typename ... on WhatIf { maximum { scenario } } ${refused} } }`,
          { s: { patch: { categories: { public: { points: text } } } } },
          { as: "analyst" },
        );
        for (const { body } of [sweep, monteCarlo, whatIf]) expect(body.errors, text).toBeUndefined();
        return {
          sweep: sweep.body.data.weightSweep,
          monteCarlo: monteCarlo.body.data.uncertainty,
          whatIf: whatIf.body.data.whatIf,
        };
      };
      // Taken everywhere, and echoed in one spelling: a sweep's from and to, a bound's low and
      // high alike. The scenario reads the value the others echo.
      for (const [text, value] of [
        ["+10", "10"],
        ["-0", "0"],
        ["010", "10"],
      ]) {
        const { sweep, monteCarlo, whatIf } = await read(text!);
        expect(sweep, text).toEqual({ __typename: "WeightSweep", from: value, to: "60" });
        expect(monteCarlo, text).toEqual({
          __typename: "Uncertainty",
          parameters: { bounds: [{ category: "public", low: value, high: "50" }] },
        });
        expect(whatIf, text).toEqual((await read(value!)).whatIf);
        expect(whatIf.__typename, text).toBe("WhatIf");
      }
      // Refused everywhere, in the same words, saying how to write it, each at its own argument.
      for (const text of [" 10", "10."]) {
        const message = `must be a decimal number such as 26.94, not ${JSON.stringify(text)} (write it as 10)`;
        expect(await read(text), text).toEqual({
          sweep: { __typename: "ValidationError", issues: [{ path: "from", message }] },
          monteCarlo: { __typename: "ValidationError", issues: [{ path: "bounds[0].low", message }] },
          whatIf: {
            __typename: "ValidationError",
            issues: [{ path: "scenario.patch.categories.public.points", message }],
          },
        });
      }
    });

    it("sweeps public evaluation with organ construction giving the points, through the 2019 reform", async () => {
      const { body } = await t.gql(
        `{ weightSweep(cycleId: "2018", category: "public", others: TRANSFER, donor: "organ") { __typename
          ... on WeightSweep { category others donor from to nominal
            units(first: 100) { edges { node { unitId nominalRank
              segments { fromApprox toApprox includesFrom includesTo rank grade } } } } } } }`,
        {},
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const s = body.data.weightSweep;
      // Organ construction's 30 points are all it can give: public runs from 0 to 40 + 30.
      expect(s).toMatchObject({
        __typename: "WeightSweep",
        category: "public",
        others: "TRANSFER",
        donor: "organ",
        from: "0",
        to: "70",
        nominal: "40",
      });
      // The reform re-scored without rounding, the sweep's convention: each unit's segment
      // holding 50 ranks as the reform does.
      const reform = await t.gql(
        WHAT_IF,
        {
          c: "2018",
          s: {
            name: "2019 reform, unrounded",
            patch: {
              categories: { public: { points: 50 }, organ: { points: 20 } },
              rounding: { stages: [] },
            },
          },
        },
        { as: "analyst" },
      );
      expect(reform.body.errors).toBeUndefined();
      const reformRank = new Map<string, number | null>(
        reform.body.data.whatIf.units.edges.map((e: any) => [e.node.unitId, e.node.scenario.rank]),
      );
      const holds = (x: any, at: number) =>
        (x.fromApprox < at || (x.fromApprox === at && x.includesFrom)) &&
        (at < x.toApprox || (x.toApprox === at && x.includesTo));
      const at50 = new Map<string, number | null>(
        s.units.edges.map((e: any) => [e.node.unitId, e.node.segments.find((x: any) => holds(x, 50))?.rank]),
      );
      expect(at50.size).toBe(29);
      expect(at50).toEqual(reformRank);
      expect(at50.get("U09")).toBe(reformRank.get("U09"));
      expect(s.units.edges.find((e: any) => e.node.unitId === "U09").node.nominalRank).toBe(9);
      // Without a transfer no category gives points.
      const fixed = await t.gql(
        `{ weightSweep(cycleId: "2018", category: "public", from: "30", to: "60") { ... on WeightSweep { others donor } } }`,
        {},
        { as: "analyst" },
      );
      expect(fixed.body.data.weightSweep).toEqual({ others: "FIXED", donor: null });
    });

    it("names a donor that is missing, unknown or not giving, and a transfer beyond what the donor has", async () => {
      const q = async (args: string) =>
        (
          await t.gql(
            `{ weightSweep(cycleId: "2018", category: "public", ${args}) { __typename
              ... on ValidationError { code issues { path message } } } }`,
            {},
            { as: "analyst" },
          )
        ).body.data.weightSweep;
      const refused = (path: string, message: string) => ({
        __typename: "ValidationError",
        code: "VALIDATION",
        issues: [{ path, message }],
      });
      expect(await q(`others: TRANSFER`)).toEqual(
        refused("donor", 'is required when others is "transfer": the category that gives the points'),
      );
      expect(await q(`others: TRANSFER, donor: "orgn"`)).toEqual(
        refused("donor", 'unknown category "orgn"; did you mean "organ"?'),
      );
      expect(await q(`others: TRANSFER, donor: ""`)).toEqual(
        refused("donor", 'unknown category "" (known: business, organ, public)'),
      );
      expect(await q(`others: TRANSFER, donor: "public"`)).toEqual(
        refused("donor", 'must be another category than the one swept ("public")'),
      );
      expect(await q(`donor: "organ"`)).toEqual(
        refused("donor", 'gives points only when others is "transfer" (others is "fixed")'),
      );
      expect(await q(`others: TRANSFER, donor: "organ", to: "70.5"`)).toEqual(
        refused(
          "to",
          'must be at most 70, the points of "public" and "organ" together, since "organ" gives the points',
        ),
      );
    });

    it("keys a transfer sweep by its donor, with an omitted end and its default one sweep", async () => {
      const baselines = t.gateway.services.baselines;
      const query = (args: string, after: string | null) =>
        t.gql(
          `query($after: String) { weightSweep(cycleId: "2018", category: "public", others: TRANSFER${args}) {
            __typename ... on WeightSweep { donor from to
              units(first: 5, after: $after) { edges { cursor node { unitId breakpoints } } } } } }`,
          { after },
          { as: "analyst" },
        );
      const sweep = async (args: string, after: string | null = null) => {
        const { body } = await query(args, after);
        expect(body.errors).toBeUndefined();
        expect(body.data.weightSweep.__typename).toBe("WeightSweep");
        return body.data.weightSweep;
      };
      // Run here, not served from an earlier test's sweep.
      baselines.clear();
      const runs = baselines.analysisRuns;
      const organ = await sweep(`, donor: "organ"`);
      expect([organ.donor, organ.to]).toEqual(["organ", "70"]);
      for (const args of [`, donor: "organ", to: "70.0"`, `, to: "70", from: "0.00", donor: "organ"`])
        expect(await sweep(args), args).toEqual(organ);
      expect(baselines.analysisRuns).toBe(runs + 1);
      // Business has 30 points too, so only the donor tells the two sweeps apart.
      const business = await sweep(`, donor: "business"`);
      expect([business.donor, business.from, business.to]).toEqual(["business", "0", "70"]);
      expect(business.units).not.toEqual(organ.units);
      expect(baselines.analysisRuns).toBe(runs + 2);
      // A cursor of one donor's sweep does not page another's.
      const cursor = organ.units.edges.at(-1).cursor;
      expect((await sweep(`, donor: "organ"`, cursor)).units.edges[0].node.unitId).not.toBe(
        organ.units.edges[0].node.unitId,
      );
      expect((await query(`, donor: "business"`, cursor)).body.errors?.[0]?.extensions).toMatchObject({
        code: "VALIDATION",
        issues: [
          {
            path: "after",
            message:
              "a cursor of WeightSweep.units for another weight sweep (use a cursor from this list's edges or pageInfo)",
          },
        ],
      });
    });

    it("sweeps or samples only the groups asked for, keyed as a set, and names an unknown group by its place", async () => {
      const baselines = t.gateway.services.baselines;
      for (const [field, type, fields] of [
        [
          `weightSweep(cycleId: "2019", category: "public", from: "35", to: "45"`,
          "WeightSweep",
          "segments { from to rank }",
        ],
        [
          `uncertainty(cycleId: "2019", samples: 80, seed: 4`,
          "Uncertainty",
          "medianRank p5Rank p95Rank pExcellent pLast",
        ],
      ] as const) {
        const run = async (args: string) => {
          const { body } = await t.gql(
            `{ analysis: ${field}${args}) { __typename
              ... on ${type} { groups units(first: 100) { edges { node { unitId group ${fields} } } } }
              ... on ValidationError { issues { path message } } } }`,
            {},
            { as: "analyst" },
          );
          expect(body.errors).toBeUndefined();
          return body.data.analysis;
        };
        const whole = await run("");
        expect(whole.groups).toBeNull();
        const runs = baselines.analysisRuns;
        const one = await run(`, groups: ["law-enforcement"]`);
        expect(one.groups).toEqual(["law-enforcement"]);
        expect(one.units).toEqual(whole.units);
        expect(await run(`, groups: ["law-enforcement", "law-enforcement"]`)).toEqual(one);
        expect(baselines.analysisRuns).toBe(runs + 1);
        expect(await run(`, groups: ["law-enforcement", "traffic"]`)).toEqual({
          __typename: "ValidationError",
          issues: [{ path: "groups[1]", message: 'unknown group "traffic" (known: law-enforcement)' }],
        });
        expect(await run(`, groups: []`)).toMatchObject({
          __typename: "ValidationError",
          issues: [{ path: "groups" }],
        });
      }
    });

    it("runs a seeded Monte-Carlo that is reproducible, with its parameters recorded", async () => {
      const q = `query($seed: Seed!) { uncertainty(cycleId: "2018", samples: 500, seed: $seed, distribution: DIRICHLET, concentration: 200) {
        __typename ... on Uncertainty {
          parameters { samples seed distribution concentration spread keepTotal alternatives { name } }
          categories excellentGrade nominalReproduced
          units(first: 29) { edges { node { unitId nominalRank medianRank p5Rank p95Rank pExcellent pLast } } }
          draws(offset: 0, limit: 3) { sample alternative points } } } }`;
      const a = await t.gql(q, { seed: 2019 }, { as: "analyst" });
      // Run again, not served from the analysis cache.
      t.gateway.services.baselines.clear();
      const b = await t.gql(q, { seed: 2019 }, { as: "analyst" });
      expect(a.body.errors).toBeUndefined();
      expect(a.body).toEqual(b.body);
      const u = a.body.data.uncertainty;
      expect(u.parameters).toEqual({
        samples: 500,
        seed: 2019,
        distribution: "DIRICHLET",
        concentration: 200,
        spread: null,
        keepTotal: true,
        alternatives: [],
      });
      expect(u.categories).toEqual(["business", "organ", "public"]);
      expect(u.excellentGrade).toBe("excellent");
      expect(u.nominalReproduced).toBe(true);
      expect(u.units.edges).toHaveLength(29);
      const u09 = u.units.edges.find((e: any) => e.node.unitId === "U09").node;
      expect(u09.nominalRank).toBe(9);
      expect(u09.p5Rank).toBeLessThanOrEqual(u09.medianRank);
      expect(u09.medianRank).toBeLessThanOrEqual(u09.p95Rank);
      expect(u09.pExcellent).toBeGreaterThan(0);
      expect(u09.pExcellent).toBeLessThan(1);
      expect(u.draws).toHaveLength(3);
      for (const d of u.draws) {
        expect(d.alternative).toBe("nominal");
        expect(d.points.reduce((x: number, y: number) => x + y, 0)).toBeCloseTo(100, 6);
      }
      const c = await t.gql(q, { seed: 7 }, { as: "analyst" });
      expect(c.body.data.uncertainty.draws).not.toEqual(u.draws);
    });

    it("takes every seed the engine takes, past GraphQL's Int, in the query or a variable, with the engine's figures", async () => {
      const run = async (query: string, variables: Record<string, unknown> = {}) => {
        const { body } = await t.gql(query, variables, { as: "analyst" });
        expect(body.errors).toBeUndefined();
        expect(body.data.uncertainty.__typename).toBe("Uncertainty");
        return body.data.uncertainty;
      };
      const fields = `__typename ... on Uncertainty { parameters { seed }
        units(first: 29) { edges { node { unitId medianRank p5Rank p95Rank pExcellent pLast } } }
        draws(limit: 50) { points } }`;
      const top = 2 ** 32 - 1;
      const literal = await run(`{ uncertainty(cycleId: "2018", samples: 50, seed: ${top}) { ${fields} } }`);
      expect(literal.parameters.seed).toBe(top);
      const variable = await run(
        `query($s: Seed!) { uncertainty(cycleId: "2018", samples: 50, seed: $s) { ${fields} } }`,
        { s: top },
      );
      expect(variable).toEqual(literal);
      // The engine's own run with that seed: the gateway passes it on whole.
      const read = (f: string) =>
        JSON.parse(readFileSync(new URL(`../../../examples/city-review/${f}`, import.meta.url), "utf8"));
      const mc = monteCarlo(createBaseline(read("scheme-2018.json"), read("dataset-2018.json")), {
        samples: 50,
        seed: top,
        weights: { kind: "uniform", ...samplerDefaults },
      });
      const c = mc.categories.length;
      expect(literal.draws.map((d: { points: number[] }) => d.points)).toEqual(
        Array.from({ length: 50 }, (_, s) => Array.from(mc.points.subarray(s * c, (s + 1) * c))),
      );
      const byUnit = new Map(mc.units.map((u) => [u.unit, u]));
      for (const { node } of literal.units.edges) {
        const u = byUnit.get(node.unitId)!;
        expect(node, node.unitId).toEqual({
          unitId: u.unit,
          medianRank: u.medianRank,
          p5Rank: u.p5Rank,
          p95Rank: u.p95Rank,
          pExcellent: u.pExcellent,
          pLast: u.pLast,
        });
      }
      // Just past Int: a seed of its own, not Int's largest.
      const past = await run(`{ uncertainty(cycleId: "2018", samples: 50, seed: 2147483648) { ${fields} } }`);
      const intMax = await run(
        `{ uncertainty(cycleId: "2018", samples: 50, seed: 2147483647) { ${fields} } }`,
      );
      expect(past.parameters.seed).toBe(2 ** 31);
      expect(past.draws).not.toEqual(intMax.draws);
      // What is no number at all is refused by the type, naming the variable, as Int would.
      const text = await t.gql(
        `query($s: Seed!) { uncertainty(cycleId: "2018", seed: $s) { __typename } }`,
        { s: "42" },
        { as: "analyst" },
      );
      expect(text.status).toBe(400);
      expect(text.body.errors).toMatchObject([
        {
          message:
            'Variable "$s" got invalid value "42"; a seed is a whole number from 0 to 4294967295, written as a number, not text "42"',
          extensions: { code: "BAD_USER_INPUT" },
        },
      ]);
    });

    it("serves every page of one sweep or Monte-Carlo run from one run, until the data changes", async () => {
      const baselines = t.gateway.services.baselines;
      type Page = { units: { edges: { cursor: string; node: { unitId: string } }[] } };
      const page = async (field: string, type: string, after: string | null): Promise<Page> => {
        const { body } = await t.gql(
          `query($after: String) { analysis: ${field} { __typename
            ... on ${type} { units(first: 10, after: $after) { edges { cursor node { unitId } } } } } }`,
          { after },
          { as: "analyst" },
        );
        expect(body.errors).toBeUndefined();
        expect(body.data.analysis.__typename).toBe(type);
        return body.data.analysis;
      };
      for (const [i, [field, type]] of [
        [`weightSweep(cycleId: "2019", category: "organ", from: "10", to: "40")`, "WeightSweep"],
        [`uncertainty(cycleId: "2019", samples: 200, seed: 11)`, "Uncertainty"],
      ].entries()) {
        const runs = baselines.analysisRuns;
        const first = (await page(field!, type!, null)).units.edges;
        expect(first).toHaveLength(10);
        const next = (await page(field!, type!, first.at(-1)!.cursor)).units.edges;
        expect(next.length).toBeGreaterThan(0);
        expect(next.map((e) => e.node.unitId)).not.toContain(first[0]!.node.unitId);
        expect(baselines.analysisRuns).toBe(runs + 1);
        const write = await t.gql(
          `mutation { setScore(cycleId: "2019", unitId: "U03", category: "business", value: "${27 + i}") { __typename } }`,
          {},
          { as: "admin" },
        );
        expect(write.body.data.setScore.__typename).not.toMatch(/Error/);
        await page(field!, type!, null);
        expect(baselines.analysisRuns).toBe(runs + 2);
      }
    });

    it("runs a sweep or Monte-Carlo run once for every spelling of its arguments", async () => {
      const baselines = t.gateway.services.baselines;
      const sweep = async (args: string) => {
        const { body } = await t.gql(
          `{ weightSweep(cycleId: "2019", category: "organ"${args}) { __typename
            ... on WeightSweep { from to units(first: 5) { edges { node { unitId breakpoints } } } } } }`,
          {},
          { as: "analyst" },
        );
        expect(body.errors).toBeUndefined();
        expect(body.data.weightSweep.__typename).toBe("WeightSweep");
        return body.data.weightSweep;
      };
      const runs = baselines.analysisRuns;
      const whole = await sweep("");
      expect(whole.from).toBe("0");
      expect(whole.to).toMatch(/^\d+$/);
      for (const args of [
        `, from: "0"`,
        `, to: "${whole.to}.00", from: "0.0"`,
        `, others: FIXED, from: "00", to: "${whole.to}"`,
      ])
        expect(await sweep(args), args).toEqual(whole);
      expect(baselines.analysisRuns).toBe(runs + 1);
      const part = await sweep(`, from: "10", to: "40"`);
      expect(await sweep(`, to: "40.0", from: "10.000"`)).toEqual(part);
      expect(baselines.analysisRuns).toBe(runs + 2);

      const monteCarlo = async (bounds: string) => {
        const { body } = await t.gql(
          `{ uncertainty(cycleId: "2019", samples: 50, seed: 5, bounds: [${bounds}]) { __typename
            ... on Uncertainty { units(first: 5) { edges { node { unitId medianRank p5Rank p95Rank } } } } } }`,
          {},
          { as: "analyst" },
        );
        expect(body.errors).toBeUndefined();
        expect(body.data.uncertainty.__typename).toBe("Uncertainty");
        return body.data.uncertainty.units;
      };
      const bounded = await monteCarlo(
        `{ category: "public", low: "30", high: "50" }, { category: "organ", low: "20.5", high: "40" }`,
      );
      expect(
        await monteCarlo(
          `{ category: "organ", low: "20.50", high: "40.0" }, { category: "public", low: "30.0", high: "050" }`,
        ),
      ).toEqual(bounded);
      expect(baselines.analysisRuns).toBe(runs + 3);
    });

    it("bounds Monte-Carlo runs and checks their arguments", async () => {
      const q = (args: string) =>
        t.gql(
          `{ uncertainty(cycleId: "2018", ${args}) { __typename ... on ValidationError { issues { path message } } } }`,
          {},
          { as: "analyst" },
        );
      expect((await q(`seed: 1, samples: 5001`)).body.data.uncertainty).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "samples" }],
      });
      // In words, not zod's "Too small: expected number to be >=1".
      expect((await q(`seed: 1, samples: 0`)).body.data.uncertainty.issues).toEqual([
        { path: "samples", message: "must be at least 1" },
      ]);
      expect((await q(`seed: -1`)).body.data.uncertainty.issues[0].path).toBe("seed");
      // Past the engine's seeds, or not a whole number: named at seed, not a request error.
      for (const [seed, message] of [
        ["4294967296", "must be at most 4294967295"],
        ["1.5", "must be a whole number (got 1.5)"],
      ])
        expect((await q(`seed: ${seed}`)).body, seed).toEqual({
          data: { uncertainty: { __typename: "ValidationError", issues: [{ path: "seed", message }] } },
        });
      expect(
        (await q(`seed: 1, distribution: DIRICHLET, spread: 0.2`)).body.data.uncertainty.issues[0].path,
      ).toBe("spread");
      // The engine reads bounds as a map by category; its refusals point into the list sent.
      expect(
        (
          await q(
            `seed: 1, bounds: [{ category: "public", low: "30", high: "50" }, { category: "publik", low: "30", high: "50" }]`,
          )
        ).body.data.uncertainty,
      ).toEqual({
        __typename: "ValidationError",
        issues: [
          { path: "bounds[1].category", message: 'unknown category "publik"; did you mean "public"?' },
        ],
      });
      expect(
        (
          await q(
            `seed: 1, bounds: [{ category: "organ", low: "20", high: "30" }, { category: "public", low: "50", high: "30" }]`,
          )
        ).body.data.uncertainty,
      ).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "bounds[1].high", message: "must not be below low" }],
      });
      expect(
        (await q(`seed: 1, bounds: [{ category: "public", low: "30", high: "1e400" }]`)).body.data
          .uncertainty,
      ).toMatchObject({ __typename: "ValidationError", issues: [{ path: "bounds[0].high" }] });
      expect(
        (
          await q(
            `seed: 1, bounds: [{ category: "public", low: "30", high: "40" }, { category: "public", low: "45", high: "55" }]`,
          )
        ).body.data.uncertainty,
      ).toEqual({
        __typename: "ValidationError",
        issues: [{ path: "bounds[1].category", message: "bounds for public are given twice" }],
      });
      expect(
        (
          await q(
            `seed: 1, alternatives: [{ name: "ok", patch: {} }, { name: "typo", patch: { categories: { x: {} } } }]`,
          )
        ).body.data.uncertainty,
      ).toMatchObject({
        __typename: "ValidationError",
        issues: [{ path: "alternatives[1].patch.categories.x" }],
      });
      // A reform's points as an alternative: each sample draws the points, so it would run as the nominal.
      const reform = await q(
        `seed: 1, alternatives: [{ name: "reform", patch: { categories: { public: { points: 50 }, organ: { points: 20 } } } }]`,
      );
      expect(reform.body.data.uncertainty).toEqual({
        __typename: "ValidationError",
        issues: ["public", "organ"].map((c) => ({
          path: `alternatives[0].patch.categories.${c}.points`,
          message:
            "not varied by an alternative: every sample draws each category's points (set their range with the weights' bounds or spread)",
        })),
      });
      // Grades are not varied by Monte-Carlo: that is the reason, even when the quota is also wrong.
      for (const quota of ["{ count: 10 }", "{ count: 10, percent: 20 }"]) {
        const graded = await q(
          `seed: 1, alternatives: [{ name: "ten", patch: { grades: { rules: { excellent: { quota: ${quota} } } } } }]`,
        );
        expect(graded.body.data.uncertainty).toEqual({
          __typename: "ValidationError",
          issues: [
            {
              path: "alternatives[0].patch.grades",
              message: "not varied by Monte-Carlo: samples are ranked and graded under the baseline's rules",
            },
          ],
        });
      }
      const ok = await t.gql(
        `{ uncertainty(cycleId: "2018", seed: 1, samples: 200, spread: 0.2, bounds: [{ category: "public", low: "40", high: "50" }]) {
          ... on Uncertainty { parameters { distribution spread keepTotal ranges { category low high from } } } } }`,
        {},
        { as: "analyst" },
      );
      // The ranges drawn within, each with what set it: the analyst need not work out nominal × (1 ± spread).
      expect(ok.body.data.uncertainty.parameters).toEqual({
        distribution: "UNIFORM",
        spread: 0.2,
        keepTotal: true,
        ranges: [
          { category: "business", low: 24, high: 36, from: "SPREAD" },
          { category: "organ", low: 24, high: 36, from: "SPREAD" },
          { category: "public", low: 40, high: 50, from: "BOUNDS" },
        ],
      });
      const dirichlet = await t.gql(
        `{ uncertainty(cycleId: "2018", seed: 1, samples: 50, distribution: DIRICHLET) { ... on Uncertainty { parameters { ranges { category } } } } }`,
        {},
        { as: "analyst" },
      );
      expect(dirichlet.body.data.uncertainty.parameters).toEqual({ ranges: null });
    });

    it("shows a UNIFORM run that leaves spread and keepTotal out with the engine's defaults, and draws with them", async () => {
      const run = async (args: string) => {
        // Each run computed afresh: omitted and stated defaults share a cache entry.
        t.gateway.services.baselines.clear();
        const { body } = await t.gql(
          `{ uncertainty(cycleId: "2018", seed: 5, samples: 50${args}) { ... on Uncertainty {
            parameters { spread keepTotal } draws(limit: 50) { points } } } }`,
          {},
          { as: "analyst" },
        );
        expect(body.errors).toBeUndefined();
        return body.data.uncertainty;
      };
      const omitted = await run("");
      expect(omitted.parameters).toEqual(samplerDefaults);
      const { spread, keepTotal } = samplerDefaults;
      expect(await run(`, spread: ${spread}, keepTotal: ${keepTotal}`)).toEqual(omitted);
      expect((await run(`, spread: ${spread / 2}`)).draws).not.toEqual(omitted.draws);
    });

    it("leaves each category out in turn", async () => {
      const { body } = await t.gql(
        `{ leaveOneOut(cycleId: "2018", rescale: true) { __typename ... on LeaveOneOut { rescale categories {
          category meanAbsoluteRankShift unitsMoved points { category points } shifts(first: 3) { edges { node { unitId rankDelta totalDelta } } } } } } }`,
        {},
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const l = body.data.leaveOneOut;
      expect(l.rescale).toBe(true);
      expect(l.categories.map((c: any) => c.category).sort()).toEqual(["business", "organ", "public"]);
      const shifts = l.categories.map((c: any) => c.meanAbsoluteRankShift);
      expect([...shifts].sort((x, y) => y - x)).toEqual(shifts);
      const business = l.categories.find((c: any) => c.category === "business");
      expect(business.points).toEqual([
        { category: "business", points: "0" },
        { category: "organ", points: "300/7" },
        { category: "public", points: "400/7" },
      ]);
      expect(business.shifts.edges).toHaveLength(3);
    });

    it("gives both ranks of a shift, and one category alone, whose shifts page on their own", async () => {
      const read = async (args: string) =>
        (
          await t.gql(
            `{ leaveOneOut(cycleId: "2018") { ... on LeaveOneOut { categories${args} { category
              shifts(first: 2) { edges { node { unitId rank rankWithout rankDelta } } pageInfo { endCursor } } } } } }`,
            {},
            { as: "analyst" },
          )
        ).body.data.leaveOneOut.categories;
      // Run here once, then served again: each page of a category's shifts would otherwise
      // re-run every category.
      const baselines = t.gateway.services.baselines;
      baselines.clear();
      const runs = baselines.analysisRuns;
      const all = await read("");
      const publicOnly = await read(`(category: "public")`);
      expect(publicOnly).toEqual(all.filter((c: any) => c.category === "public"));
      for (const c of all)
        for (const { node } of c.shifts.edges)
          expect(node.rankDelta).toBe(
            node.rank === null || node.rankWithout === null ? null : node.rankWithout - node.rank,
          );
      // The largest move first, and it is a move: a unit that did not change would say 0.
      expect(publicOnly[0].shifts.edges[0].node.rankDelta).not.toBe(0);
      const after = publicOnly[0].shifts.pageInfo.endCursor;
      const next = (
        await t.gql(
          `query($a: String) { leaveOneOut(cycleId: "2018") { ... on LeaveOneOut { categories(category: "public") {
            shifts(first: 2, after: $a) { edges { node { unitId } } } } } } }`,
          { a: after },
          { as: "analyst" },
        )
      ).body;
      expect(next.errors).toBeUndefined();
      expect(next.data.leaveOneOut.categories[0].shifts.edges).toHaveLength(2);
      // A misspelt category is refused naming it, with the scheme's, not answered with nothing.
      const misspelt = await t.gql(
        `{ leaveOneOut(cycleId: "2018") { ... on LeaveOneOut { categories(category: "publik") { category } } } }`,
        {},
        { as: "analyst" },
      );
      expect(misspelt.body.errors?.[0]?.extensions).toEqual({
        code: "VALIDATION",
        issues: [{ path: "category", message: 'unknown category "publik"; did you mean "public"?' }],
      });
      expect(baselines.analysisRuns).toBe(runs + 1);
    });

    it("pages every analysis list back from its end with `last`, as ranking entries and whatIf units do", async () => {
      const q = `{
        sweep: weightSweep(cycleId: "2018", category: "organ") { ... on WeightSweep {
          all: units(first: 100) { edges { node { unitId } } }
          tail: units(last: 2) { edges { node { unitId } } pageInfo { hasPreviousPage hasNextPage } } } }
        mc: uncertainty(cycleId: "2018", seed: 5, samples: 50) { ... on Uncertainty {
          all: units(first: 100) { edges { node { unitId } } }
          tail: units(last: 2) { edges { node { unitId } } pageInfo { hasPreviousPage hasNextPage } } } }
        loo: leaveOneOut(cycleId: "2018") { ... on LeaveOneOut { categories {
          all: shifts(first: 100) { edges { node { unitId } } }
          tail: shifts(last: 2) { edges { node { unitId } } pageInfo { hasPreviousPage hasNextPage } } } } }
      }`;
      const { body } = await t.gql(q, {}, { as: "analyst" });
      expect(body.errors).toBeUndefined();
      const ids = (c: { edges: { node: { unitId: string } }[] }) => c.edges.map((e) => e.node.unitId);
      for (const list of [body.data.sweep, body.data.mc, ...body.data.loo.categories]) {
        expect(ids(list.tail)).toEqual(ids(list.all).slice(-2));
        expect(list.tail.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: false });
      }
    });
  });
});
