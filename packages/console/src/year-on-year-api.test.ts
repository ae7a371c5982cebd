import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { changingGateway } from "./_test-paged-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import { loadMoveReasons } from "./whatif-api";
import { compareCycles, compareCyclesKept, comparisonSource } from "./year-on-year-api";

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A gateway answering every request with `data`; returns each request's query and variables. */
function answering(data: unknown) {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      return Response.json({ data });
    }),
  );
  return sent;
}

describe("compareCycles", () => {
  it("reads every unit of the comparison's analysis, from the first page again when the data changes", async () => {
    const sent = changingGateway(500, (units, revision) => ({
      compareCycles: {
        __typename: "CycleComparison",
        analysis: { stageTwo: "compose", swapCount: revision, overall: null, units },
      },
    }));
    const result = await compareCycles({ cycleId: "2018" }, { cycleId: "2019" }, "g");
    // The sides have names of their own: `$after` is the page's cursor.
    expect(sent.map((v) => v.after ?? null)).toEqual([null, "200", null, "200", "400"]);
    for (const v of sent)
      expect(v).toMatchObject({
        beforeSide: { cycleId: "2018" },
        afterSide: { cycleId: "2019" },
        group: "g",
      });
    expect(result.units).toHaveLength(500);
    expect(new Set(result.units.map((u) => u.name))).toEqual(new Set(["revision 1"]));
    expect(result.swapCount).toBe(1);
  });

  it("asks for the units both cycles hold, and reads those only one holds beside the rows", async () => {
    const onlyBefore = [
      {
        unitId: "U21",
        name: "市林业局",
        standing: {
          group: "g",
          rank: 13,
          rankedInGroup: 29,
          total: "83.41",
          grade: "good",
          gradeName: "良好",
        },
      },
    ];
    const onlyAfter = [
      {
        unitId: "U30",
        name: "市数据局",
        standing: { group: "g", rank: null, rankedInGroup: 28, total: null, grade: null, gradeName: null },
      },
    ];
    const sent = changingGateway(300, (units) => ({
      compareCycles: {
        __typename: "CycleComparison",
        onlyBefore,
        onlyAfter,
        analysis: { stageTwo: "compose", swapCount: 0, overall: null, units },
      },
    }));
    const queries: string[] = [];
    const fetched = vi.mocked(fetch);
    const result = await compareCycles({ cycleId: "2018" }, { cycleId: "2019" }, "g");
    for (const [, init] of fetched.mock.calls) queries.push(JSON.parse(String(init!.body)).query);
    expect(result.units).toHaveLength(300);
    expect(result.onlyBefore).toEqual(onlyBefore);
    expect(result.onlyAfter).toEqual(onlyAfter);
    // In the rows' requests: a comparison scores both sides each time it is asked.
    expect(sent).toHaveLength(4);
    for (const q of queries) {
      expect(q).toContain("compareCycles(before: $beforeSide, after: $afterSide, units: COMMON)");
      expect(q).toMatch(/onlyBefore \{ unitId name standing \{[^}]*\brank\b[^}]*\btotal\b[^}]*\bgradeName\b/);
      expect(q).toMatch(/onlyAfter \{ unitId name standing \{/);
    }
  });

  it("throws the gateway's refusal of a comparison, with its issues", async () => {
    const issues = [{ path: "after.rulesOf", message: 'cycle "2150" not found' }];
    answering({
      compareCycles: { __typename: "ValidationError", code: "VALIDATION", message: "invalid input", issues },
    });
    const refused = await compareCycles(
      { cycleId: "2018" },
      { cycleId: "2019", rulesOf: "2150" },
      null,
    ).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: "VALIDATION", issues });
  });
});

describe("comparisonSource", () => {
  it("asks a unit's move reasons of the comparison's analysis, both sides sent as they are", async () => {
    const reasons = [{ kind: "grade", text: "U09 …", unitIds: ["U05"] }];
    const sent = answering({
      compareCycles: {
        __typename: "CycleComparison",
        analysis: { units: { edges: [{ node: { moveReasons: reasons } }] } },
      },
    });
    const before = { cycleId: "2019", scenario: { name: "2019 under the 2018 rules", patch: {} } };
    const source = comparisonSource(before, { cycleId: "2019" });
    expect(await loadMoveReasons(source, "U09")).toEqual(reasons);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.variables).toEqual({ beforeSide: before, afterSide: { cycleId: "2019" }, unitId: "U09" });
    expect(sent[0]!.query).toMatch(
      /compareCycles\(before: \$beforeSide, after: \$afterSide, units: COMMON\) \{.*\.\.\. on CycleComparison \{ analysis \{ units\(first: 1, unitIds: \[\$unitId\]\)/s,
    );
  });

  it("tells comparisons apart by both sides", () => {
    const a = comparisonSource({ cycleId: "2018" }, { cycleId: "2019" });
    expect(comparisonSource({ cycleId: "2018" }, { cycleId: "2019" }).key).toBe(a.key);
    expect(comparisonSource({ cycleId: "2019" }, { cycleId: "2018" }).key).not.toBe(a.key);
    expect(comparisonSource({ cycleId: "2018" }, { cycleId: "2019", scenarioId: "s1" }).key).not.toBe(a.key);
  });
});

describe("compareCyclesKept", () => {
  it("reads the rows and, in the same requests, what the after side's rulesOf could not take back", async () => {
    const rulesKept = [
      {
        path: "categories[id=organ].method.kind",
        kind: "CHANGED",
        before: "vote",
        after: "direct",
        renamedTo: null,
        renamedFrom: null,
      },
    ];
    const sent = changingGateway(300, (units) => ({
      compareCycles: {
        __typename: "CycleComparison",
        after: { rulesKept },
        analysis: { stageTwo: "compose", swapCount: 0, overall: null, units },
      },
    }));
    const middle = { cycleId: "2019", rulesOf: "2018" };
    const result = await compareCyclesKept({ cycleId: "2018" }, middle, null);
    expect(result.units).toHaveLength(300);
    expect(result.rulesKept).toEqual(rulesKept);
    // No request of its own for them: a comparison scores both sides each time it is asked.
    expect(sent).toHaveLength(4);
    for (const v of sent) expect(v).toMatchObject({ beforeSide: { cycleId: "2018" }, afterSide: middle });
    // The middle holds the compared cycle's units, which the base cycle may not all hold.
    for (const [, init] of vi.mocked(fetch).mock.calls)
      expect(JSON.parse(String(init!.body)).query).toContain(
        "compareCycles(before: $beforeSide, after: $afterSide, units: COMMON)",
      );
  });
});
