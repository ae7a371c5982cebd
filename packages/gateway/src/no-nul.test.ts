import { describe, expect, it } from "vitest";
import { argumentIssues, MAX_ARGUMENT_DEPTH } from "./no-nul.js";

/** `levels` lists nested in one another, the innermost holding 1: `[[1]]` is 2 levels. */
const lists = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};
const zeros = (n: number) => "[0]".repeat(n);

describe("argumentIssues", () => {
  it("finds NUL in strings, list items and keys, in document order", () => {
    expect(argumentIssues({ a: "x\u0000", b: [{ "k\u0000": "ok", c: ["\u0000"] }], d: "fine" })).toEqual([
      { path: "a", message: "must not contain NUL characters" },
      { path: "b[0].k\u0000", message: "must not contain NUL characters (in a key)" },
      { path: "b[0].c[0]", message: "must not contain NUL characters" },
    ]);
  });

  it("finds half of a surrogate pair alone, in strings and keys, and lets whole pairs through", () => {
    const alone =
      "must not contain half of a UTF-16 surrogate pair (\\ud800–\\udfff alone), which cannot be stored as sent";
    expect(
      argumentIssues({ a: "x\ud800", b: { "\udc00k": "\ud83d\ude00 fine" }, c: ["\ude00\ud83d"] }),
    ).toEqual([
      { path: "a", message: alone },
      { path: "b.\udc00k", message: `${alone} (in a key)` },
      { path: "c[0]", message: alone },
    ]);
  });

  it(`accepts ${MAX_ARGUMENT_DEPTH} levels in an argument and refuses one more, where it starts`, () => {
    expect(argumentIssues({ a: lists(MAX_ARGUMENT_DEPTH) })).toEqual([]);
    expect(argumentIssues({ a: lists(MAX_ARGUMENT_DEPTH + 1) })).toEqual([
      {
        path: `a${zeros(MAX_ARGUMENT_DEPTH)}`,
        message: `nests lists and objects more than ${MAX_ARGUMENT_DEPTH} levels deep; no scheme, scenario or record needs that many`,
      },
    ]);
  });

  it("walks 100,000 levels without the call stack, naming each too-deep argument once", () => {
    const deep = lists(100_000);
    const issues = argumentIssues({ a: [deep, deep], b: { c: deep } });
    expect(issues.map((i) => i.path)).toEqual([
      `a[0]${zeros(MAX_ARGUMENT_DEPTH - 1)}`,
      `b.c${zeros(MAX_ARGUMENT_DEPTH - 1)}`,
    ]);
  });

  it("still finds NUL beside a too-deep branch", () => {
    expect(argumentIssues({ a: [lists(100), "\u0000"] }).map((i) => i.path)).toEqual([
      `a[0]${zeros(MAX_ARGUMENT_DEPTH - 1)}`,
      "a[1]",
    ]);
  });
});
