import { describe, expect, it } from "vitest";
import { directDataset, directScheme } from "./_test-schemes.js";
import * as engine from "./index.js";

// Every function the package exports that takes an object the engine made (a compiled scheme,
// an exact evaluation, a baseline, an exact value…), called with the wrong kind as plain
// JavaScript can: each must throw the documented InputError naming the parameter, never a
// TypeError from inside. A new export is listed here, or the first test fails.

const scheme = directScheme();
const dataset = directDataset([
  ["20", "20", "50"],
  ["25", "20", "60"],
]);
const compiled = engine.compileScheme(scheme);
const evaluation = engine.evaluate(scheme, dataset);
const exact = engine.evaluateExact(compiled, dataset);
const baseline = engine.createBaseline(scheme, dataset);
const outcomes = engine.scoreRecords(compiled, dataset);
const one = engine.parseDecimal("1");
const answer = engine.compileFormula("1", { inputs: [], categories: [] });
// Wrong on purpose: the calls below are what TypeScript would refuse.
const wrong = (value: unknown) => value as never;

/** Parameter named by the issue, and the call that passes a wrong kind there. */
type WrongCall = [parameter: string, call: () => unknown];

const takesEngineObjects: Record<string, WrongCall[]> = {
  add: [
    ["a", () => engine.add(wrong(1), one)],
    ["b", () => engine.add(one, wrong("2"))],
  ],
  breakpointCount: [["result", () => engine.breakpointCount(wrong(evaluation))]],
  cmp: [["b", () => engine.cmp(one, wrong(2))]],
  compareBaselines: [
    ["before", () => engine.compareBaselines(wrong(null), baseline)],
    ["after", () => engine.compareBaselines(baseline, wrong(evaluation))],
  ],
  compareUnits: [["evaluation", () => engine.compareUnits(wrong(exact), "U1", "U2")]],
  competitionRanking: [["entries", () => engine.competitionRanking([wrong({ total: 80, tieKeys: [] })])]],
  compose: [
    ["compiled", () => engine.compose(wrong(scheme), dataset, outcomes)],
    ["outcomes", () => engine.compose(compiled, dataset, wrong({}))],
  ],
  describeFormulaProblem: [["problem", () => engine.describeFormulaProblem(wrong(undefined))]],
  div: [["a", () => engine.div(wrong(1.5), one)]],
  effectiveWeights: [["evaluation", () => engine.effectiveWeights(scheme, wrong(exact))]],
  evaluateExact: [
    ["compiled", () => engine.evaluateExact(wrong(scheme), dataset)],
    ["compiled", () => engine.evaluateExact(wrong(null), dataset)],
  ],
  evaluateFormula: [["formula", () => engine.evaluateFormula(wrong(answer), new Map())]],
  leaveOneOut: [["baseline", () => engine.leaveOneOut(wrong(scheme))]],
  monteCarlo: [["baseline", () => engine.monteCarlo(wrong(exact), { samples: 10, seed: 1 })]],
  mul: [["a", () => engine.mul(wrong(undefined), one)]],
  patchBetween: [
    ["from", () => engine.patchBetween(wrong(baseline), scheme)],
    ["to", () => engine.patchBetween(scheme, wrong(evaluation))],
  ],
  round: [["a", () => engine.round(wrong(1.5), 0)]],
  runScenario: [
    ["baseline", () => engine.runScenario(wrong(evaluation), { name: "x" })],
    ["baseline", () => engine.runScenario(wrong(null), { name: "x" })],
  ],
  scenarioReport: [["result", () => engine.scenarioReport(wrong({}))]],
  scoreRecords: [["compiled", () => engine.scoreRecords(wrong(scheme), dataset)]],
  strengthsAndWeaknesses: [["evaluation", () => engine.strengthsAndWeaknesses(wrong(baseline), "U1")]],
  sub: [["b", () => engine.sub(one, wrong({ n: 1, d: 1 }))]],
  substituteFormula: [["formula", () => engine.substituteFormula(wrong("1 + 1"), new Map())]],
  sweepDefaults: [["baseline", () => engine.sweepDefaults(wrong(compiled))]],
  sweepWalks: [["baseline", () => engine.sweepWalks(wrong(evaluation))]],
  sweepWork: [["baseline", () => engine.sweepWork(wrong(evaluation), { category: "public" })]],
  toEvaluation: [["exact", () => engine.toEvaluation(wrong(evaluation))]],
  toExactString: [["a", () => engine.toExactString(wrong(0.1))]],
  toFixed: [["a", () => engine.toFixed(wrong(2.5), 1)]],
  toNumber: [["a", () => engine.toNumber(wrong(1n))]],
  toSurveyTallies: [["counts", () => engine.toSurveyTallies(wrong(null), "public")]],
  weightSweep: [["baseline", () => engine.weightSweep(wrong(evaluation), { category: "public" })]],
};

