import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { runWhatIf } from "./whatif-api";

/**
 * A gateway whose scenario result changes once, as the second page of units is asked for: that
 * cursor is refused as STALE_CURSOR and every later answer is of the new data. Units are rows of
 * `rows`, cursors row offsets, pages as long as the query's `first: n`. Returns every request's
 * variables.
 */
function changingGateway(rows: number, answer: (units: unknown, revision: number) => unknown) {
  let revision = 0;
  const sent: Record<string, unknown>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body) as { query: string; variables: { after?: string } };
      sent.push(variables);
      if (variables.after != null && revision === 0) {
        revision = 1;
        const message = "the list changed since this cursor was issued (ask for the first page again)";
        const extensions = { code: "STALE_CURSOR", issues: [{ path: "after", message }] };
        return new Response(JSON.stringify({ errors: [{ message: `after: ${message}`, extensions }] }));
      }
      const from = Number(variables.after ?? 0);
      const to = Math.min(rows, from + Number(query.match(/first: (\d+)/)![1]));
      const edges = Array.from({ length: to - from }, (_, i) => ({
        cursor: String(from + i + 1),
        node: { unitId: `U${from + i}`, name: `revision ${revision}` },
      }));
      const units = { pageInfo: { hasNextPage: to < rows, endCursor: String(to) }, edges };
      return new Response(JSON.stringify({ data: answer(units, revision) }));
    }),
  );
  return sent;
}

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("runWhatIf", () => {
  it("runs the scenario again from the first page when the data changes, with the summary of the run its units come from", async () => {
    const sent = changingGateway(500, (units, revision) => ({
      whatIf: {
        __typename: "WhatIf",
        stageTwo: "s",
        swapCount: revision === 0 ? 3 : 5,
        overall: { spearman: 0.9, kendallTauB: 0.8, unitsMoved: revision === 0 ? 2 : 4 },
        gradeChanges: revision === 0 ? [] : [{ unitId: "U1", from: "good", to: "excellent" }],
        units,
      },
    }));
    const scenario = { patch: { categories: { work: { points: 40 } } } };
    const result = await runWhatIf("2018", scenario, "g");
    expect(sent.map((v) => v.after ?? null)).toEqual([null, "200", null, "200", "400"]);
    // Every request the same but for its cursor.
    for (const v of sent) expect(v).toMatchObject({ cycleId: "2018", scenario, group: "g" });
    expect(result.units).toHaveLength(500);
    expect(new Set(result.units.map((u) => u.name))).toEqual(new Set(["revision 1"]));
    expect(result.swapCount).toBe(5);
    expect(result.overall?.unitsMoved).toBe(4);
    expect(result.gradeChanges).toEqual([{ unitId: "U1", from: "good", to: "excellent" }]);
  });
});
