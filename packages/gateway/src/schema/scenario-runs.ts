import { createHash } from "node:crypto";
import { applyScenario, type Evaluation, evaluate } from "@pingyi/engine";
import type { Context } from "../context.js";
import { engineCall } from "../errors.js";
import type { Scored } from "../evaluations.js";
import { cost, spend } from "../limits.js";
import { NotFoundError, type Scenario } from "../store/index.js";
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

/** A scenario document sent inline: the name may be left out. */
export const inlineDocument = (doc: unknown): unknown =>
  doc !== null && typeof doc === "object" && !Array.isArray(doc) && !("name" in doc)
    ? { name: "what-if", ...doc }
    : doc;

/** A scenario the caller may see, checked to belong to the cycle. */
/**
 * The data a list computed under a saved scenario comes from, for its cursors: the cycle's
 * evaluation and the scenario's document, so that an edit of the scenario makes them stale.
 */
export const savedRevision = (scored: Scored, saved: Pick<Scenario, "name" | "patch">): string =>
  `${scored.key}\u0000${JSON.stringify(savedDocument(saved))}`;

export async function loadSaved(ctx: Context, cycleId: string, scenarioId: string): Promise<Scenario> {
  const scenario = await ctx.store.scenarios.get(scenarioId, ctx.actor);
  if (scenario.cycleId !== cycleId) throw new NotFoundError("scenario", scenario.id);
  return scenario;
}

/**
 * The full evaluation (totals, ranks, grades, traces) of a cycle under a saved scenario, as the
 * engine's pipeline computes it from the scheme and records the scenario describes. Cached per
 * baseline key and scenario document.
 */
export function evaluationUnder(ctx: Context, scored: Scored, saved: Scenario): Promise<Evaluation> {
  const document = savedDocument(saved);
  // Keyed by what is run, not by when it was saved: two saves in one millisecond (updatedAt's
  // precision here) would otherwise share a key, and the second would be served the first's.
  const revision = createHash("sha256").update(JSON.stringify(document)).digest("base64");
  return ctx.baselines.evaluationUnder(scored, revision, () =>
    engineCall(() => {
      // Only a cache miss computes, so only a miss spends from the request's budget.
      spend(
        ctx.work,
        cost.evaluation(scored.dataset.units.length, scored.compiled.scheme.categories.length),
        "scenarioId",
        "this ranking under a scenario",
      );
      const applied = applyScenario(
        scored.compiled.scheme,
        scored.dataset,
        withCarriedVetoIds(document, scored.dataset),
      );
      return evaluate(applied.compiled, applied.dataset);
    }),
  );
}
