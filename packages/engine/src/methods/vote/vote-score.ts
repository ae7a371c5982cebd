import type { Ballot, DecimalValue } from "../../dataset/dataset.js";
import { cmp, parseDecimal, type Rational, toExactString } from "../../rational.js";
import type { VoteParams } from "../../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../../trace.js";
import { exact } from "../exact-text.js";
import type { DataContext, MethodOutcome } from "../scoring-method.js";
import { joinLimited, plural } from "../trace-list.js";
import { readBallotGroups } from "./ballot-groups.js";
import { findVoidVoters } from "./ballot-validity.js";
import { type RoleBallots, type RoleWeightedResult, roleWeighting } from "./role-weighted.js";
import { aggregate, aggregateValue } from "./vote-aggregation.js";
import { readVoteRules, type VoteRules } from "./vote-rules.js";

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function gradeSummary(
  rows: readonly Ballot[],
  valid: readonly number[],
  points: ReadonlyMap<string, Rational>,
): string {
  const counts = new Map<string, number>();
  for (const i of valid) {
    const grade = rows[i]!.grade!;
    counts.set(grade, (counts.get(grade) ?? 0) + 1);
  }
  const parts: string[] = [];
  for (const [grade, p] of points) {
    const n = counts.get(grade);
    if (n) parts.push(`${grade} = ${toExactString(p)} ×${n}`);
  }
  return parts.join(", ");
}

/**
 * Reads scores through a cache: voters use few distinct scores (85, 90, …), so 200,000
 * ballots share a few hundred values instead of allocating a fraction each.
 */
function readScore(): (row: Ballot) => Rational {
  const seen = new Map<DecimalValue, Rational>();
  return (row) => {
    const raw = row.score!;
    let value = seen.get(raw);
    if (value === undefined) {
      value = parseDecimal(raw);
      seen.set(raw, value);
    }
    return value;
  };
}

/** How one unit's valid ballots become a value: by role, or one plain aggregation. */
function unitAggregator(
  agg: VoteParams["aggregation"],
  weights: VoteRules["weights"],
  traces: boolean,
): (ballots: RoleBallots) => RoleWeightedResult {
  if (agg.type === "role-weighted") return roleWeighting(agg, weights!, { traces });
  if (!traces) return ({ values }) => ({ status: "scored", value: aggregateValue(values, agg), steps: [] });
  return ({ values, voters }) => {
    const a = aggregate(values, agg, voters);
    return { status: "scored", value: a.value, steps: [traceStep(agg.type, a.text)], dropped: a.dropped };
  };
}

/**
 * Scores every unit that has ballots in a vote category. Assumes `validateData` found no
 * problem. Ballots are taken in voter order, so row order changes neither a result nor its trace.
 * With `traces: false` (ranking-only runs) outcomes carry the same values, quorum reasons and
 * ballot counts, but empty traces and no `dropped` detail. A `secret` category's traces and
 * `dropped` detail give values and reasons only.
 */
export function scoreVotes(ctx: DataContext<VoteParams> & { traces?: boolean }): Map<string, MethodOutcome> {
  const { params } = ctx;
  const traces = ctx.traces !== false;
  const rules = readVoteRules(params);
  const points = rules.points;
  // validateData has rejected rows without a readable score or a known grade.
  const ballotValue = points ? (row: Ballot) => points.get(row.grade!)! : readScore();
  const { rows, units, order, start, voters, voterOf } = readBallotGroups(
    ctx.dataset.ballots ?? [],
    ctx.category.id,
    ctx.read,
  );
  const values = rows.map(ballotValue);
  const validity = params.validity;
  const voided =
    validity.rejectUniform || validity.maxHighScores
      ? findVoidVoters(rows, values, validity, points ? (i) => rows[i]!.grade! : undefined)
      : new Map<string, string>();
  // Why each voter's ballots are void, by voter index: 200,000 rows need no look-up by name.
  const voidReason = voters.map((v) => voided.get(v));
  const agg = params.aggregation;
  const combine = unitAggregator(agg, rules.weights, traces);
  const scale = toExactString(rules.scale);

  const secret = params.secret === true;
  // A secret vote's trace says why a ballot is void, never whose it is.
  const named = traces && !secret;
  const voidNote = named
    ? (i: number): string => `${rows[i]!.voter} (${voided.get(rows[i]!.voter)})`
    : (i: number): string => `a ballot that ${voided.get(rows[i]!.voter)}`;
  const secrecy = secret ? "; secret vote: no voter is named" : "";

  const out = new Map<string, MethodOutcome>();
  for (let k = 0; k < units.length; k++) {
    const unit = units[k]!;
    const total = start[k + 1]! - start[k]!;
    const valid: number[] = [];
    const voidRows: number[] = [];
    for (let j = start[k]!; j < start[k + 1]!; j++) {
      const i = order[j]!;
      const reason = voidReason[voterOf[i]!];
      if (reason === undefined) valid.push(i);
      else voidRows.push(i);
    }
    if (secret && traces) {
      // In voter order, a plain mean's "(88 + 85 + …)" would give each position's voter away.
      // The value is the same in any order; only the text is at stake.
      valid.sort((a, b) => cmp(values[a]!, values[b]!));
      voidRows.sort((a, b) => compareText(voidNote(a), voidNote(b)));
    }
    const trace: TraceStep[] = [];
    if (traces) {
      const tally =
        voidRows.length > 0
          ? `${plural(total, "ballot")}: ${valid.length} valid, ${voidRows.length} void`
          : `${plural(total, "ballot")}, all valid`;
      trace.push(traceStep("ballots", `${tally}; quorum ${params.quorum}${secrecy}`));
      if (voidRows.length > 0) trace.push(traceStep("void ballots", joinLimited(voidRows, "; ", voidNote)));
    }
    if (valid.length < params.quorum) {
      const reason = `${plural(valid.length, "valid ballot")}, quorum is ${params.quorum}`;
      out.set(unit, { status: "insufficient", reason, trace });
      continue;
    }
    if (points && traces) trace.push(traceStep("grade points", gradeSummary(rows, valid, points)));

    const details: Record<string, string> = {
      ballots: String(total),
      valid: String(valid.length),
      void: String(voidRows.length),
    };
    const r = combine({
      values: valid.map((i) => values[i]!),
      voters: named ? valid.map((i) => rows[i]!.voter) : undefined,
      roles: agg.type === "role-weighted" ? valid.map((i) => rows[i]!.role) : [],
    });
    trace.push(...r.steps);
    if (r.status === "insufficient") {
      out.set(unit, { status: "insufficient", reason: r.reason, trace });
      continue;
    }
    const value = r.value;
    if (r.dropped) details.dropped = r.dropped;
    if (traces) trace.push(traceStep("result", `${exact(value)} of ${scale}`));
    out.set(unit, { status: "scored", value, scale: rules.scale, trace, details });
  }
  return out;
}
