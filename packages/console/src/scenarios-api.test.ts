import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { loadScenarios, scenarioDescription, scenarioName } from "./scenarios-api";

beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("loadScenarios", () => {
  it("lists the cycle's scenarios with their owner, sharing, last change and description", async () => {
    const sent: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(JSON.parse(String(init.body)).variables);
        return Response.json({
          data: {
            scenarios: [
              {
                id: "s1",
                name: "2019 改革",
                owner: "analyst-1",
                shared: false,
                updatedAt: "2026-12-04T02:00:00.000Z",
                patch: { description: "公众评议 40 → 50", patch: {} },
              },
              {
                id: "s2",
                name: "无扣分",
                owner: "analyst-2",
                shared: true,
                updatedAt: "2026-12-03T08:00:00.000Z",
                patch: { patch: {} },
              },
            ],
          },
        });
      }),
    );
    expect(await loadScenarios("2018")).toEqual([
      {
        id: "s1",
        name: "2019 改革",
        owner: "analyst-1",
        shared: false,
        updatedAt: "2026-12-04T02:00:00.000Z",
        description: "公众评议 40 → 50",
      },
      {
        id: "s2",
        name: "无扣分",
        owner: "analyst-2",
        shared: true,
        updatedAt: "2026-12-03T08:00:00.000Z",
        description: null,
      },
    ]);
    expect(sent).toEqual([{ cycleId: "2018" }]);
  });
});

describe("scenarioDescription", () => {
  it("reads a description only when it is text with something in it", () => {
    expect(scenarioDescription({ description: "d" })).toBe("d");
    expect(scenarioDescription({ description: "  " })).toBeNull();
    expect(scenarioDescription({ description: 3 })).toBeNull();
    expect(scenarioDescription(null)).toBeNull();
    expect(scenarioDescription("text")).toBeNull();
  });
});

describe("scenarioName", () => {
  it("names a listed scenario, and falls back to its id", () => {
    const listed = [{ id: "s1", name: "改革", owner: "a", shared: true, updatedAt: "", description: null }];
    expect(scenarioName(listed, "s1")).toBe("改革");
    expect(scenarioName(listed, "s9")).toBe("s9");
    expect(scenarioName(null, "s1")).toBe("s1");
  });
});
