import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "../_test-schemes.js";
import { InputError } from "../input-error.js";
import { compileScheme } from "../scheme/compile-scheme.js";
import type { Dataset } from "./dataset.js";
import { datasetIssues, validateDataset } from "./validate-dataset.js";

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
      'scores.0.value: score for unit "U1" in category "business": has 1002 digits, more than the 1000 a decimal may have',
      'ballots.0.score: ballot of voter "V1" for unit "U1" in category "organ": has 1002 digits, more than the 1000 a decimal may have',
      'inputs.0.value: input "cases" for unit "U1": has 1001 digits, more than the 1000 a decimal may have',
    ]);
  });

  it("checks the unit of a row aimed at an unknown category too, and lists issues in row order", () => {
    const scheme = directScheme({
      categories: [{ id: "business", name: "business", points: 100, method: { kind: "direct", outOf: 30 } }],
    });
    const dataset: Dataset = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      scores: [
        { unit: "U1", category: "business", value: "20" },
        { unit: "Q", category: "business", value: "10" },
        { unit: "Q", category: "z", value: "x" },
        { category: "ballot-typo", value: "1" } as never,
      ],
    };
    expect(issuesOf(scheme, dataset)).toEqual([
      'scores.1.unit: score in category "business": unknown unit "Q"',
      'scores.2.category: score for unit "Q": unknown category "z" (known: business)',
      'scores.2.unit: score in category "z": unknown unit "Q"',
      'scores.3.category: unknown category "ballot-typo" (known: business)',
      'scores.3.unit: score in category "ballot-typo": unit is missing (required)',
    ]);
  });

  it("lists every bad row of a category with hundreds of thousands of them, without running out of stack", () => {
    const scheme = directScheme({
      categories: [
        { id: "business", name: "business", points: 30, method: { kind: "direct", outOf: 30 } },
        {
          id: "organ",
          name: "organ",
          points: 70,
          method: { kind: "vote", ballot: { type: "score", min: 0, max: 100 } },
        },
      ],
    });
    const rows = 200_000;
    const dataset: Dataset = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      ballots: Array.from({ length: rows }, (_, i) => ({
        voter: `V${i}`,
        unit: "U1",
        category: "organ",
        score: 101,
      })),
    };
    let error: unknown;
    try {
      validateDataset(compileScheme(scheme), dataset);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).issues;
    expect(issues).toHaveLength(rows);
    expect(issues[rows - 1]!.path).toEqual(["ballots", rows - 1, "score"]);
  });

  it("takes a scheme document as evaluate does, not only a compiled scheme", () => {
    const document = directScheme();
    const dataset = directDataset([["31", "20", "50"]]);
    const expected = datasetIssues(compileScheme(document), dataset);
    expect(expected.map((i) => i.path.join("."))).toEqual(["scores.0.value"]);
    expect(datasetIssues(document, dataset)).toEqual(expected);
    expect(() => validateDataset(document, dataset)).toThrow(InputError);
    expect(datasetIssues(document, directDataset([["30", "20", "50"]]))).toEqual([]);
    // The scheme's own problems are the scheme's, not a list of the dataset's.
    expect(() => datasetIssues({ ...document, categories: [] }, dataset)).toThrow(
      expect.objectContaining({ subject: "scheme" }),
    );
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
      'inputs.0.value: input "cases" for unit "U1": not a decimal number: "1,5"',
      'inputs.1.unit: input "cases": unknown unit "U9"',
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
      'vetoEvents.0.reason: veto event "V1" for unit "U1": must say why (a veto is published with its reason)',
      'vetoEvents.1.reason: veto event "V2" for unit "U1": must say why (a veto is published with its reason)',
      'vetoEvents.2.reason: veto event "V3" for unit "U1": must say why (a veto is published with its reason)',
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
      'units.1.group: unit "U2": must be text, not an object',
      'scores.0.unit: score in category "business": must be text, not an object',
      'scores.4.value: score for unit "U2" in category "organ": must be a decimal number, not a list',
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
      `units.0.kind: unit "U1": must be text (the unit's kind) or left out`,
      `units.1.kind: unit "U2": must be text (the unit's kind) or left out`,
    ]);
  });

  it("names a field holding a list nested too deep to quote, not a stack overflow from the message", () => {
    let nested: unknown = "g1";
    for (let i = 0; i < 100_000; i++) nested = [nested];
    const scored = directDataset([["26.4", "26.94", "77.15"]]);
    const dataset: Dataset = { ...scored, units: [{ ...scored.units[0]!, group: nested as never }] };
    expect(issuesOf(directScheme(), dataset)).toEqual(['units.0.group: unit "U1": must be text, not a list']);
  });

  it("names a row that is a list as no object, not by a field it does not have", () => {
    const scored = directDataset([["26.4", "26.94", "77.15"]]);
    const dataset: Dataset = { ...scored, scores: [...scored.scores!, ["U1", "business", 20] as never] };
    expect(issuesOf(directScheme(), dataset)).toEqual(["scores.3: must be an object"]);
  });

  it("shows a value given as text as text, where a number or true or false was asked", () => {
    const dataset = everyRow() as unknown as Record<string, Record<string, unknown>[]>;
    dataset.surveyTallies![0]!.count = "12";
    dataset.findings![0]!.repeated = "false";
    dataset.inputs![0]!.value = true;
    let message = "";
    try {
      validateDataset(everyTable, dataset as unknown as Dataset);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "invalid dataset (3 problems):",
      '  surveyTallies[0].count: survey tally of respondent group "residents" for unit "U1" in category "public": count must be a whole number from 0 to 9007199254740991, got text "12"',
      '  inputs[0].value: input "cases" for unit "U1": must be a decimal number, not true',
      '  findings[0].repeated: finding "F1" for unit "U1": must be true or false (got text "false")',
    ]);
  });

  it("leaves a valid dataset alone", () => {
    expect(issuesOf(directScheme(), directDataset([["26.4", "26.94", "77.15"]]))).toEqual([]);
  });
});

