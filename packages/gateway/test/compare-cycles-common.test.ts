import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "@pingyi/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_DIR, loadDataset } from "../src/seed.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const read = (file: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, file), "utf8"));

/**
 * 2019 a bureau later: U05 (first in 2019, under a veto) merged away, U30 set up with only its
 * business score (no ballots nor forms: not scored). The other units' records are 2019's, so a
 * unit below U05 moves up one place and nothing else.
 */
function merged(): Dataset {
  const d = read("dataset-2019.json") as Dataset;
  const without = <T extends { unit: string }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((r) => r.unit !== "U05");
  return {
    ...d,
    units: [
      ...d.units.filter((u) => u.id !== "U05"),
      { id: "U30", name: "市数据局", group: "law-enforcement" },
    ],
    scores: [...without(d.scores), { unit: "U30", category: "business", value: "27" }],
    ballots: without(d.ballots),
    surveyForms: without(d.surveyForms),
    findings: without(d.findings),
    vetoEvents: without(d.vetoEvents),
  };
}

const COMPARE = `query($b: CycleSideInput!, $a: CycleSideInput!, $units: ComparedUnits) {
  compareCycles(before: $b, after: $a, units: $units) {
    __typename
    ... on CycleComparison {
      onlyBefore { ...oneSided }
      onlyAfter { ...oneSided }
      analysis {
        units(first: 100) { totalCount edges { node { unitId
          baseline { rank rankedInGroup } scenario { rank rankedInGroup }
          moveReasons { kind text unitIds } } } }
      }
    }
    ... on ValidationError { issues { path message } }
  }
}
fragment oneSided on OneSidedUnit {
  unitId name unit { id name }
  standing { rank rankedInGroup total exactTotal grade gradeName eligibility { excellence award reasons { kind text } } }
}`;

