// Type-checked (never run) in the consumer project with moduleResolution nodenext: the
// published declarations must describe the API an embedder writes against.
import {
  type Dataset,
  type Evaluation,
  evaluate,
  InputError,
  type InputIssue,
  parseDecimal,
  type Rational,
  type SchemeInput,
  type TraceStep,
  toFixed,
  type UnitResult,
  VERSION,
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

function issuesOf(e: unknown): readonly InputIssue[] {
  return e instanceof InputError ? e.issues : [];
}

export { issuesOf, shown, steps, total, version, wrong };
