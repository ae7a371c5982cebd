import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditChange, changedFields } from "./audit-change";
import { recordFields } from "./audit-record";

/** A cycle as its entries keep it, before and after a move to version 3. */
const cycle = {
  id: "2019",
  year: 2019,
  name: "2019年度",
  schemeId: "city-review",
  schemeVersion: 2,
  status: "open",
  previousCycleId: "2018",
};

describe("auditChange", () => {
  it("lists an update's fields that differ, before and after, and counts the others", () => {
    expect(auditChange({ before: cycle, after: { ...cycle, schemeVersion: 3 } })).toEqual({
      kind: "update",
      counted: false,
      changed: [{ path: "schemeVersion", before: { value: 2 }, after: { value: 3 } }],
      unchanged: 6,
    });
  });

  it("names a nested field by its path, and says a field the other side lacks is not there", () => {
    const before = { schemeId: "city-review", version: 1 };
    const after = {
      schemeId: "city-review",
      version: 2,
      reason: "public weight 50 → 45",
      rules: { quota: 0.3 },
    };
    expect(changedFields(before, after, false)).toEqual({
      changed: [
        { path: "version", before: { value: 1 }, after: { value: 2 } },
        { path: "reason", before: undefined, after: { value: "public weight 50 → 45" } },
        { path: "rules.quota", before: undefined, after: { value: 0.3 } },
      ],
      unchanged: 1,
    });
    // A field emptied is a change to null, not a field gone.
    expect(changedFields({ note: "late" }, { note: null }, false).changed).toEqual([
      { path: "note", before: { value: "late" }, after: { value: null } },
    ]);
  });

  it("shows a version's withdrawal as one change, null to who withdrew it, when and why", () => {
    const version = { schemeId: "city-review", version: 2 };
    const withdrawn = { at: "2026-12-07T09:00:00.000Z", by: "admin", reason: "wrong points for public" };
    expect(
      auditChange({ before: { ...version, withdrawn: null }, after: { ...version, withdrawn } }),
    ).toEqual({
      kind: "update",
      counted: false,
      changed: [{ path: "withdrawn", before: { value: null }, after: { value: withdrawn } }],
      unchanged: 2,
    });
    // Nested, and the other way: an object emptied to null is one change too.
    expect(changedFields({ a: { note: { by: "x", at: "y" } } }, { a: { note: null } }, false)).toEqual({
      changed: [{ path: "a.note", before: { value: { by: "x", at: "y" } }, after: { value: null } }],
      unchanged: 0,
    });
  });

  it("compares a list as one value: a unit's kinds reordered is a change", () => {
    expect(changedFields({ tags: ["a", "b"] }, { tags: ["b", "a"] }, false).changed).toEqual([
      { path: "tags", before: { value: ["a", "b"] }, after: { value: ["b", "a"] } },
    ]);
    expect(changedFields({ tags: ["a"] }, { tags: ["a"] }, false)).toEqual({ changed: [], unchanged: 1 });
  });

  it("shows a record made, or deleted, whole, field by field", () => {
    const unit = { id: "U09", name: "市审批局", group: "service", parent: null };
    expect(auditChange({ before: null, after: unit })).toEqual({
      kind: "create",
      counted: false,
      fields: [
        { path: "id", value: "U09" },
        { path: "name", value: "市审批局" },
        { path: "group", value: "service" },
        { path: "parent", value: null },
      ],
    });
    expect(auditChange({ before: unit, after: null })).toMatchObject({ kind: "delete", counted: false });
    expect(auditChange({ before: null, after: null })).toEqual({ kind: "none" });
  });

  it("counts a large record's long lists on both sides of an update, so that their counts are compared", () => {
    const ballots = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ voter: `v${i}`, unit: "U01", score: "90" }));
    const change = auditChange({
      before: { category: "organ", ballots: ballots(2000) },
      after: { category: "organ", ballots: ballots(1999) },
    });
    expect(change).toEqual({
      kind: "update",
      counted: true,
      changed: [{ path: "ballots", before: { items: 2000 }, after: { items: 1999 } }],
      unchanged: 1,
    });
  });

  /** Records of few keys, so that two of them share fields, nested objects and lists (a list has a "0"). */
  const record = (values: fc.Arbitrary<unknown>) =>
    fc.object({ key: fc.constantFrom("a", "b", "0"), maxDepth: 3, values: [values] });
  const leaf = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom("x", "y"), fc.constant([1]));

  it("walks both records as each one's fields list them: without nulls, a change is a field that differs", () => {
    fc.assert(
      fc.property(record(leaf), record(leaf), (before, after) => {
        const fields = (r: unknown) =>
          new Map(recordFields(r, false).map(({ path, ...value }) => [path, JSON.stringify(value)]));
        const [was, is] = [fields(before), fields(after)];
        const { changed, unchanged } = changedFields(before, after, false);
        const paths = new Set([...was.keys(), ...is.keys()]);
        expect(changed.length + unchanged).toBe(paths.size);
        for (const c of changed) {
          expect(JSON.stringify(c.before)).toBe(was.get(c.path));
          expect(JSON.stringify(c.after)).toBe(is.get(c.path));
          expect(was.get(c.path)).not.toBe(is.get(c.path));
        }
      }),
    );
  });

  it("finds the same changes, sides swapped, whichever record is before, nulls and objects included", () => {
    fc.assert(
      fc.property(
        record(fc.oneof(leaf, fc.constant(null))),
        record(fc.oneof(leaf, fc.constant(null))),
        (a, b) => {
          const key = (c: { path: string; before: unknown; after: unknown }) => JSON.stringify(c);
          const there = changedFields(a, b, false);
          const back = changedFields(b, a, false);
          expect(back.unchanged).toBe(there.unchanged);
          expect(
            new Set(back.changed.map((c) => key({ path: c.path, before: c.after, after: c.before }))),
          ).toEqual(new Set(there.changed.map(key)));
          expect(changedFields(a, a, false)).toEqual({
            changed: [],
            unchanged: recordFields(a, false).length,
          });
        },
      ),
    );
  });
});
