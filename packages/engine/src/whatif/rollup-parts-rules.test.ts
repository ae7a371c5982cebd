import { describe, expect, it, vi } from "vitest";
import { directScheme } from "../_test-schemes.js";
import { createBaseline } from "./baseline.js";
import { rollupPartsOf } from "./rollup-parts.js";
import { standingsFromExact } from "./standing.js";

// Compose's roll-up rule changed under both: every share read as a half.
vi.mock("../evaluation/rollup.js", async (actual) => {
  const real = await actual<typeof import("../evaluation/rollup.js")>();
  return {
    ...real,
    applyRollup: vi.fn((rollup: Parameters<typeof real.applyRollup>[0], ...rest: unknown[]) =>
      (real.applyRollup as (...args: unknown[]) => unknown)({ ...rollup, share: 0.5 }, ...rest),
    ),
  };
});

describe("roll-up parts and compose's roll-ups", () => {
  it("blend by compose's own rule: a change to it reaches both", () => {
    const baseline = createBaseline(
      directScheme({
        groups: [
          { id: "g1", name: "ranked" },
          { id: "g2", name: "sub-units", ranked: false },
        ],
        rollups: [{ id: "subs", source: { category: "public" }, share: 0.1, into: { category: "public" } }],
      }),
      {
        units: [
          { id: "B", name: "B", group: "g1" },
          { id: "S1", name: "S1", group: "g2", parent: "B" },
          { id: "S2", name: "S2", group: "g2", parent: "B" },
        ],
        scores: [
          ["B", "80"],
          ["S1", "75.05"],
          ["S2", "75.075"],
        ].flatMap(([unit, pub]) => [
          { unit: unit!, category: "business", value: "25" },
          { unit: unit!, category: "organ", value: "24" },
          { unit: unit!, category: "public", value: pub! },
        ]),
      },
    );
    // Compose's standings (a baseline's are the fast path's, which blends by its own copy).
    const composed = {
      compiled: baseline.compiled,
      units: baseline.dataset.units,
      standings: () => standingsFromExact(baseline.exact),
    };
    // At a half: 0.5 × 32 + 0.5 × 0.750625 × 40 = 16 + 15.0125 = 31.0125 → 31.01, not 10%'s 3.0025.
    const [p] = rollupPartsOf(composed, composed)("B")!;
    expect(p).toMatchObject({
      fromSubUnits: { baseline: "15.0125", scenario: "15.0125" },
      own: { baseline: "15.9975", scenario: "15.9975" },
    });
  });
});
