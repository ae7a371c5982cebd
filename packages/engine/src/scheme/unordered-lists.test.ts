import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withEveryList } from "../_test-unordered.js";
import { evaluate } from "../evaluation/evaluate.js";
import { yearArb, yearOf } from "../whatif/_test-scenarios.js";
import { shuffled } from "../whatif/_test-whatif.js";
import type { SchemeInput } from "./scheme-schema.js";
import { memberChanges, UNORDERED_LISTS, type UnorderedList } from "./unordered-lists.js";

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every list of a scheme at a shape (`*` any entry of a list), to be read or rearranged in place. */
function listsAt(scheme: SchemeInput, shape: readonly string[]): unknown[][] {
  let nodes: unknown[] = [scheme];
  for (const k of shape)
    nodes = nodes.flatMap((n) => {
      if (k === "*") return Array.isArray(n) ? n : [];
      const child = typeof n === "object" && n !== null ? (n as Record<string, unknown>)[k] : undefined;
      return child === undefined ? [] : [child];
    });
  return nodes.filter((n): n is unknown[] => Array.isArray(n));
}

/** The scheme with each list at the list's shape reversed (seed 0) or shuffled. */
function rearranged(scheme: SchemeInput, list: UnorderedList, seed: number): SchemeInput {
  const out = copy(scheme);
  for (const members of listsAt(out, list.shape)) {
    const next = seed === 0 ? [...members].reverse() : shuffled(members, seed)!;
    members.splice(0, members.length, ...next);
  }
  return out;
}

describe("UNORDERED_LISTS", () => {
  // Group-weighted surveys with a group short of forms for some units, roll-ups into named
  // parents, bonuses, vetoes: every list named holds two members or more and reaches records.
  const drawnYear = yearArb.map((y) =>
    withEveryList(
      yearOf({
        ...y,
        units: Math.min(Math.max(y.units, 12), 16),
        rollup: y.rollup ?? "total",
        bonuses: true,
      }),
    ),
  );

  it("name only lists whose order no evaluation reads: rearranged, each gives the same evaluation, traces and details too", () => {
    fc.assert(
      fc.property(drawnYear, fc.integer({ min: 0, max: 1000 }), ({ scheme, dataset }, seed) => {
        const expected = JSON.stringify(evaluate(scheme, dataset));
        expect(expected).toContain("group.deputies.score");
        for (const list of UNORDERED_LISTS) {
          const name = list.shape.join(".");
          expect(
            listsAt(scheme, list.shape).some((l) => l.length > 1),
            name,
          ).toBe(true);
          expect(JSON.stringify(evaluate(rearranged(scheme, list, seed), dataset)), name).toBe(expected);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("memberChanges", () => {
  const list = (repeatsCount: boolean): UnorderedList => ({ shape: [], repeatsCount });

  it("gives members added and removed at their own side's places, whatever the order", () => {
    expect(memberChanges(list(true), ["sr", "res"], ["res", "sr", "deputies"])).toEqual({
      removed: [],
      added: [2],
      changed: [],
    });
    expect(memberChanges(list(false), ["satisfied", "basically"], ["basically"])).toEqual({
      removed: [0],
      added: [],
      changed: [],
    });
  });

  it("counts a repeat where repeats count, and once where they do not", () => {
    expect(memberChanges(list(true), ["a", "b"], ["b", "a", "a"]).added).toEqual([2]);
    expect(memberChanges(list(false), ["a", "b"], ["b", "a", "a"]).added).toEqual([]);
    expect(memberChanges(list(false), ["a", "a", "b"], ["b"]).removed).toEqual([0]);
  });

  it("pairs a member removed and one added of the same key as one changed, where the list has a key", () => {
    const inputs: UnorderedList = { shape: [], repeatsCount: true, key: "name" };
    const before = [{ name: "a" }, { name: "b", description: "old" }];
    const after = [{ description: "new", name: "b" }, { name: "a" }, { name: "c" }];
    expect(memberChanges(inputs, before, after)).toEqual({ removed: [], added: [2], changed: [[1, 0]] });
    expect(memberChanges(list(true), before, after)).toEqual({ removed: [1], added: [0, 2], changed: [] });
    // Keys in another order are the same member.
    expect(
      memberChanges(inputs, [{ name: "b", description: "x" }], [{ description: "x", name: "b" }]),
    ).toEqual({
      removed: [],
      added: [],
      changed: [],
    });
  });
});
