import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { compileScheme } from "./compile-scheme.js";

function scheme(extra: Record<string, unknown> = {}, method: Record<string, unknown> = { kind: "direct" }) {
  return {
    id: "s",
    version: 1,
    name: "s",
    categories: [{ id: "work", name: "work", points: 100, method }],
    groups: [{ id: "g", name: "g" }],
    ...extra,
  };
}

function issues(document: unknown): string[] {
  try {
    compileScheme(document);
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  return [];
}

describe("compileScheme: every object refuses fields it does not know", () => {
  it.each([
    [{ ranking: { tieBreaker: [{ category: "work" }] } }, "ranking.tieBreaker: unknown field (misspelt?)"],
    [{ grades: { rule: [] } }, "grades.rule: unknown field (misspelt?)"],
    [
      { grades: { rules: [{ id: "x", name: "x", quota: { count: 1, scpoe: "overall" } }] } },
      "grades.rules.0.quota.scpoe: unknown field (misspelt?)",
    ],
  ])("%j", (extra, issue) => {
    expect(issues(scheme(extra))).toEqual([issue]);
  });

  it("in a vote's validity rules too", () => {
    const vote = {
      kind: "vote",
      ballot: { type: "score" },
      validity: { rejectUniforms: true },
    };
    expect(issues(scheme({}, vote))).toEqual([
      "categories.0.method.validity.rejectUniforms: unknown field (misspelt?)",
    ]);
  });
});
