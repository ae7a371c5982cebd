import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runSweep } from "./robustness-api";

/** The variables of every request, answered with one empty page. */
function recordVariables() {
  const sent: Record<string, unknown>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body).variables);
      const units = { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] };
      return new Response(JSON.stringify({ data: { weightSweep: { __typename: "WeightSweep", units } } }));
    }),
  );
  return sent;
}

beforeEach(() => {
  vi.stubGlobal("sessionStorage", { getItem: () => null });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("runSweep", () => {
  it("leaves an emptied sweep bound out, so the gateway's default applies (an empty string is refused)", async () => {
    const sent = recordVariables();
    const sweep = { cycleId: "2018", category: "work", others: "FIXED", group: null } as const;
    await runSweep({ ...sweep, from: "", to: " " });
    await runSweep({ ...sweep, from: "0", to: "50" });
    expect(sent.map((v) => [v.from, v.to])).toEqual([
      [undefined, undefined],
      ["0", "50"],
    ]);
  });
});
