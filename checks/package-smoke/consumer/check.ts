// Type-checked (never run) in the consumer project with moduleResolution nodenext: the
// published declarations must describe the API an embedder writes against.
import {
  createBaseline,
  type Dataset,
  type Evaluation,
  evaluate,
  InputError,
  type InputIssue,
  parseDecimal,
  parseScenario,
  type Rational,
  runScenario,
  type ScenarioResult,
  type SchemeInput,
  type TraceStep,
  toFixed,
  type UnitResult,
  VERSION,
  validateDataset,
} from "@pingyi/engine";

const scheme: SchemeInput = {
  id: "smoke",
  version: 1,
  name: "smoke",
  categories: [{ id: "business", name: "业务工作", points: 30, method: { kind: "direct", outOf: 30 } }],
  groups: [{ id: "g", name: "group" }],
};
const dataset: Dataset = {
  units: [{ id: "U09", name: "市市场监督管理局", group: "g" }],
  scores: [{ unit: "U09", category: "business", value: 26.4 }],
};

const result: Evaluation = evaluate(scheme, dataset);
const unit: UnitResult | undefined = result.units[0];
// Published scores are decimal strings, never floats.
const total: string | null = unit?.total ?? null;
const steps: TraceStep[] = unit?.categories.flatMap((c) => c.trace) ?? [];
const exact: Rational = parseDecimal("38.575");
const shown: string = toFixed(exact, 3);
const version: string = VERSION;

// @ts-expect-error a total is a string, so arithmetic on it must not type-check
const wrong: number = unit?.total ?? 0;

// A scenario parameter is typed, not `unknown`: a misspelt field or a number is a compile error.
const baseline = createBaseline(scheme, dataset);
// @ts-expect-error "ptach" is no field of a scenario
runScenario(baseline, { name: "typo", ptach: {} });
// @ts-expect-error a number is no scenario
runScenario(baseline, 42);
// Data of unknown origin goes in through the checks, which type it: no cast.
const json: unknown = JSON.parse("{}");
// @ts-expect-error unknown JSON is not yet a scenario
runScenario(baseline, json);
const reform: ScenarioResult = runScenario(baseline, parseScenario(json));
validateDataset(scheme, json);
const checked: Dataset = json;

function issuesOf(e: unknown): readonly InputIssue[] {
  return e instanceof InputError ? e.issues : [];
}

export { checked, issuesOf, reform, shown, steps, total, version, wrong };