describe("validateDataset: ids with spaces around them", () => {
  it("refuses a unit id with spaces around it at its own row, not at every record that names it", () => {
    const rows = Array.from({ length: 10 }, (_, i) => [20 + i, 20, 80] as const);
    const scored = directDataset(rows);
    const units = scored.units.map((u, i) => (i === 8 ? { ...u, id: "U9 " } : u));
    // Every score names "U9", as the file the unit row came from does.
    expect(issuesOf(directScheme(), { ...scored, units })).toEqual([
      'units.8.id: unit id "U9 " has spaces around it: a unit is one exact id',
    ]);
    // A record that names the unit with the space is told which unit it most likely means.
    const spaced = (scored.scores ?? []).map((s, i) => (i === 0 ? { ...s, unit: "U1\u3000" } : s));
    expect(issuesOf(directScheme(), { ...scored, scores: spaced })).toEqual([
      'scores.0.unit: score in category "business": unknown unit "U1\u3000"; did you mean "U1"?',
    ]);
  });

  it("says which unit a record most likely means when it differs only by spaces or case", () => {
    const dataset = everyRow();
    const named = (unit: string): Dataset => ({
      ...dataset,
      units: [...dataset.units, { id: "U2", name: "u2", group: "g1", parent: unit }],
      scores: [{ unit, category: "business", value: "20" }],
      ballots: [{ category: "council", voter: "V1", unit, score: 80 }],
      surveyForms: [{ category: "public", unit, respondentGroup: "residents", answer: "satisfied" }],
      surveyTallies: [],
      inputs: [{ unit, name: "cases", value: 40 }],
      findings: [{ id: "F1", unit, type: "visit", level: "city" }],
    });
    expect(issuesOf(everyTable, named("u1 "))).toEqual([
      'units.1.parent: unit "U2": unknown unit "u1 "; did you mean "U1"?',
      'scores.0.unit: score in category "business": unknown unit "u1 "; did you mean "U1"?',
      'ballots.0.unit: ballot of voter "V1" in category "council": unknown unit "u1 "; did you mean "U1"?',
      'surveyForms.0.unit: survey form of respondent group "residents" in category "public": unknown unit "u1 "; did you mean "U1"?',
      'inputs.0.unit: input "cases": unknown unit "u1 "; did you mean "U1"?',
      'findings.0.unit: finding "F1": unknown unit "u1 "; did you mean "U1"?',
    ]);
    // Nothing close: the message is as it was.
    expect(
      issuesOf(everyTable, { ...everyRow(), scores: [{ unit: "U7", category: "business", value: 1 }] }),
    ).toEqual(['scores.0.unit: score in category "business": unknown unit "U7"']);
  });

  it("tells a bonus event's unknown level as a finding's: the level meant, or the type's levels", () => {
    const scheme = directScheme({
      findingTypes: [
        { id: "visit", name: "visit", levels: { city: { perFinding: 1 }, district: { perFinding: 0.5 } } },
      ],
      bonusTypes: [{ id: "award", name: "award", levels: { national: 3, provincial: 2 } }],
      bonusCap: 5,
    });
    const levels = (finding: string, bonus: string): Dataset => ({
      ...directDataset([[20, 20, 80]]),
      findings: [{ id: "F1", unit: "U1", type: "visit", level: finding }],
      bonusEvents: [{ id: "B1", unit: "U1", type: "award", level: bonus }],
    });
    expect(issuesOf(scheme, levels("City", "National"))).toEqual([
      'findings.0.level: finding "F1" for unit "U1": unknown level "City" for "visit"; did you mean "city"?',
      'bonusEvents.0.level: bonus event "B1" for unit "U1": unknown level "National" for "award"; did you mean "national"?',
    ]);
    expect(issuesOf(scheme, levels("county", "county"))).toEqual([
      'findings.0.level: finding "F1" for unit "U1": unknown level "county" for "visit" (known: city, district)',
      'bonusEvents.0.level: bonus event "B1" for unit "U1": unknown level "county" for "award" (known: national, provincial)',
    ]);
  });

  it("refuses a unit kind or an event id with spaces around it, and says which group or category a row means", () => {
    const dataset = everyRow();
    expect(
      issuesOf(everyTable, {
        ...dataset,
        units: [{ id: "U1", name: "u1", group: "G1", kind: "enforcement " }],
        scores: [{ unit: "U1", category: "business ", value: "20" }],
        findings: [{ id: "F1 ", unit: "U1", type: "visit", level: "city" }],
        bonusEvents: [{ id: " B1", unit: "U1", type: "award", level: "city" }],
        vetoEvents: [{ id: "X1\t", unit: "U1", type: "incident", reason: "a fatal fire" }],
      }),
    ).toEqual([
      'units.0.group: unit "U1": unknown group "G1"; did you mean "g1"?',
      'units.0.kind: unit "U1": kind "enforcement " has spaces around it: a kind is one exact id',
      'scores.0.category: score for unit "U1": unknown category "business "; did you mean "business"?',
      'findings.0.id: finding for unit "U1": finding id "F1 " has spaces around it: a finding is one exact id',
      'bonusEvents.0.id: bonus event for unit "U1": bonus event id " B1" has spaces around it: a bonus event is one exact id',
      'vetoEvents.0.id: veto event for unit "U1": veto event id "X1\\t" has spaces around it: a veto event is one exact id',
    ]);
  });
});