type Data = any;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  const compare = async (b: unknown, a: unknown, units?: string) => {
    const { body } = await t.gql(COMPARE, { b, a, units }, { as: "analyst" });
    expect(body.errors).toBeUndefined();
    return body.data.compareCycles;
  };
  const ranks = async (cycle: string) => {
    const { body } = await t.gql(
      `query($c: ID!) { ranking(cycleId: $c) { ... on Ranking { entries(first: 100) { edges { node { unitId rank } } } } } }`,
      { c: cycle },
      { as: "analyst" },
    );
    return new Map<string, number | null>(
      body.data.ranking.entries.edges.map((e: Data) => [e.node.unitId, e.node.rank]),
    );
  };

  beforeAll(async () => {
    t = await startTestServer({ backend });
    const created = await t.gql(
      `mutation { createCycle(input: { id: "merged", year: 2150, name: "merged", schemeId: "city-review", schemeVersion: 2, previousCycle: null }) { __typename ... on Error { message } } }`,
      {},
      { as: "admin" },
    );
    expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
    await t.store.transaction((tx) => loadDataset(tx, "merged", read("scheme-2019.json"), merged()));
  });
  afterAll(() => t?.close());

  it("refuses two cycles whose units differ under SAME, the default, naming each unit only one side has", async () => {
    const head =
      "cycle 'merged' as published (after) against cycle '2019' as published (before, the baseline)";
    const refused = {
      __typename: "ValidationError",
      issues: [
        { path: "after.cycleId", message: `${head}: unit "U05" is missing` },
        { path: "after.cycleId", message: `${head}: unit "U30" is not in the baseline` },
        {
          path: "units",
          message:
            "SAME (the default) compares two sides that hold the same units: units: COMMON compares the units both hold and lists the others in onlyBefore and onlyAfter",
        },
      ],
    };
    expect(await compare({ cycleId: "2019" }, { cycleId: "merged" })).toEqual(refused);
    expect(await compare({ cycleId: "2019" }, { cycleId: "merged" }, "SAME")).toEqual(refused);
    // Two cycles of the same units: nothing is one-sided.
    const same = await compare({ cycleId: "2018" }, { cycleId: "2019" });
    expect([same.onlyBefore, same.onlyAfter, same.analysis.units.totalCount]).toEqual([[], [], 29]);
  });

  it("refuses a filter naming a unit only one side holds, saying which side lists it, rather than an empty page or an unknown unit", async () => {
    const { body } = await t.gql(
      `{ rows: compareCycles(before: { cycleId: "2019" }, after: { cycleId: "merged" }, units: COMMON) {
          ... on CycleComparison { analysis { units(unitIds: ["U02", "U05", "U30"]) { totalCount } } } }
        swapsOf: compareCycles(before: { cycleId: "2019" }, after: { cycleId: "merged" }, units: COMMON) {
          ... on CycleComparison { analysis { swaps(unitId: "U30") { totalCount } } } }
        shared: compareCycles(before: { cycleId: "2019" }, after: { cycleId: "merged" }, units: COMMON) {
          ... on CycleComparison { analysis { units(unitIds: ["U02"]) { totalCount } swaps(unitId: "U02") { totalCount } } } } }`,
      {},
      { as: "analyst" },
    );
    const issuesAt = (alias: string) =>
      body.errors?.find((e: Data) => e.path[0] === alias)?.extensions?.issues;
    expect(issuesAt("rows")).toEqual([
      {
        path: "unitIds[1]",
        message: 'unit "U05" is not compared: only the before side holds it (listed in onlyBefore)',
      },
      {
        path: "unitIds[2]",
        message: 'unit "U30" is not compared: only the after side holds it (listed in onlyAfter)',
      },
    ]);
    expect(issuesAt("swapsOf")).toEqual([
      {
        path: "unitId",
        message: 'unit "U30" is not compared: only the after side holds it (listed in onlyAfter)',
      },
    ]);
    expect(body.data.shared).toEqual({ analysis: { units: { totalCount: 1 }, swaps: { totalCount: 0 } } });
  });

  it("compares the units both hold under COMMON, each ranked as its side published it, and lists the others with their standing", async () => {
    const c = await compare({ cycleId: "2019" }, { cycleId: "merged" }, "COMMON");
    expect(c.__typename).toBe("CycleComparison");
    const [r2019, rMerged] = [await ranks("2019"), await ranks("merged")];
    const rows = new Map<string, Data>(c.analysis.units.edges.map((e: Data) => [e.node.unitId, e.node]));
    expect(c.analysis.units.totalCount).toBe(28);
    expect([...rows.keys()].sort()).toEqual([...r2019.keys()].filter((u) => u !== "U05").sort());
    for (const [unit, row] of rows) {
      expect([row.baseline.rank, row.scenario.rank], unit).toEqual([r2019.get(unit), rMerged.get(unit)]);
      expect([row.baseline.rankedInGroup, row.scenario.rankedInGroup], unit).toEqual([29, 28]);
      // U05 was first in 2019: every shared unit is one place higher without it.
      expect(row.scenario.rank, unit).toBe(row.baseline.rank - 1);
    }
    // U02 moved only because U05 left: its reasons say so, naming it.
    expect(rows.get("U02").moveReasons).toEqual([
      {
        kind: "left",
        text: "1 unit ranked in group law-enforcement in the baseline is not ranked there in the scenario, above it: U05 (only in the baseline)",
        unitIds: ["U05"],
      },
    ]);
    expect(c.onlyBefore).toEqual([
      {
        unitId: "U05",
        name: "市住房和城乡建设局",
        // 2019's unit: "merged" has none of that id.
        unit: { id: "U05", name: "市住房和城乡建设局" },
        standing: {
          rank: 1,
          rankedInGroup: 29,
          total: "89.40",
          exactTotal: "89.4",
          grade: "good",
          gradeName: "良好 good",
          eligibility: {
            excellence: false,
            award: false,
            reasons: [
              {
                kind: "veto",
                text: "重大责任事故 major incident (previous year): 2018年较大安全生产责任事故 a serious work-safety accident",
              },
            ],
          },
        },
      },
    ]);
    expect(c.onlyAfter).toMatchObject([
      {
        unitId: "U30",
        name: "市数据局",
        // "merged"'s unit: 2019 has none of that id.
        unit: { id: "U30", name: "市数据局" },
        standing: {
          rank: null,
          rankedInGroup: 28,
          total: null,
          exactTotal: null,
          grade: null,
          gradeName: null,
          eligibility: { excellence: false, reasons: [{ kind: "insufficient" }] },
        },
      },
    ]);
  });

  it("keeps SAME and COMMON apart, asked in one request or one after the other, and serves a repeat as it was", async () => {
    const baselines = t.gateway.services.baselines;
    baselines.clear();
    const runs = baselines.analysisRuns;
    // COMMON kept first: SAME must still refuse, not read it.
    const common = await compare({ cycleId: "2019" }, { cycleId: "merged" }, "COMMON");
    expect(common.onlyBefore.map((u: Data) => u.unitId)).toEqual(["U05"]);
    expect(baselines.analysisRuns).toBe(runs + 1);
    const both = `query($b: CycleSideInput!, $a: CycleSideInput!) {
      common: compareCycles(before: $b, after: $a, units: COMMON) { __typename ... on CycleComparison { onlyAfter { unitId } analysis { units { totalCount } } } }
      same: compareCycles(before: $b, after: $a, units: SAME) { __typename ... on CycleComparison { onlyAfter { unitId } analysis { units { totalCount } } } }
      default: compareCycles(before: $b, after: $a) { __typename ... on CycleComparison { onlyAfter { unitId } analysis { units { totalCount } } } }
    }`;
    const asked = async (b: string, a: string) => {
      const { body } = await t.gql(both, { b: { cycleId: b }, a: { cycleId: a } }, { as: "analyst" });
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const differ = await asked("2019", "merged");
    expect(differ.common).toEqual({
      __typename: "CycleComparison",
      onlyAfter: [{ unitId: "U30" }],
      analysis: { units: { totalCount: 28 } },
    });
    expect([differ.same.__typename, differ.default.__typename]).toEqual([
      "ValidationError",
      "ValidationError",
    ]);
    // The same units: both answer alike, each computed once (SAME and the default are one).
    const before = baselines.analysisRuns;
    const alike = { __typename: "CycleComparison", onlyAfter: [], analysis: { units: { totalCount: 29 } } };
    expect(await asked("2018", "2019")).toEqual({ common: alike, same: alike, default: alike });
    expect(baselines.analysisRuns).toBe(before + 2);
    // Repeats are served as they were kept.
    await asked("2018", "2019");
    expect(await compare({ cycleId: "2019" }, { cycleId: "merged" }, "COMMON")).toEqual(common);
    expect(baselines.analysisRuns).toBe(before + 2);
  });

  it("refuses a cursor of SAME in COMMON and the other way round, on the same units", async () => {
    const page = async (units: string, after?: string) => {
      const { body } = await t.gql(
        `query($units: ComparedUnits, $after: String) { compareCycles(before: { cycleId: "2018" }, after: { cycleId: "2019" }, units: $units) {
          ... on CycleComparison { analysis { units(first: 10, after: $after) { edges { cursor } } } } } }`,
        { units, after },
        { as: "analyst" },
      );
      return body;
    };
    for (const [from, to] of [
      ["SAME", "COMMON"],
      ["COMMON", "SAME"],
    ]) {
      const cursor = (await page(from!)).data.compareCycles.analysis.units.edges.at(-1).cursor;
      expect((await page(from!, cursor)).errors, from).toBeUndefined();
      expect((await page(to!, cursor)).errors?.[0]?.extensions, `${from} → ${to}`).toMatchObject({
        code: "VALIDATION",
        issues: [{ path: "after", message: expect.stringContaining("for another cycle comparison") }],
      });
    }
  });

  it("splits a year whose units differ: the data half under COMMON, the rule half under SAME", async () => {
    const data = await compare({ cycleId: "2018" }, { cycleId: "merged", rulesOf: "2018" }, "COMMON");
    expect(data.onlyBefore.map((u: Data) => u.unitId)).toEqual(["U05"]);
    expect(data.onlyAfter.map((u: Data) => u.unitId)).toEqual(["U30"]);
    const rules = await compare({ cycleId: "merged", rulesOf: "2018" }, { cycleId: "merged" });
    expect([rules.__typename, rules.onlyBefore, rules.onlyAfter]).toEqual(["CycleComparison", [], []]);
  });

  it("refuses under COMMON two cycles without a unit in common, at after.cycleId", async () => {
    const admin = { as: "admin" as const };
    const created = await t.gql(
      `mutation { createCycle(input: { id: "renumbered", year: 2151, name: "renumbered", schemeId: "city-review", schemeVersion: 2, previousCycle: null }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(created.body.data.createCycle).toEqual({ __typename: "Cycle" });
    const group = await t.gql(
      `mutation { upsertGroup(cycleId: "renumbered", input: { id: "law-enforcement", name: "执法类", ranked: true }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(group.body.data.upsertGroup).toEqual({ __typename: "Group" });
    const unit = await t.gql(
      `mutation { upsertUnit(cycleId: "renumbered", input: { id: "A001", name: "市公安局", group: "law-enforcement" }) { __typename ... on Error { message } } }`,
      {},
      admin,
    );
    expect(unit.body.data.upsertUnit).toEqual({ __typename: "Unit" });
    expect(await compare({ cycleId: "2019" }, { cycleId: "renumbered" }, "COMMON")).toEqual({
      __typename: "ValidationError",
      issues: [
        {
          path: "after.cycleId",
          message:
            "cycle 'renumbered' as published (after) against cycle '2019' as published (before, the baseline): no unit in common with the baseline (its 29 units, 1 here): were the units renumbered?",
        },
      ],
    });
  });

  it("refuses an unknown units value as GraphQL does", async () => {
    const { body } = await t.gql(
      `{ compareCycles(before: { cycleId: "2019" }, after: { cycleId: "merged" }, units: SOME) { __typename } }`,
      {},
      { as: "analyst" },
    );
    expect(body.errors?.[0]?.message).toContain('Value "SOME" does not exist in "ComparedUnits" enum');
  });
});
