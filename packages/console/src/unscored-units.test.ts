import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import { loadUnscoredUnits, SHOWN_UNSCORED, unitLacks, unscoredRefused } from "./unscored-units";

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A gateway answering every request with `data`; returns every request's query and variables. */
function gateway(data: unknown) {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body));
      return new Response(JSON.stringify({ data }));
    }),
  );
  return sent;
}

const unvoted = (unitId: string) => ({
  unitId,
  name: `unit ${unitId}`,
  categories: [
    { category: "business", points: "27.10", reason: null },
    { category: "organ", points: null, reason: "no records for this unit" },
    { category: "public", points: null, reason: "no survey forms" },
  ],
});

describe("loadUnscoredUnits", () => {
  it("counts the units without a total and every unit, from one request, naming the first few", async () => {
    const sent = gateway({
      cycle: { __typename: "Cycle", unscoredUnits: 19 },
      ranking: {
        __typename: "Ranking",
        groups: [{ units: 29 }, { units: 2 }],
        entries: { edges: [{ node: unvoted("U11") }, { node: unvoted("U12") }] },
      },
    });
    expect(await loadUnscoredUnits("2019-trial")).toEqual({
      count: 19,
      units: 31,
      shown: [
        {
          unitId: "U11",
          name: "unit U11",
          lacks: "organ: no records for this unit; public: no survey forms",
        },
        {
          unitId: "U12",
          name: "unit U12",
          lacks: "organ: no records for this unit; public: no survey forms",
        },
      ],
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.variables).toEqual({ cycleId: "2019-trial" });
    expect(sent[0]!.query).toContain(`entries(flag: INSUFFICIENT, first: ${SHOWN_UNSCORED})`);
  });

  it("is null when the cycle's records cannot be scored, so that nothing is confirmed", async () => {
    gateway({
      cycle: { __typename: "Cycle", unscoredUnits: null },
      ranking: { __typename: "ValidationError" },
    });
    expect(await loadUnscoredUnits("unscorable")).toBeNull();
    gateway({ cycle: { __typename: "NotFoundError" }, ranking: { __typename: "NotFoundError" } });
    expect(await loadUnscoredUnits("gone")).toBeNull();
  });
});

describe("unitLacks", () => {
  it("says a category without points by the engine's reason, or as having no result", () => {
    expect(
      unitLacks([
        { category: "organ", points: null, reason: null },
        { category: "public", points: "20", reason: null },
      ]),
    ).toBe("organ: no result");
  });
});

describe("unscoredRefused", () => {
  it("tells the refusal about units without a total from finalise's other refusals", () => {
    const at = (path: string) => new ApiError("x", "VALIDATION", [{ path, message: "m" }]);
    expect(unscoredRefused(at("expectedUnscoredUnits"))).toBe(true);
    expect(unscoredRefused(at("cycleId"))).toBe(false);
    expect(unscoredRefused(new Error("network"))).toBe(false);
  });
});