/** Every record table, each with a valid row: a misspelt field in any of them is tried alone. */
const everyTable = directScheme({
  categories: [
    { id: "business", name: "business", points: 20, method: { kind: "direct", outOf: 30 } },
    {
      id: "council",
      name: "council",
      points: 20,
      method: { kind: "vote", ballot: { type: "score", min: 0, max: 100 } },
    },
    {
      id: "public",
      name: "public",
      points: 40,
      method: {
        kind: "survey",
        options: { satisfied: 100, dissatisfied: 0 },
        satisfiedOptions: ["satisfied"],
        respondentGroups: ["residents"],
      },
    },
    {
      id: "composite",
      name: "composite",
      points: 20,
      method: { kind: "formula", expression: "cases", inputs: [{ name: "cases" }], max: 100 },
    },
  ],
  findingTypes: [
    {
      id: "visit",
      name: "visit",
      levels: { city: { perFinding: 0.5, late: 1, notRectified: 2, repeated: 2 } },
    },
  ],
  bonusTypes: [{ id: "award", name: "award", levels: { city: 1 } }],
  bonusCap: 2,
  vetoTypes: [{ id: "incident", name: "incident" }],
});

function everyRow(): Dataset {
  return {
    units: [{ id: "U1", name: "u1", group: "g1" }],
    scores: [{ unit: "U1", category: "business", value: "20" }],
    ballots: [{ category: "council", voter: "V1", unit: "U1", score: 80 }],
    surveyForms: [{ category: "public", unit: "U1", respondentGroup: "residents", answer: "satisfied" }],
    surveyTallies: [
      { category: "public", unit: "U1", respondentGroup: "residents", answer: "dissatisfied", count: 2 },
    ],
    inputs: [{ unit: "U1", name: "cases", value: 40 }],
    findings: [{ id: "F1", unit: "U1", type: "visit", level: "city" }],
    bonusEvents: [{ id: "B1", unit: "U1", type: "award", level: "city" }],
    vetoEvents: [{ id: "X1", unit: "U1", type: "incident", reason: "a fatal fire" }],
  };
}

