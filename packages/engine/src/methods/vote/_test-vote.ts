// Test fixtures for the vote method; excluded from the build by the `_test-` prefix.
import type { z } from "zod";
import type { Ballot, Dataset } from "../../dataset/dataset.js";
import type { InputIssue } from "../../input-error.js";
import {
  type Category,
  schemeSchema,
  type VoteParams,
  voteMethodSchema,
} from "../../scheme/scheme-schema.js";
import type { DataContext, MethodOutcome } from "../scoring-method.js";
import { voteMethod } from "./vote-method.js";

type FullInput = z.input<typeof voteMethodSchema>;
/** Vote parameters as a scheme writes them; `ballot` defaults to scores 0–100 here. */
export type VoteInput = Omit<FullInput, "kind" | "ballot"> & { ballot?: FullInput["ballot"] };

function parseParams(input: VoteInput): VoteParams {
  return voteMethodSchema.parse({ kind: "vote", ballot: { type: "score" }, ...input });
}

export const CATEGORY = "council";

export function voteContext(
  input: VoteInput,
  ballots: readonly Ballot[],
  units?: readonly string[],
): DataContext<VoteParams> {
  const params = parseParams(input);
  const category: Category = { id: CATEGORY, name: "Government vote", points: 40, method: params };
  const ids = units ?? [...new Set(ballots.map((b) => b.unit))];
  const dataset: Dataset = { units: ids.map((id) => ({ id, name: id, group: "g" })), ballots };
  return { category, params, dataset, unitIds: new Set(ids) };
}

/** Scores, after checking that the data is valid (as the pipeline does). */
export function scoreVote(
  input: VoteInput,
  ballots: readonly Ballot[],
  options: { traces?: boolean } = {},
): Map<string, MethodOutcome> {
  const ctx = voteContext(input, ballots);
  const issues = voteMethod.validateData(ctx);
  if (issues.length > 0) throw new Error(`unexpected issues: ${JSON.stringify(issues)}`);
  return voteMethod.score({
    ...ctx,
    compiled: undefined,
    units: ctx.dataset.units,
    categoryPoints: new Map(),
    ...options,
  });
}

export function compileIssues(input: VoteInput): InputIssue[] {
  const params = parseParams(input);
  const category: Category = { id: CATEGORY, name: "Government vote", points: 40, method: params };
  const scheme = schemeSchema.parse({
    id: "s",
    version: 1,
    name: "s",
    categories: [category],
    groups: [{ id: "g", name: "g" }],
  });
  return voteMethod.compile(params, { category, scheme, path: ["categories", 0, "method"] }).issues;
}

/** Score ballots for one unit from a list of scores, voters v1, v2, … */
export function scoreBallots(unit: string, scores: readonly (number | string)[], role?: string): Ballot[] {
  return scores.map((score, i) => ({ category: CATEGORY, voter: `v${i + 1}`, unit, score, role }));
}

export function scored(outcome: MethodOutcome | undefined): Extract<MethodOutcome, { status: "scored" }> {
  if (outcome?.status !== "scored") throw new Error(`expected a score, got ${JSON.stringify(outcome)}`);
  return outcome;
}

export function traceText(outcome: MethodOutcome | undefined): string {
  return (outcome?.trace ?? []).map((s) => `${s.step}: ${s.text}`).join("\n");
}
