import { parseDecimal, type Rational } from "../../rational.js";
import type { VoteParams } from "../../scheme/scheme-schema.js";
import { type TraceStep, traceStep } from "../../trace.js";
import type { DataContext, MethodOutcome } from "../scoring-method.js";
import { findVoidVoters } from "./ballot-validity.js";
import { roleWeighted } from "./role-weighted.js";
import { aggregate } from "./vote-aggregation.js";
import { count, joinLimited, show } from "./vote-format.js";
import { readVoteRules, type VoteRules } from "./vote-rules.js";

/** One category's ballots as parallel columns: fewer objects than one record per ballot. */
interface Columns {
  units: string[];
  voters: string[];
  roles: (string | undefined)[];
  grades: (string | undefined)[];
  values: Rational[];
}

function readColumns(ctx: DataContext<VoteParams>, rules: VoteRules): Columns {
  const cols: Columns = { units: [], voters: [], roles: [], grades: [], values: [] };
  const points = rules.points;
  for (const row of ctx.dataset.ballots ?? []) {
    if (row.category !== ctx.category.id) continue;
    cols.units.push(row.unit);
    cols.voters.push(row.voter);
    cols.roles.push(row.role);
    cols.grades.push(row.grade);
    // validateData has rejected rows without a readable score or a known grade.
    cols.values.push(points ? points.get(row.grade!)! : parseDecimal(row.score!));
  }
  return cols;
}

function gradeSummary(cols: Columns, idx: readonly number[], points: ReadonlyMap<string, Rational>): string {
  const counts = new Map<string, number>();
  for (const i of idx) counts.set(cols.grades[i]!, (counts.get(cols.grades[i]!) ?? 0) + 1);
  const parts: string[] = [];
  for (const [grade, p] of points) {
    const n = counts.get(grade);
    if (n) parts.push(`${grade} = ${show(p)} ×${n}`);
  }
  return parts.join(", ");
}

/**
 * Scores every unit that has ballots in a vote category. Assumes `validateData` found no
 * problem. Ballots are taken in voter order, so row order changes neither a result nor its trace.
 */
export function scoreVotes(ctx: DataContext<VoteParams>): Map<string, MethodOutcome> {
  const { params } = ctx;
  const rules = readVoteRules(params);
  const cols = readColumns(ctx, rules);
  const validity = params.validity;
  const voided =
    validity.rejectUniform || validity.maxHighScores
      ? findVoidVoters(cols.voters, cols.values, validity)
      : new Map<string, string>();

  const byUnit = new Map<string, number[]>();
  for (let i = 0; i < cols.units.length; i++) {
    const list = byUnit.get(cols.units[i]!);
    if (list) list.push(i);
    else byUnit.set(cols.units[i]!, [i]);
  }

  const byVoter = (i: number, j: number): number => {
    const a = cols.voters[i]!;
    const b = cols.voters[j]!;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const out = new Map<string, MethodOutcome>();
  for (const [unit, idx] of byUnit) {
    idx.sort(byVoter);
    const valid: number[] = [];
    const voidNotes: string[] = [];
    for (const i of idx) {
      const reason = voided.get(cols.voters[i]!);
      if (reason === undefined) valid.push(i);
      else voidNotes.push(`${cols.voters[i]} (${reason})`);
    }
    const trace: TraceStep[] = [];
    const tally =
      voidNotes.length > 0
        ? `${count(idx.length, "ballot")}: ${valid.length} valid, ${voidNotes.length} void`
        : `${count(idx.length, "ballot")}, all valid`;
    trace.push(traceStep("ballots", `${tally}; quorum ${params.quorum}`));
    if (voidNotes.length > 0) trace.push(traceStep("void ballots", joinLimited(voidNotes, "; ")));
    if (valid.length < params.quorum) {
      const reason = `${count(valid.length, "valid ballot")}, quorum is ${params.quorum}`;
      out.set(unit, { status: "insufficient", reason, trace });
      continue;
    }
    if (rules.points) trace.push(traceStep("grade points", gradeSummary(cols, valid, rules.points)));

    const details: Record<string, string> = {
      ballots: String(idx.length),
      valid: String(valid.length),
      void: String(voidNotes.length),
    };
    const values = valid.map((i) => cols.values[i]!);
    const voters = valid.map((i) => cols.voters[i]!);
    let value: Rational;
    if (params.aggregation.type === "role-weighted") {
      const roles = valid.map((i) => cols.roles[i]);
      const r = roleWeighted({ values, voters, roles }, params.aggregation, rules.weights!);
      trace.push(...r.steps);
      if (r.status === "insufficient") {
        out.set(unit, { status: "insufficient", reason: r.reason, trace });
        continue;
      }
      value = r.value;
      if (r.dropped) details.dropped = r.dropped;
    } else {
      const a = aggregate(values, params.aggregation, voters);
      trace.push(traceStep(params.aggregation.type, a.text));
      value = a.value;
      if (a.dropped) details.dropped = a.dropped;
    }
    trace.push(traceStep("result", `${show(value)} of ${show(rules.scale)}`));
    out.set(unit, { status: "scored", value, scale: rules.scale, trace, details });
  }
  return out;
}
