import { add, div, eq, isZero, mul, ONE, type Rational, ZERO } from "../../rational.js";
import type { VoteAggregation } from "../../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../../trace.js";
import { aggregate } from "./vote-aggregation.js";
import { count, show } from "./vote-format.js";

export type RoleWeightedAggregation = Extract<VoteAggregation, { type: "role-weighted" }>;

/** One unit's valid ballots as parallel arrays (one entry per ballot). */
export interface RoleBallots {
  values: readonly Rational[];
  voters: readonly string[];
  roles: readonly (string | undefined)[];
}

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
 */
export function roleWeighted(
  ballots: RoleBallots,
  rule: RoleWeightedAggregation,
  weights: ReadonlyMap<string, Rational>,
): RoleWeightedResult {
  const byRole = new Map<string, number[]>();
  for (let i = 0; i < ballots.values.length; i++) {
    const role = ballots.roles[i] ?? "";
    const list = byRole.get(role);
    if (list) list.push(i);
    else byRole.set(role, [i]);
  }

  const steps: TraceStep[] = [];
  const dropped: string[] = [];
  const terms: { role: string; weight: Rational; value: Rational }[] = [];
  const missing: string[] = [];
  for (const [role, weight] of weights) {
    const idx = byRole.get(role);
    if (!idx) {
      if (!isZero(weight)) missing.push(role);
      continue;
    }
    const a = aggregate(
      idx.map((i) => ballots.values[i]!),
      rule.within,
      idx.map((i) => ballots.voters[i]!),
    );
    if (isZero(weight)) {
      steps.push(traceStep(`role ${role}`, `${a.text} (weight 0, not counted)`));
      continue;
    }
    steps.push(traceStep(`role ${role}`, a.text));
    if (a.dropped) dropped.push(`${role}: ${a.dropped}`);
    terms.push({ role, weight, value: a.value });
  }
  for (const [role, idx] of byRole)
    if (!weights.has(role))
      steps.push(
        traceStep("not counted", `${count(idx.length, "ballot")} from role "${role}", which has no weight`),
      );

  if (missing.length > 0) {
    const what = `no valid ballot from ${missing.length === 1 ? "role" : "roles"} ${quoted(missing)}`;
    if (rule.missingRole === "insufficient") return { status: "insufficient", reason: what, steps };
    steps.push(traceStep("renormalised", `${what}: the present roles' weights are divided by their sum`));
  }
  if (terms.length === 0)
    return { status: "insufficient", reason: "no valid ballot from a role with a weight above 0", steps };

  let weightSum = ZERO;
  let weighted = ZERO;
  for (const t of terms) {
    weightSum = add(weightSum, t.weight);
    weighted = add(weighted, mul(t.weight, t.value));
  }
  const value = div(weighted, weightSum);
  const products = terms.map((t) => `${show(t.weight)} × ${show(t.value)}`).join(" + ");
  const text = eq(weightSum, ONE)
    ? `${products} = ${show(value)}`
    : `(${products}) / ${show(weightSum)} = ${show(weighted)} / ${show(weightSum)} = ${show(value)}`;
  steps.push(traceStep("across roles", text));
  return dropped.length > 0
    ? { status: "scored", value, steps, dropped: dropped.join("; ") }
    : { status: "scored", value, steps };
}
