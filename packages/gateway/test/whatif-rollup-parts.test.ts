import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { importUnitsAndScores } from "./imported-cycle.js";

/**
 * Bureau B (public 80 of 100: 32 of 40) whose two branches (75.05 and 75.075: mean share
 * 0.750625) count 10% toward its public evaluation; U1 has no branches.
 */
function bureaus(rollups: object[]) {
  const direct = (outOf: number) => ({ kind: "direct", outOf });
  return {
    id: "bureaus",
    version: 1,
    name: "bureaus and their branches",
    categories: [
      { id: "business", name: "business work", points: 30, method: direct(30) },
      { id: "organ", name: "organ construction", points: 30, method: direct(30) },
      { id: "public", name: "public evaluation", points: 40, method: direct(100) },
    ],
    groups: [
      { id: "bureaus", name: "bureaus" },
      { id: "branches", name: "branches", ranked: false },
    ],
    rollups,
    rounding: { decimals: 2, mode: "half-up" },
  };
}
const TEN_PERCENT = {
  id: "branches",
  source: { category: "public" },
  share: 0.1,
  into: { category: "public" },
};

const ROLLUP_PARTS = `rollupParts { into category name rollupIds
  fromSubUnits { baseline scenario delta } own { baseline scenario delta }
  subUnits { baseline { rollupId subUnits withoutResult } scenario { rollupId subUnits withoutResult } } }`;
const counts = [{ rollupId: "branches", subUnits: 2, withoutResult: 0 }];

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
    await t.store.schemes.publish("test", {
      schemeId: "bureaus",
      basedOn: null,
      document: bureaus([TEN_PERCENT]),
      reason: "test",
    });
    await t.store.cycles.create("test", {
      id: "bureaus",
      year: 2024,
      name: "bureaus",
      schemeId: "bureaus",
      schemeVersion: 1,
    });
    const units = [
      { id: "B", name: "市公安局", group: "bureaus" },
      { id: "U1", name: "市民政局", group: "bureaus" },
      { id: "B1", name: "东区分局", group: "branches", parent: "B" },
      { id: "B2", name: "西区分局", group: "branches", parent: "B" },
    ];
    const pub: Record<string, string> = { B: "80", U1: "78", B1: "75.05", B2: "75.075" };
    await importUnitsAndScores(
      t.store,
      "bureaus",
      units,
      units.flatMap(({ id }) => [
        { unit: id, category: "business", value: "25" },
        { unit: id, category: "organ", value: "24" },
        { unit: id, category: "public", value: pub[id]! },
      ]),
    );
  });
  afterAll(() => t?.close());

  it("splits a bureau's public evaluation into its own and its branches' share, on both sides", async () => {
    const { body } = await t.gql(
      `query($s: JSON) { whatIf(cycleId: "bureaus", scenario: $s) { ... on WhatIf {
        units(unitIds: ["B", "U1"]) { edges { node { unitId parts { part baseline scenario } ${ROLLUP_PARTS} } } } } } }`,
      { s: { name: "20%", patch: { rollups: { branches: { share: "0.2" } } } } },
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    const row = new Map(body.data.whatIf.units.edges.map((e: any) => [e.node.unitId, e.node]));
    const b: any = row.get("B");
    // 10%: 0.9 × 32 + 0.1 × 0.750625 × 40 = 28.8 + 3.0025 = 31.8025 → 31.80; 20%: 25.6 + 6.005 → 31.61.
    expect(b.parts.find((p: any) => p.part === "public")).toEqual({
      part: "public",
      baseline: "31.8",
      scenario: "31.61",
    });
    expect(b.rollupParts).toEqual([
      {
        into: "CATEGORY",
        category: "public",
        name: "public evaluation",
        rollupIds: ["branches"],
        fromSubUnits: { baseline: "3.0025", scenario: "6.005", delta: "3.0025" },
        own: { baseline: "28.7975", scenario: "25.605", delta: "-3.1925" },
        subUnits: { baseline: counts, scenario: counts },
      },
    ]);
    expect((row.get("U1") as any).rollupParts).toEqual([]);
  });

  it("gives a version comparison's rows theirs: null on the side of the version without the roll-up", async () => {
    const { body } = await t.gql(
      `mutation($d: JSON!) { previewSchemeImpact(cycleId: "bureaus", document: $d) { ... on RankMovements {
        analysis { units(unitIds: ["B"]) { edges { node { ${ROLLUP_PARTS} } } } } } } }`,
      { d: bureaus([]) },
      { as: "admin" },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.previewSchemeImpact.analysis.units.edges[0].node.rollupParts).toEqual([
      {
        into: "CATEGORY",
        category: "public",
        name: "public evaluation",
        rollupIds: ["branches"],
        fromSubUnits: { baseline: "3.0025", scenario: null, delta: null },
        own: { baseline: "28.7975", scenario: null, delta: null },
        subUnits: { baseline: counts, scenario: null },
      },
    ]);
  });
});
