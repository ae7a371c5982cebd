import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { staleCursorResponse } from "./_test-paged-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import { everyPage, everyPageWithHeads, type Page } from "./pages";
import { loadCycles, loadRanking } from "./queries";
import { runSweep, runUncertainty } from "./robustness-api";
import { loadHistory } from "./rules-api";
import { loadSwaps, scenarioSource } from "./whatif-api";

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
      scenarioId: null,
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
      scenarioId: null,
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
    expect(await loadSwaps(scenarioSource("2018", { patch: {} }), "U0")).toHaveLength(1200);
  });
});

describe("a list that changes while it is read", () => {
  const stale = () =>
    new ApiError(
      "after: the list changed since this cursor was issued (ask for the first page again)",
      "STALE_CURSOR",
      [
        {
          path: "after",
          message: "the list changed since this cursor was issued (ask for the first page again)",
        },
      ],
    );
  /** Two pages of `revision`'s rows; `fail(after)` throws instead of answering, when it says so. */
  const pages = (revision: () => string, fail: (after: string | null) => Error | null = () => null) =>
    vi.fn(async (after: string | null): Promise<Page<string>> => {
      const error = fail(after);
      if (error) throw error;
      const r = revision();
      return after === null
        ? { pageInfo: { hasNextPage: true, endCursor: "1" }, edges: [{ node: `${r}:a` }] }
        : { pageInfo: { hasNextPage: false, endCursor: "2" }, edges: [{ node: `${r}:b` }] };
    });

  it("is read again from the first page, keeping only the fresh rows", async () => {
    let revision = "old";
    let refused = false;
    const load = pages(
      () => revision,
      (after) => {
        if (after === null || refused) return null;
        // The data changed after the first page: its cursor is stale once.
        refused = true;
        revision = "new";
        return stale();
      },
    );
    expect(await everyPage(load)).toEqual(["new:a", "new:b"]);
    expect(load.mock.calls.map(([after]) => after)).toEqual([null, "1", null, "1"]);
  });

  it("gives up after three fresh starts, with the gateway's error", async () => {
    const load = pages(
      () => "r",
      (after) => (after === null ? null : stale()),
    );
    await expect(everyPage(load)).rejects.toMatchObject({ code: "STALE_CURSOR" });
    // The first read and three more, each refused at its second page.
    expect(load.mock.calls.map(([after]) => after)).toEqual([null, "1", null, "1", null, "1", null, "1"]);
  });

  it("is read again when the gateway refuses a cursor as stale", async () => {
    let refused = false;
    const rows = 700;
    const calls = fakeGateway(rows, (swaps) => ({ whatIf: { __typename: "WhatIf", swaps } }));
    const answer = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation(async (url, init) => {
      const { variables } = JSON.parse(String(init?.body)) as { variables: { after?: string } };
      if (variables.after == null || refused) return answer(url, init);
      refused = true;
      calls.push("refused");
      return staleCursorResponse();
    });
    expect(await loadSwaps(scenarioSource("2018", { patch: {} }), "U0")).toHaveLength(rows);
    expect(calls).toHaveLength(4);
    expect(calls[1]).toBe("refused");
  });

  it("returns the heads of the read the rows come from, not of the read refused as stale", async () => {
    let revision = "old";
    let refused = false;
    const load = pages(
      () => revision,
      (after) => {
        if (after === null || refused) return null;
        refused = true;
        revision = "new";
        return stale();
      },
    );
    const read = await everyPageWithHeads(async (after) => {
      const head = `${revision} summary`;
      return { head, page: await load(after) };
    });
    expect(read).toEqual({ heads: ["new summary", "new summary"], rows: ["new:a", "new:b"] });
  });

  it("reads a ranking again from its first page, with the scheme and groups of the read its entries come from", async () => {
    let revision = 0;
    const calls = fakeGateway(1200, (entries) => {
      const { pageInfo, edges } = entries as Page<{ name: string }>;
      return {
        ranking: {
          __typename: "Ranking",
          decimals: 2,
          maxTotal: "100",
          schemeId: "city-review",
          schemeVersion: revision === 0 ? 3 : 4,
          groups: [
            { id: "g", name: revision === 0 ? "old" : "new", ranked: true, units: 1200, rankedUnits: 1200 },
          ],
          entries: {
            pageInfo,
            edges: edges.map((e) => ({ node: { ...e.node, name: `revision ${revision}` } })),
          },
        },
      };
    });
    const answer = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation(async (url, init) => {
      const { variables } = JSON.parse(String(init?.body)) as { variables: { after?: string } };
      if (variables.after == null || revision > 0) return answer(url, init);
      // The data changes as the second page is asked for: the first page's cursor is stale.
      revision = 1;
      calls.push("refused");
      return staleCursorResponse();
    });
    const ranking = await loadRanking("2018", null);
    expect(calls).toHaveLength(5);
    expect(calls[1]).toBe("refused");
    expect(ranking.entries).toHaveLength(1200);
    expect(new Set(ranking.entries.map((e) => e.name))).toEqual(new Set(["revision 1"]));
    expect([ranking.schemeVersion, ranking.groups[0]!.name]).toEqual([4, "new"]);
  });

  it("does not read again for any other error", async () => {
    const load = pages(
      () => "r",
      (after) => (after === null ? null : new ApiError("after: not a cursor of this list", "VALIDATION")),
    );
    await expect(everyPage(load)).rejects.toMatchObject({ code: "VALIDATION" });
    expect(load).toHaveBeenCalledTimes(2);
  });
});