/** `everyRow()` with the first row of `list` renamed `from` → `to` (or given `to` beside it when `from` is null). */
function misspelt(list: keyof Dataset, from: string | null, to: string): Dataset {
  const dataset = everyRow() as unknown as Record<string, Record<string, unknown>[]>;
  const row = dataset[list]![0]!;
  const value = from === null ? "x" : row[from];
  if (from !== null) delete row[from];
  row[to] = value;
  return dataset as unknown as Dataset;
}

describe("validateDataset: fields the engine does not know", () => {
  it("passes the dataset with a row in every table", () => {
    expect(issuesOf(everyTable, everyRow())).toEqual([]);
  });

  it("names a misspelt optional field of a finding, which would otherwise change its deduction", () => {
    const late = { ...everyRow(), findings: [{ id: "F1", unit: "U1", type: "visit", level: "city" }] };
    (late.findings[0] as Record<string, unknown>).rectifcation = "late";
    expect(issuesOf(everyTable, late)).toEqual([
      'findings.0.rectifcation: finding "F1" for unit "U1": unknown field (misspelt?); did you mean "rectification"?',
    ]);
    expect(issuesOf(everyTable, misspelt("findings", null, "repeat"))).toEqual([
      'findings.0.repeat: finding "F1" for unit "U1": unknown field (misspelt?); did you mean "repeated"?',
    ]);
  });

  it("names a misspelt note of a finding that has every field that scores", () => {
    const full = {
      id: "F1",
      unit: "U1",
      type: "visit",
      level: "city",
      rectification: "late",
      repeated: false,
    };
    const dataset = { ...everyRow(), findings: [{ ...full, nota: "seen on a visit" }] } as unknown as Dataset;
    expect(issuesOf(everyTable, dataset)).toEqual([
      'findings.0.nota: finding "F1" for unit "U1": unknown field (misspelt?); did you mean "note"?',
    ]);
  });

  it("names a misspelt record list, which would otherwise leave every unit without those records", () => {
    const { surveyForms, ...rest } = everyRow();
    expect(issuesOf(everyTable, { ...rest, surveyform: surveyForms } as Dataset)).toEqual([
      'surveyform: unknown field (misspelt?); did you mean "surveyForms"?',
    ]);
    expect(issuesOf(everyTable, { ...everyRow(), notes: [] } as Dataset)).toEqual([
      "notes: unknown field (misspelt?); the fields are units, scores, ballots, surveyForms, surveyTallies, inputs, findings, bonusEvents, vetoEvents",
    ]);
  });

  it("names a stray field of a unit, a score, an input, a bonus or a veto, even beside the field it looks like", () => {
    expect(issuesOf(everyTable, misspelt("units", null, "nmae"))).toEqual([
      'units.0.nmae: unit "U1": unknown field (misspelt?); did you mean "name"?',
    ]);
    expect(issuesOf(everyTable, misspelt("units", null, "weight"))).toEqual([
      'units.0.weight: unit "U1": unknown field (misspelt?); the fields are id, name, group, parent, kind',
    ]);
    expect(issuesOf(everyTable, misspelt("scores", null, "Unit"))).toEqual([
      'scores.0.Unit: score for unit "U1" in category "business": unknown field (misspelt?); did you mean "unit"?',
    ]);
    expect(issuesOf(everyTable, misspelt("inputs", null, "values"))).toEqual([
      'inputs.0.values: input "cases" for unit "U1": unknown field (misspelt?); did you mean "value"?',
    ]);
    expect(issuesOf(everyTable, misspelt("bonusEvents", null, "nota"))).toEqual([
      'bonusEvents.0.nota: bonus event "B1" for unit "U1": unknown field (misspelt?); did you mean "note"?',
    ]);
    expect(issuesOf(everyTable, misspelt("vetoEvents", null, "reasons"))).toEqual([
      'vetoEvents.0.reasons: veto event "X1" for unit "U1": unknown field (misspelt?); did you mean "reason"?',
    ]);
  });

  it("names a misspelt role of a ballot that has none", () => {
    expect(issuesOf(everyTable, misspelt("ballots", null, "rloe"))).toEqual([
      'ballots.0.rloe: ballot of voter "V1" for unit "U1" in category "council": unknown field (misspelt?); did you mean "role"?',
    ]);
  });

  it("says a misspelt required field is missing, and names the misspelling beside it", () => {
    expect(issuesOf(everyTable, misspelt("surveyForms", "unit", "unti"))).toEqual([
      'surveyForms.0.unit: survey form of respondent group "residents" in category "public": unit is missing (required)',
      'surveyForms.0.unti: survey form of respondent group "residents" in category "public": unknown field (misspelt?); did you mean "unit"?',
    ]);
    expect(issuesOf(everyTable, misspelt("surveyForms", "respondentGroup", "group"))).toEqual([
      'surveyForms.0.respondentGroup: survey form for unit "U1" in category "public": respondentGroup is missing (required)',
      'surveyForms.0.group: survey form for unit "U1" in category "public": unknown field (misspelt?); did you mean "respondentGroup"?',
    ]);
    expect(issuesOf(everyTable, misspelt("surveyForms", "answer", "anwser"))).toEqual([
      'surveyForms.0.answer: survey form of respondent group "residents" for unit "U1" in category "public": answer is missing (required)',
      'surveyForms.0.anwser: survey form of respondent group "residents" for unit "U1" in category "public": unknown field (misspelt?); did you mean "answer"?',
    ]);
    expect(issuesOf(everyTable, misspelt("surveyTallies", "count", "cuont"))).toEqual([
      'surveyTallies.0.count: survey tally of respondent group "residents" for unit "U1" in category "public": count is missing (required)',
      'surveyTallies.0.cuont: survey tally of respondent group "residents" for unit "U1" in category "public": unknown field (misspelt?); did you mean "count"?',
    ]);
    expect(issuesOf(everyTable, misspelt("scores", "value", "vlaue"))).toEqual([
      'scores.0.value: score for unit "U1" in category "business": value is missing (required)',
      'scores.0.vlaue: score for unit "U1" in category "business": unknown field (misspelt?); did you mean "value"?',
    ]);
    expect(issuesOf(everyTable, misspelt("scores", "category", "catgory"))).toEqual([
      'scores.0.category: score for unit "U1": category is missing (required)',
      'scores.0.catgory: score for unit "U1": unknown field (misspelt?); did you mean "category"?',
    ]);
    expect(issuesOf(everyTable, misspelt("inputs", "name", "nmae"))).toEqual([
      'inputs.0.name: input for unit "U1": name is missing (required)',
      'inputs.0.nmae: input for unit "U1": unknown field (misspelt?); did you mean "name"?',
    ]);
    expect(issuesOf(everyTable, misspelt("inputs", "value", "vale"))).toEqual([
      'inputs.0.value: input "cases" for unit "U1": value is missing (required)',
      'inputs.0.vale: input "cases" for unit "U1": unknown field (misspelt?); did you mean "value"?',
    ]);
    expect(issuesOf(everyTable, misspelt("ballots", "unit", "unit_id"))).toEqual([
      'ballots.0.unit: ballot of voter "V1" in category "council": unit is missing (required)',
      'ballots.0.unit_id: ballot of voter "V1" in category "council": unknown field (misspelt?); did you mean "unit"?',
    ]);
    expect(issuesOf(everyTable, misspelt("findings", "level", "levl"))).toEqual([
      'findings.0.level: finding "F1" for unit "U1": level is missing (required)',
      'findings.0.levl: finding "F1" for unit "U1": unknown field (misspelt?); did you mean "level"?',
    ]);
    expect(issuesOf(everyTable, misspelt("findings", "type", "typ"))).toEqual([
      'findings.0.type: finding "F1" for unit "U1": type is missing (required)',
      'findings.0.typ: finding "F1" for unit "U1": unknown field (misspelt?); did you mean "type"?',
    ]);
    expect(issuesOf(everyTable, misspelt("bonusEvents", "unit", "uint"))).toEqual([
      'bonusEvents.0.unit: bonus event "B1": unit is missing (required)',
      'bonusEvents.0.uint: bonus event "B1": unknown field (misspelt?); did you mean "unit"?',
    ]);
    expect(issuesOf(everyTable, misspelt("vetoEvents", "id", "ID"))).toEqual([
      'vetoEvents.0.id: veto event for unit "U1": id is missing (required)',
      'vetoEvents.0.ID: veto event for unit "U1": unknown field (misspelt?); did you mean "id"?',
    ]);
  });

  it('says a unit\'s missing group, id or name is missing, not unknown as "undefined"', () => {
    expect(issuesOf(everyTable, misspelt("units", "group", "gruop"))).toEqual([
      'units.0.group: unit "U1": group is missing (required)',
      'units.0.gruop: unit "U1": unknown field (misspelt?); did you mean "group"?',
    ]);
    const { units, ...rest } = everyRow();
    const nameless = { ...rest, units: [...units, { id: "U2", group: "g1" } as never] };
    expect(issuesOf(everyTable, nameless)).toEqual(['units.1.name: unit "U2": name is missing (required)']);
  });

  it('names a row\'s own "__proto__" key, which JSON.parse makes, as any other stray field', () => {
    const dataset = everyRow();
    dataset.findings = JSON.parse(
      '[{ "id": "F1", "unit": "U1", "type": "visit", "level": "city", "__proto__": { "repeated": true } }]',
    );
    expect(issuesOf(everyTable, dataset)).toEqual([
      'findings.0.__proto__: finding "F1" for unit "U1": unknown field (misspelt?); the fields are id, unit, type, level, rectification, repeated, note',
    ]);
  });
});