// Functions that read only plain data (documents, datasets, text, numbers), which they check
// as input, or that are classes: nothing here for a caller to confuse with an engine object.
const takesPlainData = new Set([
  "InputError",
  "SweepNotLinearError",
  "applyScenario",
  "checkAlternatives",
  "closestField",
  "compileFormula",
  "compileScheme",
  "countRefusedBallots",
  "countSecretBallots",
  "countSurveyForms",
  "createBaseline",
  "datasetIssues",
  "evaluate",
  "exactToNumber",
  "formatPath",
  "isSecretVote",
  "kendallTauB",
  "meanAbsoluteRankShift",
  "midRanks",
  "parseDecimal",
  "parseScenario",
  "plainIssues",
  "rankCorrelations",
  "ratio",
  "schemeChanges",
  "schemeJsonSchema",
  "schemePublishingIssues",
  "spearman",
  "unknownId",
  "validateDataset",
]);

describe("the public functions' arguments", () => {
  it("lists every exported function, as taking engine objects or plain data", () => {
    const functions = Object.keys(engine).filter(
      (name) => typeof (engine as Record<string, unknown>)[name] === "function",
    );
    const unlisted = functions.filter((name) => !(name in takesEngineObjects) && !takesPlainData.has(name));
    const gone = [...Object.keys(takesEngineObjects), ...takesPlainData].filter(
      (n) => !functions.includes(n),
    );
    expect({ unlisted, gone }).toEqual({ unlisted: [], gone: [] });
  });

  const cases = Object.entries(takesEngineObjects).flatMap(([name, calls]) =>
    calls.map(([parameter, call], i) => ({ label: `${name} #${i + 1} (${parameter})`, parameter, call })),
  );
  it.each(cases)("$label: an InputError naming the parameter", ({ parameter, call }) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(engine.InputError);
    const error = thrown as engine.InputError;
    expect(error.subject).toBe("argument");
    expect(error.issues.map((i) => i.path[0])).toEqual([parameter]);
  });

  it("says what was given and how to make what is expected", () => {
    expect(() => engine.runScenario(wrong(evaluation), { name: "x" })).toThrow(
      "baseline: expected a baseline from createBaseline(scheme, dataset); got an evaluation from evaluate()",
    );
    expect(() => engine.toEvaluation(wrong(baseline))).toThrow(
      "exact: expected an exact evaluation from evaluateExact(compiled, dataset); got a baseline from createBaseline()",
    );
    expect(() => engine.evaluateExact(wrong(scheme), dataset)).toThrow(
      "compiled: expected a compiled scheme from compileScheme(scheme); got a scheme document, not compiled",
    );
    expect(() => engine.weightSweep(wrong(exact), { category: "public" })).toThrow(
      "got an exact evaluation from evaluateExact()",
    );
    expect(() => engine.evaluateFormula(wrong(answer), new Map())).toThrow(
      "got compileFormula's answer itself",
    );
    expect(() => engine.round(wrong(1.5), 0)).toThrow(
      'a: expected an exact value ({ n, d } bigints) from parseDecimal("…") or ratio(n, d); got 1.5',
    );
  });
});
