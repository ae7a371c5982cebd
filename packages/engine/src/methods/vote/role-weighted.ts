import { add, div, eq, isZero, mul, ONE, type Rational, toExactString, ZERO } from "../../rational.js";
import type { VoteAggregation } from "../../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../../trace.js";
import { exact } from "../exact-text.js";
import { plural } from "../trace-list.js";
import { aggregate, aggregateValue } from "./vote-aggregation.js";

/** The `role-weighted` form of a vote category's aggregation. */
export type RoleWeightedAggregation = Extract<VoteAggregation, { type: "role-weighted" }>;

/** One unit's valid ballots as parallel arrays (one entry per ballot). */
export interface RoleBallots {
  values: readonly Rational[];
  /** Who cast each ballot, to name a trimmed one; left out, trimmed ballots are given by value. */
  voters?: readonly string[] | undefined;
  roles: readonly (string | undefined)[];
}

/** A unit's aggregated value with its trace steps, or why there is none. */
export type RoleWeightedResult =
  | { status: "scored"; value: Rational; steps: TraceStep[]; dropped?: string }
  | { status: "insufficient"; reason: string; steps: TraceStep[] };

function quoted(roles: readonly string[]): string {
  return roles.map((r) => `"${r}"`).join(", ");
}

/**
 * Two-stage vote aggregation (按角色加权): each role's ballots are aggregated with `within`,
 * then the role results are averaged with the weights table, divided by the sum of the
 * weights used so the result stays on the ballot scale (weights 3:2:1 work like 0.5:0.33:0.17).
 * A weighted role with no ballot makes the unit insufficient (`missingRole: "insufficient"`)
 * or drops out with the remaining weights renormalised (`"renormalize"`), said in the trace.
 *
 * Returns the per-unit function; the weights table is read once, not once per unit. With
 * `traces: false` it returns the value alone (no steps, no dropped ballots named).
 */
export function roleWeighting(
  rule: RoleWeightedAggregation,
  weights: ReadonlyMap<string, Rational>,
  options: { traces: boolean } = { traces: true },
): (ballots: RoleBallots) => RoleWeightedResult {
  const { traces } = options;
  const roles = [...weights.keys()];
  const weightOf = roles.map((r) => weights.get(r)!);
  const weightText = weightOf.map(toExactString);
  const stepName = roles.map((r) => `role ${r}`);
  const indexOf = new Map(roles.map((r, k) => [r, k] as const));

  return (ballots) => {
    const values: Rational[][] = roles.map(() => []);
    const voters: string[][] | undefined = ballots.voters && roles.map(() => []);
    let unweighted: Map<string, number> | undefined;
    for (let i = 0; i < ballots.values.length; i++) {
      const role = ballots.roles[i] ?? "";
      const k = indexOf.get(role);
      if (k === undefined) {
        unweighted ??= new Map();
        unweighted.set(role, (unweighted.get(role) ?? 0) + 1);
        continue;
      }
      values[k]!.push(ballots.values[i]!);
      if (voters) voters[k]!.push(ballots.voters![i]!);
    }

    const steps: TraceStep[] = [];
    const dropped: string[] = [];
    const missing: string[] = [];
    let weightSum = ZERO;
    let weighted = ZERO;
    const products: string[] = [];
    for (let k = 0; k < roles.length; k++) {
      const role = roles[k]!;
      const zero = isZero(weightOf[k]!);
      if (values[k]!.length === 0) {
        if (!zero) missing.push(role);
        continue;
      }
      if (!traces) {
        if (zero) continue;
        const value = aggregateValue(values[k]!, rule.within);
        weightSum = add(weightSum, weightOf[k]!);
        weighted = add(weighted, mul(weightOf[k]!, value));
        continue;
      }
      const a = aggregate(values[k]!, rule.within, voters?.[k]);
      if (zero) {
        steps.push(traceStep(stepName[k]!, `${a.text} (weight 0, not counted)`));
        continue;
      }
      steps.push(traceStep(stepName[k]!, a.text));
      if (a.dropped) dropped.push(`${role}: ${a.dropped}`);
      weightSum = add(weightSum, weightOf[k]!);
      weighted = add(weighted, mul(weightOf[k]!, a.value));
      products.push(`${weightText[k]} × ${toExactString(a.value)}`);
    }
    if (traces)
      for (const [role, n] of unweighted ?? [])
        steps.push(
          traceStep("not counted", `${plural(n, "ballot")} from role "${role}", which has no weight`),
        );

    if (missing.length > 0) {
      const what = `no valid ballot from ${missing.length === 1 ? "role" : "roles"} ${quoted(missing)}`;
      if (rule.missingRole === "insufficient") return { status: "insufficient", reason: what, steps };
      if (traces)
        steps.push(traceStep("renormalised", `${what}: the present roles' weights are divided by their sum`));
    }
    if (isZero(weightSum))
      return { status: "insufficient", reason: "no valid ballot from a role with a weight above 0", steps };

    const value = div(weighted, weightSum);
    if (!traces) return { status: "scored", value, steps };
    const sumText = products.join(" + ");
    const text = eq(weightSum, ONE)
      ? `${sumText} = ${exact(value)}`
      : `(${sumText}) / ${toExactString(weightSum)} = ${toExactString(weighted)} / ${toExactString(weightSum)} = ${exact(value)}`;
    steps.push(traceStep("across roles", text));
    return dropped.length > 0
      ? { status: "scored", value, steps, dropped: dropped.join("; ") }
      : { status: "scored", value, steps };
  };
}