/**
 * These bite through the typecheck (`tsc --noEmit -p .` includes test files): each assignment
 * after `validateDataset` compiles only because it asserts `dataset is Dataset`, and each
 * `@ts-expect-error` before it shows the data was not a `Dataset` until then.
 */
describe("validateDataset: data of unknown origin", () => {
  it("narrows data from a request, a database or an upload to a Dataset, to be scored with no cast", () => {
    const data: unknown = JSON.parse(JSON.stringify(everyRow()));
    // @ts-expect-error unknown is not yet a dataset
    const unchecked: Dataset = data;
    validateDataset(everyTable, data);
    const checked: Dataset = data;
    expect(checked).toBe(unchecked);
    expect(() => validateDataset(everyTable, 42)).toThrow("must be an object with a units array");
    expect(datasetIssues(everyTable, 42).map((i) => i.message)).toEqual([
      "must be an object with a units array",
    ]);
  });

  it("narrows a dataset whose enums are plain text, as resolveJsonModule types a JSON file's", () => {
    // What `import data from "./dataset.json" with { type: "json" }` is typed as: text, not "late".
    const imported = {
      units: [{ id: "U1", name: "u1", group: "g1" }],
      findings: [{ id: "F1", unit: "U1", type: "visit", level: "city", rectification: "late" }],
    };
    // @ts-expect-error rectification is a string, where a Dataset has "on-time" | "late" | …
    const unchecked: Dataset = imported;
    validateDataset(everyTable, imported);
    const checked: Dataset = imported;
    expect(checked).toBe(unchecked);
  });
});
