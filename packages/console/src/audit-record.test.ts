import { describe, expect, it } from "vitest";
import {
  isLarge,
  jsonLength,
  LARGE_CHARS,
  longerThan,
  recordFields,
  SHOWN_CHARS,
  sizeText,
  valueText,
} from "./audit-record";

/** What deleteBallots keeps of a whole vote deleted at once: each ballot (13 MB for 200,000). */
const deletedVote = (n: number) => ({
  category: "organ",
  count: n,
  ballots: Array.from({ length: n }, (_, i) => ({
    voter: `voter-${i}`,
    role: "deputy",
    unit: `U${i % 30}`,
    score: "88.5",
  })),
});

describe("recordFields of a large record", () => {
  it("counts a deleted vote's 200,000 ballots in one field, beside the fields that say what it was", () => {
    const record = deletedVote(200_000);
    expect(isLarge(record)).toBe(true);
    const started = performance.now();
    expect(recordFields(record, true)).toEqual([
      { path: "category", value: "organ" },
      { path: "count", value: 200_000 },
      { path: "ballots", items: 200_000 },
    ]);
    // Walked once, not a field per ballot: well under a second on a slow machine.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("counts a deleted cycle's units and groups, and keeps its own fields and short lists", () => {
    const units = Array.from({ length: 400 }, (_, i) => ({ id: `U${i}`, name: `单位 ${i}`, group: "g" }));
    const record = {
      id: "2031",
      name: "2031年度",
      kinds: ["a", "b"],
      groups: [{ id: "g", name: "G" }],
      units,
    };
    expect(recordFields(record, true)).toEqual([
      { path: "id", value: "2031" },
      { path: "name", value: "2031年度" },
      { path: "kinds", value: ["a", "b"] },
      { path: "groups", value: [{ id: "g", name: "G" }] },
      { path: "units", items: 400 },
    ]);
  });

  it("walks a move's rows by table, each a count, and counts an object keyed by thousands of ids", () => {
    const tables = { cycles: 3, units: 84, ballots: 200_000, audit_log: 1_503 };
    expect(recordFields({ from: "/srv/pingyi/data", rows: 201_590, tables }, true)).toEqual([
      { path: "from", value: "/srv/pingyi/data" },
      { path: "rows", value: 201_590 },
      { path: "tables.cycles", value: 3 },
      { path: "tables.units", value: 84 },
      { path: "tables.ballots", value: 200_000 },
      { path: "tables.audit_log", value: 1_503 },
    ]);
    const byId = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`U${i}`, { total: "81.25" }]));
    expect(recordFields({ totals: byId }, true)).toEqual([{ path: "totals", fields: 1000 }]);
  });
});

describe("recordFields of a small record", () => {
  it("names nested fields by path and keeps lists whole, an empty object as a value", () => {
    expect(recordFields({ a: { b: 1, c: [1, 2] }, d: {}, e: null }, false)).toEqual([
      { path: "a.b", value: 1 },
      { path: "a.c", value: [1, 2] },
      { path: "d", value: {} },
      { path: "e", value: null },
    ]);
  });

  it("is not large at the edge, and is one past it", () => {
    const at = { s: "x".repeat(LARGE_CHARS - jsonLength({ s: "" })) };
    expect(jsonLength(at)).toBe(LARGE_CHARS);
    expect(isLarge(at)).toBe(false);
    expect(isLarge({ s: `${at.s}x` })).toBe(true);
  });
});

describe("longerThan", () => {
  it("measures a value as JSON writes it, to the character", () => {
    for (const value of [
      null,
      0,
      -1.5e-7,
      true,
      "",
      'a "quoted"\nline\\',
      "市审批局",
      [],
      {},
      [[], {}, [1, [2, [3]]]],
      { a: null, b: [{ c: "d" }, {}], 单位: { e: false } },
      deletedVote(3),
    ]) {
      const length = jsonLength(value);
      expect(longerThan(value, length), JSON.stringify(value)).toBe(false);
      expect(longerThan(value, length - 1), JSON.stringify(value)).toBe(true);
    }
  });
});

describe("valueText", () => {
  it("writes text as it is and anything else as JSON", () => {
    expect(valueText("市审批局")).toEqual({ text: "市审批局", cut: 0 });
    expect(valueText(42)).toEqual({ text: "42", cut: 0 });
    expect(valueText("42")).toEqual({ text: "42", cut: 0 });
    expect(valueText([1, "a"])).toEqual({ text: '[1,"a"]', cut: 0 });
    expect(valueText(false)).toEqual({ text: "false", cut: 0 });
  });

  it("cuts a long value, saying how much was left out, never between a character's two halves", () => {
    expect(valueText("x".repeat(SHOWN_CHARS + 5))).toEqual({ text: "x".repeat(SHOWN_CHARS), cut: 5 });
    const wide = `${"x".repeat(SHOWN_CHARS - 1)}𠀀tail`;
    expect(valueText(wide)).toEqual({ text: "x".repeat(SHOWN_CHARS - 1), cut: 6 });
  });
});

describe("sizeText", () => {
  it("says a size in KB below a megabyte, in MB with one decimal above", () => {
    expect(sizeText(300)).toBe("1 KB");
    expect(sizeText(45_000)).toBe("44 KB");
    expect(sizeText(13_400_000)).toBe("12.8 MB");
  });
});
