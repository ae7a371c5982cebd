import { describe, expect, it } from "vitest";
import { schemeUnder } from "./scheme-under";
import type { SchemeDocument } from "./whatif-api";

const scheme: SchemeDocument = {
  categories: [
    { id: "work", name: "业务工作", points: 30 },
    { id: "organ", name: "机关建设", points: 30 },
    { id: "public", name: "开门评议", points: 40 },
  ],
  groups: [{ id: "g", name: "g" }],
};

describe("schemeUnder", () => {
  it("gives each category the saved scenario's points, as written, and the scheme's where it says none", () => {
    const under = schemeUnder(scheme, {
      patch: { categories: { public: { points: 50 }, organ: { points: "20.5" }, work: { name: "业务" } } },
    });
    expect(under.categories.map((c) => c.points)).toEqual([30, "20.5", 50]);
    // The scheme itself is left as it was.
    expect(scheme.categories.map((c) => c.points)).toEqual([30, 30, 40]);
  });

  it("is the scheme itself without a scenario, or with points that are not a value", () => {
    expect(schemeUnder(scheme, null)).toBe(scheme);
    const odd = schemeUnder(scheme, {
      patch: { categories: { public: { points: null }, work: { points: " " } } },
    });
    expect(odd.categories.map((c) => c.points)).toEqual([30, 30, 40]);
  });
});
