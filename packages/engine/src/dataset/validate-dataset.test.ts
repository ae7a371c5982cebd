import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { InputError } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { Dataset } from "./dataset.js";
import { validateDataset } from "./validate-dataset.js";

function issuesOf(scheme: unknown, dataset: Dataset): string[] {
  try {
    validateDataset(compileScheme(scheme), dataset);
  } catch (e) {
    if (e instanceof InputError) return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw e;
  }
  return [];
}

const LONG = `1${"0".repeat(1000)}`;

describe("validateDataset", () => {
  it("refuses a decimal of more than 1000 digits in every list, naming the row", () => {
    const scheme = directScheme({
      categories: [
        { id: "business", name: "business", points: 30, method: { kind: "direct", outOf: 30 } },
        {
          id: "organ",
          name: "organ",
          points: 30,
          method: { kind: "vote", ballot: { type: "score", min: 0, max: 100 } },
        },
        {
          id: "composite",
          name: "composite",
          points: 40,
          method: { kind: "formula", expression: "cases", inputs: [{ name: "cases" }], max: 100 },
        },
      ],
    });
    const dataset: Dataset = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      scores: [{ unit: "U1", category: "business", value: `0.${LONG}` }],
      ballots: [{ voter: "V1", unit: "U1", category: "organ", score: `1.${LONG}` }],
      inputs: [{ unit: "U1", name: "cases", value: LONG }],
    };
    expect(issuesOf(scheme, dataset)).toEqual([
      "scores.0.value: has 1002 digits, more than the 1000 a decimal may have",
      "ballots.0.score: has 1002 digits, more than the 1000 a decimal may have",
      expect.stringMatching(/^inputs\.0\.value: input "cases": not a decimal number: "1000/),
    ]);
  });

  it("reports a bad input row once when two formulas declare its name", () => {
    const formula = (id: string) => ({
      id,
      name: id,
      points: 50,
      method: { kind: "formula", expression: "cases * 2", inputs: [{ name: "cases" }], max: 100 },
    });
    const scheme = directScheme({ categories: [formula("f1"), formula("f2")] as never });
    const dataset: Dataset = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      inputs: [
        { unit: "U1", name: "cases", value: "1,5" },
        { unit: "U9", name: "cases", value: 3 },
      ],
    };
    expect(issuesOf(scheme, dataset)).toEqual([
      'inputs.0.value: input "cases": not a decimal number: "1,5"',
      'inputs.1.unit: unknown unit "U9"',
    ]);
  });

  it('refuses a veto event without a reason, which would be published as the reason "undefined"', () => {
    const scheme = directScheme({ vetoTypes: [{ id: "incident", name: "重大责任事故" }] });
    const dataset: Dataset = {
      ...directDataset([["26.4", "26.94", "77.15"]]),
      vetoEvents: [
        { id: "V1", unit: "U1", type: "incident" } as never,
        { id: "V2", unit: "U1", type: "incident", reason: " " },
        { id: "V3", unit: "U1", type: "incident", reason: 7 as never },
        { id: "V4", unit: "U1", type: "incident", reason: "a fatal fire" },
      ],
    };
    expect(issuesOf(scheme, dataset)).toEqual([
      "vetoEvents.0.reason: must say why (a veto is published with its reason)",
      "vetoEvents.1.reason: must say why (a veto is published with its reason)",
      "vetoEvents.2.reason: must say why (a veto is published with its reason)",
    ]);
  });

  it("refuses a roll-up whose parents name a unit the year does not have, which would blend into nobody", () => {
    const rollup = (parents: string[]) => ({
      id: "police-sub-units",
      source: { category: "public" },
      share: "0.1",
      into: { category: "public" },
      parents,
    });
    const scheme = directScheme({
      rollups: [rollup(["U1"]), { ...rollup(["U2", "U1-typo"]), id: "second" }],
    });
    const scored = directDataset([
      ["26.4", "26.94", "77.15"],
      ["20", "20", "80"],
    ]);
    const dataset: Dataset = {
      ...scored,
      units: scored.units.map((u, i) => (i === 1 ? { ...u, parent: "U1" } : u)),
    };
    expect(issuesOf(scheme, dataset)).toEqual([
      'units: the scheme\'s roll-up "second" (rollups[1].parents[1]) names unit "U1-typo", which is not among the units',
    ]);
  });

  it("names a field holding an object that cannot be quoted, not a TypeError from the message", () => {
    // JSON can hold { "toString": 0 }; a message quoting it as `unknown unit "${row.unit}"` throws.
    const unquotable = JSON.parse('{ "toString": 0 }');
    const scored = directDataset([
      ["26.4", "26.94", "77.15"],
      ["20", "20", "80"],
    ]);
    const dataset: Dataset = {
      ...scored,
      units: scored.units.map((u, i) => (i === 1 ? { ...u, group: unquotable } : u)),
      scores: scored.scores!.map((s, i) =>
        i === 0 ? { ...s, unit: unquotable } : i === 4 ? { ...s, value: [] as never } : s,
      ),
    };
    expect(issuesOf(directScheme(), dataset)).toEqual([
      "units.1.group: must be text, not an object",
      "scores.0.unit: must be text, not an object",
      "scores.4.value: must be a decimal number, not a list",
    ]);
  });

  it("refuses a unit kind that is not text, which would take the default survey weights without a word", () => {
    const scored = directDataset([
      ["26.4", "26.94", "77.15"],
      ["20", "20", "80"],
      ["21", "21", "81"],
    ]);
    const kinds = [5, true, "service"];
    const dataset: Dataset = {
      ...scored,
      units: scored.units.map((u, i) => ({ ...u, kind: kinds[i] as never })),
    };
    expect(issuesOf(directScheme(), dataset)).toEqual([
      "units.0.kind: must be text (the unit's kind) or left out",
      "units.1.kind: must be text (the unit's kind) or left out",
    ]);
  });

  it("names a field holding a list nested too deep to quote, not a stack overflow from the message", () => {
    let nested: unknown = "g1";
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const scored = directDataset([["26.4", "26.94", "77.15"]]);
    const dataset: Dataset = { ...scored, units: [{ ...scored.units[0]!, group: nested as never }] };
    expect(issuesOf(directScheme(), dataset)).toEqual(["units.0.group: must be text, not a list"]);
  });

  it("names a row that is a list as no object, not by a field it does not have", () => {
    const scored = directDataset([["26.4", "26.94", "77.15"]]);
    const dataset: Dataset = { ...scored, scores: [...scored.scores!, ["U1", "business", 20] as never] };
    expect(issuesOf(directScheme(), dataset)).toEqual(["scores.3: must be an object"]);
  });

  it("leaves a valid dataset alone", () => {
    expect(issuesOf(directScheme(), directDataset([["26.4", "26.94", "77.15"]]))).toEqual([]);
  });
});
