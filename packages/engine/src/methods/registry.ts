import type { Method } from "../scheme/scheme-schema.js";
import { directMethod } from "./direct.js";
import { formulaMethod } from "./formula/formula-method.js";
import type { ScoringMethod } from "./scoring-method.js";
import { surveyMethod } from "./survey/survey-method.js";
import { voteMethod } from "./vote/vote-method.js";

// Each method declares its whole behaviour in its own module; this table is the only
// place that knows all of them.
const methods: Record<Method["kind"], ScoringMethod<never, unknown>> = {
  direct: directMethod as ScoringMethod<never, unknown>,
  vote: voteMethod as ScoringMethod<never, unknown>,
  survey: surveyMethod as ScoringMethod<never, unknown>,
  formula: formulaMethod as unknown as ScoringMethod<never, unknown>,
};

export function methodFor(kind: Method["kind"]): ScoringMethod<never, unknown> {
  return methods[kind];
}

/** Which dataset array holds each method's records, to catch rows aimed at the wrong kind of category. */
export const recordsOfMethod: Readonly<Record<Method["kind"], readonly string[]>> = {
  direct: ["scores"],
  vote: ["ballots"],
  survey: ["surveyForms", "surveyTallies"],
  formula: [],
};
