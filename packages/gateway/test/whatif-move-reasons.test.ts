import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, startTestServer, type TestServer } from "./helpers.js";

/** The analyst's "stricter sample": four units lose their totals, and the 30% quota of 优秀 with them. */
const STRICTER = { name: "min 247", patch: { categories: { public: { method: { minValidForms: 247 } } } } };

const ROWS = `query($s: JSON) { whatIf(cycleId: "2018", scenario: $s) { ... on WhatIf {
  swapCount
  units(unitIds: ["U09", "U13", "U12"]) { edges { node { unitId rankDelta totalDelta
    baseline { rank rankedInGroup grade } scenario { rank rankedInGroup grade }
    moveReasons { kind text unitIds } } } } } } }`;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ backend });
  });
  afterAll(() => t?.close());

  it("says why a row moved where its parts and swaps do not: the quota shrank with the ranked pool", async () => {
    const { body } = await t.gql(ROWS, { s: STRICTER }, { as: "analyst" });
    expect(body.errors).toBeUndefined();
    const w = body.data.whatIf;
    expect(w.swapCount).toBe(0);
    const row = new Map(w.units.edges.map((e: any) => [e.node.unitId, e.node]));
    const left =
      "4 units ranked in group law-enforcement in the baseline are not ranked there in the scenario";
    const named = "U04 (no total), U10 (no total), U03 (no total) and 1 more";
    // 9th on both sides, its total unchanged, and 优秀 lost: the quota went from 8 places to 7.
    expect(row.get("U09")).toEqual({
      unitId: "U09",
      rankDelta: 0,
      totalDelta: "0",
      baseline: { rank: 9, rankedInGroup: 29, grade: "excellent" },
      scenario: { rank: 9, rankedInGroup: 25, grade: "good" },
      moveReasons: [
        {
          kind: "grade",
          text: "良好 good: total ≥ 75 (优秀 excellent's quota of 7 (30% of 25 ranked units = 7.5, rounded down) in group law-enforcement was filled above it)",
          unitIds: [],
        },
        {
          kind: "quota",
          text: "优秀 excellent's quota in group law-enforcement: 8 places (30% of 29 ranked units = 8.7, rounded down) in the baseline, 7 places (30% of 25 ranked units = 7.5, rounded down) in the scenario",
          unitIds: [],
        },
        { kind: "left", text: `${left}, none of them above it: ${named}`, unitIds: ["U04", "U10", "U03"] },
      ],
    });
    // 29th → 25th with no change of its own: the four above it lost their totals.
    expect(row.get("U13")).toMatchObject({
      rankDelta: -4,
      totalDelta: "0",
      moveReasons: [
        { kind: "left", text: `${left}, all 4 above it: ${named}`, unitIds: ["U04", "U10", "U03"] },
      ],
    });
  });

  it("gives no reasons for a row whose grade, rank and ranked count did not move", async () => {
    const { body } = await t.gql(
      `query($s: JSON) { whatIf(cycleId: "2018", scenario: $s) { ... on WhatIf {
        units(first: 29) { edges { node { unitId baseline { rank rankedInGroup grade } scenario { rank rankedInGroup grade }
          moveReasons { kind } } } } } } }`,
      { s: { name: "nothing", patch: { categories: { public: { points: 40 } } } } },
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    const rows = body.data.whatIf.units.edges.map((e: any) => e.node);
    expect(rows).toHaveLength(29);
    for (const r of rows) expect(r.moveReasons, r.unitId).toEqual([]);
  });
});
