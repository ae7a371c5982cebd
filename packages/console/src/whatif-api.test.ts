import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { changingGateway } from "./_test-paged-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import { loadRollupParts, runWhatIf, saveScenario, scenarioSource } from "./whatif-api";

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
  });
});

describe("saveScenario", () => {
  it("saves the whole scenario but its name: data overrides and description included", async () => {
    const sent: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(JSON.parse(String(init.body)).variables);
        return Response.json({ data: { saveScenario: { __typename: "Scenario", id: "s1" } } });
      }),
    );
    const data = { findings: { "F2018-001": { rectification: "on-time" } } };
    expect(
      await saveScenario(
        { cycleId: "2018", name: "all rectified" },
        { name: "ignored", description: "d", data },
      ),
    ).toBe("s1");
    expect(sent).toEqual([
      {
        input: {
          cycleId: "2018",
          name: "all rectified",
          patch: { description: "d", data, patch: {} },
          shared: true,
        },
      },
    ]);
  });

  it("saves over one's own scenario by its id, leaving its sharing as it was", async () => {
    const sent: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(JSON.parse(String(init.body)).variables);
        return Response.json({ data: { saveScenario: { __typename: "Scenario", id: "s1" } } });
      }),
    );
    const patch = { categories: { public: { points: 50 } } };
    expect(await saveScenario({ cycleId: "2018", name: "reform", id: "s1" }, { patch })).toBe("s1");
    expect(sent).toEqual([{ input: { cycleId: "2018", id: "s1", name: "reform", patch: { patch } } }]);
  });

  it("throws the gateway's refusal of another analyst's scenario as it came", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json({
          data: {
            saveScenario: {
              __typename: "ForbiddenError",
              code: "FORBIDDEN",
              message: "scenario 's2' belongs to analyst-2",
            },
          },
        }),
      ),
    );
    await expect(saveScenario({ cycleId: "2018", name: "x", id: "s2" }, {})).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "scenario 's2' belongs to analyst-2",
    });
  });
});

describe("loadRollupParts", () => {
  it("asks for one unit's roll-up parts, and answers none for a unit the scenario does not hold", async () => {
    const part = {
      into: "CATEGORY",
      category: "work",
      name: "Work",
      rollupIds: ["subs"],
      fromSubUnits: { baseline: "10", scenario: "20", delta: "10" },
      own: { baseline: "72", scenario: "64", delta: "-8" },
      subUnits: { baseline: [{ rollupId: "subs", subUnits: 2, withoutResult: 0 }], scenario: null },
    };
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const body = JSON.parse(init.body);
        sent.push(body);
        const edges = body.variables.unitId === "P1" ? [{ node: { rollupParts: [part] } }] : [];
        return new Response(JSON.stringify({ data: { whatIf: { __typename: "WhatIf", units: { edges } } } }));
      }),
    );
    const scenario = { patch: { rollups: { subs: { share: 0.2 } } } };
    expect(await loadRollupParts(scenarioSource("2032", scenario), "P1")).toEqual([part]);
    expect(await loadRollupParts(scenarioSource("2032", scenario), "gone")).toEqual([]);
    expect(sent[0]!.variables).toEqual({ cycleId: "2032", scenario, unitId: "P1" });
    expect(sent[0]!.query).toMatch(/units\(first: 1, unitIds: \[\$unitId\]\)/);
    expect(sent[0]!.query).toMatch(/rollupParts \{\s*into category name rollupIds/);
  });
});
