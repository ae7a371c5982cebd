import { describe, expect, it } from "vitest";
import { type ForeignKey, tableOrder } from "./table-order.js";

const key = (table: string, references: string): ForeignKey => ({
  table,
  name: `${table}_${references}_fkey`,
  references,
  definition: `FOREIGN KEY (x) REFERENCES ${references}(id)`,
});

describe("tableOrder", () => {
  it("puts a table after those it refers to, and otherwise by name", () => {
    const { order, deferred } = tableOrder(
      ["units", "cycles", "audit_log", "groups", "schemes"],
      [key("units", "groups"), key("units", "cycles"), key("groups", "cycles"), key("cycles", "schemes")],
    );
    expect(order).toEqual(["audit_log", "schemes", "cycles", "groups", "units"]);
    expect(deferred).toEqual([]);
  });

  it("defers a table's keys to itself, and the key that closes a loop", () => {
    const { order, deferred } = tableOrder(
      ["a", "b", "units"],
      [key("units", "units"), key("a", "b"), key("b", "a")],
    );
    expect(order).toEqual(["units", "a", "b"]);
    expect(deferred.map((k) => k.name)).toEqual(["units_units_fkey", "a_b_fkey"]);
  });

  it("ignores a key to a table it is not given", () => {
    expect(tableOrder(["a"], [key("a", "elsewhere")])).toEqual({ order: ["a"], deferred: [] });
  });
});
