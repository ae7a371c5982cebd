import { describe, expect, it, vi } from "vitest";
import type { SchemeInput } from "../scheme/scheme-schema.js";
import { applyScenario } from "./apply-scenario.js";
import { patchBetween } from "./patch-between.js";

// Counts the patches tried: each is a whole scheme patched and compiled.
vi.mock("./apply-scenario.js", async (actual) => {
  const real = await actual<typeof import("./apply-scenario.js")>();
  return { ...real, applyScenario: vi.fn(real.applyScenario) };
});

/** `n` categories and grade rules; the second variant renames half the categories and moves every figure. */
function scheme(n: number, variant: 0 | 1): SchemeInput {
  return {
    id: "big",
    version: 1,
    name: "big",
    categories: Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      name: `category ${i}${variant && i % 2 ? " renamed" : ""}`,
      points: variant ? (i % 2 ? "0.4" : "0.6") : "0.5",
      method: { kind: "direct" as const, outOf: 10 },
    })),
    groups: [{ id: "g", name: "g" }],
    grades: {
      rules: Array.from({ length: n }, (_, i) => ({
        id: `r${i}`,
        name: `rule ${i}`,
        minTotal: variant ? 90 - i * 0.1 : 90 - i * 0.2,
      })),
    },
  };
}

describe("patchBetween's cost", () => {
  it("tries no patch without an edit that cannot be idle (points, names, bands)", () => {
    const { patch, kept } = patchBetween(scheme(100, 0), scheme(100, 1));
    expect(kept).toEqual([]);
    expect(Object.keys(patch.categories ?? {})).toHaveLength(100);
    // One patch with every edit; one per edit (249 here) before a criterion spared the trials.
    expect(vi.mocked(applyScenario).mock.calls.length).toBe(1);
  });
});
