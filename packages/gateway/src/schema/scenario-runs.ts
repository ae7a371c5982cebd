import { createHash } from "node:crypto";
import {
  applyScenario,
  type Baseline,
  createBaseline,
  type Evaluation,
  evaluate,
  InputError,
  type ScenarioInput,
} from "@pingyi/engine";
import { sortedJson } from "../baselines.js";
import type { Context } from "../context.js";
import { engineCall, issuePath } from "../errors.js";
import type { Scored } from "../evaluations.js";
import { cost, spend } from "../limits.js";
import { type Scenario, ValidationError } from "../store/index.js";
import { withCarriedVetoIds } from "./carried-ids.js";

/**
 * A saved scenario's `patch` is the engine's scenario document without its name
 * (`{ description?, patch?, data? }`); the record's name completes it.
 */
export const savedDocument = (saved: Pick<Scenario, "name" | "patch">): unknown => {
  const body = saved.patch;
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? { ...body, name: saved.name }
    : body;
};

/**
 * A scenario document from a request or the store, handed to the engine as it is: the engine
 * checks it whole as it runs it, naming ids the cycle's scheme lacks together with the
 * document's other problems. `parseScenario` first, the engine's typed way in for JSON, would
 * name those ids only on the next try.
 */
export const asScenario = (document: unknown): ScenarioInput => document as ScenarioInput;

/** A scenario document sent inline: the name may be left out. */
export const inlineDocument = (doc: unknown): unknown =>
  doc !== null && typeof doc === "object" && !Array.isArray(doc) && !("name" in doc)
    ? { name: "what-if", ...doc }
    : doc;

/**
 * The data a list computed under a saved scenario comes from, for its cursors: the cycle's
 * evaluation and the scenario's document, so that an edit of the scenario makes them stale.
 */
export const savedRevision = (scored: Scored, saved: Pick<Scenario, "name" | "patch">): string =>
  `${scored.key}\u0000${JSON.stringify(savedDocument(saved))}`;

/**
 * A scenario the caller may see, checked to belong to the cycle. One of another cycle that the
 * caller may see is named with its cycle (its patch was checked against that cycle's scheme and
 * records); one the caller may not see is not found, whichever cycle it is on, as the store says.
 */
export async function loadSaved(ctx: Context, cycleId: string, scenarioId: string): Promise<Scenario> {
  const scenario = await ctx.store.scenarios.get(scenarioId, ctx.actor);
  if (scenario.cycleId !== cycleId)
    throw new ValidationError([
      {
        path: "scenarioId",
        message: `scenario '${scenario.id}' belongs to cycle '${scenario.cycleId}': a saved scenario is run on its own cycle (cycleId: "${scenario.cycleId}")`,
      },
    ]);
  return scenario;
}

/**
 * Runs engine code on a saved scenario's document. It was checked against the cycle when saved;
 * a problem now (a finding it overrides deleted since, a category the cycle's new scheme
 * lacks) is the saved scenario's, named at `scenarioId` with what to do, not at a `scenario`
 * argument the request did not have.
 */
export function onSaved<T>(saved: Pick<Scenario, "id" | "name">, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof InputError) || err.subject !== "scenario") throw err;
    throw new ValidationError(
      err.issues.map((i) => ({
        path: "scenarioId",
        message: `saved scenario '${saved.id}' (${JSON.stringify(saved.name)}) does not fit the cycle as it stands now: ${issuePath("scenario", i.path)}: ${i.message}; change it (saveScenario with its id) or delete it (deleteScenario)`,
      })),
    );
  }
}

/**
 * What a saved scenario's results are keyed by: what is run, not when it was saved (two saves in
 * one millisecond, updatedAt's precision here, would otherwise share a key, and the second would
 * be served the first's).
 */
export const documentRevision = (saved: Pick<Scenario, "name" | "patch">): string =>
  createHash("sha256")
    .update(JSON.stringify(savedDocument(saved)))
    .digest("base64");

/**
 * What an inline scenario document's baseline is kept by: its content, whatever the order of its
 * keys (a client that rebuilds the document for every page need not keep it byte for byte).
 */
export const inlineRevision = (document: unknown): string =>
  createHash("sha256")
    .update(`inline\u0000${sortedJson(document)}`)
    .digest("base64");

/**
 * Spends an evaluation of the cycle (every category of every unit, as its ranking) from the
 * request's budget and its subject's minute, refused at `path`: what a run under a scenario
 * costs. A cache charges it on a miss only, before it keeps anything (`CachedRun.beforeRun`),
 * so that a refusal is this request's answer alone.
 */
export function spendOnApplying(ctx: Context, scored: Scored, path: string, what: string): void {
  spend(
    ctx.work,
    cost.evaluation(scored.dataset.units.length, scored.compiled.scheme.categories.length),
    path,
    what,
  );
}

/** The cycle's scheme and records as a scenario document (inline, derived or saved) describes them. */
export const appliedScenario = (scored: Scored, document: unknown) =>
  applyScenario(
    scored.compiled.scheme,
    scored.dataset,
    withCarriedVetoIds(asScenario(document), scored.dataset),
  );

/** The what-if baseline of what `appliedScenario` gives. */
export const baselineOfApplied = (applied: ReturnType<typeof appliedScenario>): Baseline =>
  createBaseline(applied.compiled, applied.dataset);

/** The cycle's scheme and records as a saved scenario describes them. */
const appliedUnder = (scored: Scored, saved: Scenario) =>
  onSaved(saved, () => appliedScenario(scored, savedDocument(saved)));

/**
 * The full evaluation (totals, ranks, grades, traces) of a cycle under a saved scenario, as the
 * engine's pipeline computes it from the scheme and records the scenario describes. Cached per
 * baseline key and scenario document.
 */
export function evaluationUnder(ctx: Context, scored: Scored, saved: Scenario): Promise<Evaluation> {
  return ctx.baselines.evaluationUnder(scored, documentRevision(saved), {
    beforeRun: () => spendOnApplying(ctx, scored, "scenarioId", "this ranking under a scenario"),
    compute: () =>
      engineCall(() => {
        const applied = appliedUnder(scored, saved);
        return evaluate(applied.compiled, applied.dataset);
      }),
  });
}

/**
 * The what-if baseline of a cycle under a saved scenario: a sweep or Monte-Carlo run on it asks
 * how robust the reformed ranking is, with the scenario's points as the nominal. Cached beside
 * the cycle's own baselines, per scenario document (`revision`: its `documentRevision`, which
 * the caller also keys its results by).
 */
export function baselineUnder(
  ctx: Context,
  scored: Scored,
  saved: Scenario,
  revision: string,
  what: string,
): Promise<Baseline> {
  return ctx.baselines.baselineUnder(scored, revision, {
    beforeRun: () => spendOnApplying(ctx, scored, "scenarioId", what),
    compute: () => engineCall(() => baselineOfApplied(appliedUnder(scored, saved))),
  });
}
