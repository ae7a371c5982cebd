import { patchBetween } from "@pingyi/engine";
import { change } from "./_test-scheme-change";
import type { SchemeChange } from "./rules-api";

// Test support, not part of the console: two years' schemes as the engine reads them, so that a
// test reads the paths its patchBetween really keeps, not paths written by hand.

/** A year's scheme of two direct categories and one group, with `more` in it. */
export const keptYear = (more: object) => ({
  id: "t",
  version: 1,
  name: "t",
  categories: [
    { id: "business", name: "业务工作", points: 30, method: { kind: "direct", outOf: 30 } },
    { id: "public", name: "公众评议", points: 70, method: { kind: "direct", outOf: 100 } },
  ],
  groups: [{ id: "g1", name: "一组" }],
  ...more,
});

/** Roll-up `subs` from the total into the total, and then from a category into another. */
export const rollupEnds = {
  from: [{ id: "subs", source: { total: true }, share: 0.1, into: { total: true }, parents: ["U1"] }],
  to: [
    {
      id: "subs",
      source: { category: "public" },
      share: 0.1,
      into: { category: "business" },
      parents: ["U1"],
    },
  ],
};

/** What patchBetween keeps from `from` to `to`, as the gateway lists it (its kinds in capitals). */
export const keptChanges = (from: object, to: object): SchemeChange[] =>
  patchBetween(from, to).kept.map((c) =>
    change({ path: c.path, kind: c.kind.toUpperCase() as SchemeChange["kind"] }),
  );
