import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { loadCycles } from "./queries";
import { runSweep, runUncertainty } from "./robustness-api";
import { loadHistory } from "./rules-api";
import { loadSwaps } from "./whatif-api";

/**
 * A gateway holding more rows than one page: every connection answers `first: n` / `last: n`
 * from the query text and `after` from the variables, with cursors that are row offsets.
 */
function fakeGateway(rows: number, answer: (connection: unknown) => unknown) {
  const calls: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body) as { query: string; variables: { after?: string } };
      calls.push(query);
      const first = query.match(/first: (\d+)/);
      const last = query.match(/last: (\d+)/);
      const from = first ? Number(variables.after ?? 0) : Math.max(0, rows - Number(last![1]));
      const to = first ? Math.min(rows, from + Number(first[1])) : rows;
      const edges = Array.from({ length: to - from }, (_, i) => ({
        cursor: String(from + i + 1),
        node: row(from + i),
      }));
      const connection = { pageInfo: { hasNextPage: to < rows, endCursor: String(to) }, edges };
      return new Response(JSON.stringify({ data: answer(connection) }));
    }),
  );
  return calls;
}

const row = (i: number) => ({
  // Every field any of the lists asks for; each list reads its own.
  id: `c${i}`,
  unitId: `U${i}`,
  name: `unit ${i}`,
  version: i + 1,
  overtakerId: `U${i}`,
  overtakenId: "U0",
});

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("lists longer than a page", () => {
  it("loads every cycle", async () => {
    fakeGateway(130, (c) => ({ cycles: c }));
    expect(await loadCycles()).toHaveLength(130);
  });

  it("sweeps every unit of the group", async () => {
    const calls = fakeGateway(1200, (units) => ({
      weightSweep: {
        __typename: "WeightSweep",
        category: "work",
        nominal: "30",
        from: "10",
        to: "50",
        breakpointCount: 7,
        units,
      },
    }));
    const sweep = await runSweep({
      cycleId: "2018",
      category: "work",
      from: "10",
      to: "50",
      others: "FIXED",
      group: "g",
    });
    expect(sweep.units.map((u) => u.unitId)).toEqual(Array.from({ length: 1200 }, (_, i) => `U${i}`));
    expect(sweep.breakpointCount).toBe(7);
    expect(calls.length).toBeGreaterThan(1);
  });

  it("draws every unit's Monte-Carlo interval", async () => {
    fakeGateway(1200, (units) => ({
      uncertainty: { __typename: "Uncertainty", nominalReproduced: true, units },
    }));
    const mc = await runUncertainty({
      cycleId: "2018",
      samples: 100,
      seed: 1,
      concentration: 100,
      group: "g",
    });
    expect(mc.units).toHaveLength(1200);
    expect(mc.nominalReproduced).toBe(true);
  });

  it("lists a scheme's every version, oldest first", async () => {
    fakeGateway(150, (c) => ({ schemeVersions: c }));
    const versions = await loadHistory("city-review");
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  });

  it("lists every unit a unit overtook", async () => {
    fakeGateway(1200, (swaps) => ({ whatIf: { __typename: "WhatIf", swaps } }));
    expect(await loadSwaps("2018", { patch: {} }, "U0")).toHaveLength(1200);
  });
});
