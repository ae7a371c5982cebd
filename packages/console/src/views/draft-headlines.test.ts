import { describe, expect, it } from "vitest";
import { change } from "../_test-scheme-change";
import { draftHeadlines } from "./draft-headlines";

describe("draftHeadlines", () => {
  it("says categories added and dropped by id and name, points and the bonus cap moved, and counts the rest", () => {
    expect(
      draftHeadlines([
        change({ path: "categories[id=organ]", kind: "REMOVED", before: { id: "organ", name: "机关建设" } }),
        change({ path: "categories[id=safety]", kind: "ADDED", after: { id: "safety", name: "安全生产" } }),
        change({ path: "categories[id=public].points", kind: "CHANGED", before: 40, after: "50" }),
        change({ path: "bonusCap", kind: "CHANGED", before: "2", after: "2.5" }),
        change({ path: "categories[id=public].method.trim", kind: "CHANGED", before: 0.1, after: 0.2 }),
        change({ path: "name", kind: "CHANGED", before: "a", after: "b" }),
      ]),
    ).toEqual({
      added: [{ id: "safety", name: "安全生产" }],
      dropped: [{ id: "organ", name: "机关建设" }],
      renamed: [],
      points: [{ id: "public", before: "40", after: "50" }],
      bonusCap: { before: "2", after: "2.5" },
      others: 2,
    });
  });

  it("says a likely rename once, not as a category dropped and another added", () => {
    expect(
      draftHeadlines([
        change({ path: "categories[id=public]", kind: "REMOVED", renamedTo: "pubilc" }),
        change({ path: "categories[id=pubilc]", kind: "ADDED", renamedFrom: "public" }),
      ]),
    ).toMatchObject({ added: [], dropped: [], renamed: [{ from: "public", to: "pubilc" }], others: 0 });
  });

  it("leaves a grade rule's or group's rename, and a category's other fields, to the table", () => {
    const h = draftHeadlines([
      change({ path: "groups[id=g]", kind: "REMOVED", renamedTo: "g2" }),
      change({ path: "groups[id=g2]", kind: "ADDED", renamedFrom: "g" }),
      change({ path: "categories[id=public].name", kind: "CHANGED", before: "a", after: "b" }),
    ]);
    expect(h).toMatchObject({ added: [], dropped: [], renamed: [], points: [], bonusCap: null, others: 3 });
  });

  it("says a point with no value before (a category added) as a dash", () => {
    expect(
      draftHeadlines([change({ path: "categories[id=x].points", kind: "ADDED", after: 5 })]).points,
    ).toEqual([{ id: "x", before: "—", after: "5" }]);
  });

  it("counts a change inside a category whose path ends in a bracket as a change, not the category added or dropped", () => {
    expect(
      draftHeadlines([
        change({ path: 'categories[id=public].method.satisfiedOptions["satisfied"]', kind: "REMOVED" }),
        change({ path: 'categories[id=public].method.satisfiedOptions["basic"]', kind: "ADDED" }),
        change({
          path: "categories[id=public].method.inputs[id=a].points",
          kind: "CHANGED",
          before: 1,
          after: 2,
        }),
      ]),
    ).toMatchObject({ added: [], dropped: [], points: [], others: 3 });
  });
});
