import { applyScenario, DATA_PATCH_FIELDS, parseScenario, SCHEME_PATCH_FIELDS } from "@pingyi/engine";
import { z } from "zod";
import { atLeast } from "../auth/roles.js";
import { builder } from "../builder.js";
import type { Context } from "../context.js";
import { engineCall } from "../errors.js";
import { checkPatchSize, readPatch } from "../scenario-limits.js";
import { ForbiddenError, type Scenario, ValidationError } from "../store/index.js";
import { withCarriedVetoIds } from "./carried-ids.js";
import { READ_ERRORS, WRITE_ERRORS } from "./common.js";
import { savedDocument } from "./scenario-runs.js";
import { check } from "./validate.js";

const ScenarioRef = builder.objectRef<Scenario>("Scenario").implement({
  description:
    "A saved what-if on a cycle: run it with `whatIf(scenarioId:)` or rank under it with `ranking(scenarioId:)`. Visible to its owner, and to everyone once shared.",
  fields: (t) => ({
    id: t.exposeID("id"),
    cycleId: t.exposeID("cycleId"),
    owner: t.exposeString("owner"),
    name: t.exposeString("name"),
    patch: t.field({
      type: "JSON",
      description:
        "The engine's scenario document without its name: `{ description?, patch?, data? }` (see docs/what-if.md). A request reads at most 8 MB of patches, all its fields together (`QUERY_TOO_COSTLY` beyond).",
      resolve: (s, _a, ctx) => readPatch(ctx.work, s.patch),
    }),
    shared: t.exposeBoolean("shared"),
    createdAt: t.field({ type: "DateTime", resolve: (s) => s.createdAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (s) => s.updatedAt }),
  }),
});

const Deleted = builder.objectRef<{ id: string }>("Deleted").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

builder.queryFields((t) => ({
  scenarios: t.field({
    type: [ScenarioRef],
    nullable: true,
    description:
      "Your scenarios for the cycle and everyone's shared ones, to an admin as to an analyst: a private scenario is listed to its owner only. Null, with a `NOT_FOUND` error at its path naming the cycle, when there is no such cycle.",
    authScopes: { analyst: true },
    args: { cycleId: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => ctx.store.scenarios.list(String(args.cycleId), ctx.actor),
  }),
  scenario: t.field({
    type: ScenarioRef,
    authScopes: { analyst: true },
    errors: { types: READ_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => ctx.store.scenarios.get(String(args.id), ctx.actor),
  }),
}));

const SaveScenarioInput = builder.inputType("SaveScenarioInput", {
  fields: (t) => ({
    id: t.id({ description: "Set to update one of your scenarios; omit to create one." }),
    cycleId: t.id({ required: true }),
    name: t.string({ required: true }),
    patch: t.field({
      type: "JSON",
      required: true,
      description:
        "`{ description?, patch?, data? }`: the engine's scenario document without its name, e.g. `{ patch: { categories: { public: { points: 50 } } } }`. Checked against the cycle's scheme when saved; at most 256 KB as JSON. An analyst keeps at most 100 scenarios on a cycle.",
    }),
    shared: t.boolean(),
  }),
});

/**
 * A scheme or data patch field written straight into `input.patch` (`{ categories: … }`): the
 * engine says where it goes in a scenario document (`it belongs under "patch" (patch.categories)`),
 * but here the document is `input.patch`, so its `patch` is `input.patch.patch`: this says so.
 */
function misplacedFields(patch: unknown): { path: string; message: string }[] {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return [];
  const under = (key: string) =>
    SCHEME_PATCH_FIELDS.includes(key) ? "patch" : DATA_PATCH_FIELDS.includes(key) ? "data" : null;
  return Object.keys(patch).flatMap((key) => {
    const to = under(key);
    return to
      ? [
          {
            path: `input.patch.${key}`,
            message: `input.patch is a scenario { description?, patch?, data? }: put ${key} under input.patch.${to} (input.patch.${to}.${key})`,
          },
        ]
      : [];
  });
}

/**
 * Refuses a scenario the engine would refuse to run, with the paths of every problem: its shape
 * always, its ids against the cycle's scheme and records when the cycle can be scored now.
 */
async function checkAgainstCycle(ctx: Context, cycleId: string, name: string, patch: unknown): Promise<void> {
  await ctx.store.cycles.get(cycleId);
  const prefix = { scenario: "input.patch" };
  const document = savedDocument({ name, patch });
  // The record's name completes the document over any name inside it, which would be stored unread.
  const issues =
    patch !== null && typeof patch === "object" && Object.hasOwn(patch, "name")
      ? [{ path: "input.patch.name", message: "the scenario's name is input.name, not a key of its patch" }]
      : [];
  const misplaced = misplacedFields(patch);
  const explained = new Set(misplaced.map((i) => i.path));
  for (const issue of misplaced) issues.push(issue);
  /** What `fn` returns, or undefined when the engine refuses it (its issues kept). */
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return engineCall(fn, prefix);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A loop, not push(...): a dataset's worth of issues would overflow the call stack.
      for (const issue of err.issues) if (!explained.has(issue.path)) issues.push(issue);
      return undefined;
    }
  };
  const scenario = attempt(() => parseScenario(document));
  if (scenario) {
    const scored = await ctx.loaders.evaluation.load(cycleId).catch(() => null);
    if (scored)
      attempt(() =>
        applyScenario(scored.compiled.scheme, scored.dataset, withCarriedVetoIds(scenario, scored.dataset)),
      );
  }
  if (issues.length) throw new ValidationError(issues);
}

builder.mutationFields((t) => ({
  saveScenario: t.field({
    type: ScenarioRef,
    authScopes: { analyst: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: SaveScenarioInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      // Stored as checked (trimmed), so " A " and "A" are one name to the (owner, name) key.
      const name = check(z.string().trim().min(1, "must not be empty").max(200), input.name, "input.name");
      // Before anything reads it: the engine would parse a patch of any size.
      checkPatchSize(input.patch, "input.patch");
      // An empty id is an id given (and found nowhere), not one left out: it must not create.
      if (input.id != null) {
        // The patch is checked against the cycle the scenario belongs to, so it must be that one.
        const existing = await ctx.store.scenarios.get(String(input.id), ctx.actor);
        // Before its patch is checked: another's shared scenario is not saved over, whatever is sent.
        if (existing.owner !== ctx.actor)
          throw new ForbiddenError(`scenario '${existing.id}' belongs to ${existing.owner}`);
        if (existing.cycleId !== String(input.cycleId))
          throw new ValidationError([
            {
              path: "input.cycleId",
              message: `scenario ${existing.id} belongs to cycle ${existing.cycleId}`,
            },
          ]);
      }
      await checkAgainstCycle(ctx, String(input.cycleId), name, input.patch);
      if (input.id != null) {
        return ctx.store.scenarios.update(ctx.actor, String(input.id), {
          name,
          patch: input.patch,
          shared: input.shared ?? undefined,
        });
      }
      return ctx.store.scenarios.create(ctx.actor, {
        cycleId: String(input.cycleId),
        name,
        patch: input.patch,
        shared: input.shared ?? false,
      });
    },
  }),
  shareScenario: t.field({
    type: ScenarioRef,
    description: "Shares (or un-shares) one of your scenarios with every analyst.",
    authScopes: { analyst: true },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id({ required: true }), shared: t.arg.boolean({ defaultValue: true }) },
    resolve: (_r, args, ctx) => {
      // Left out, the default shares; an explicit null says neither, and a guess would publish.
      if (args.shared == null)
        throw new ValidationError([
          { path: "shared", message: "must be true or false (leave it out to share)" },
        ]);
      return ctx.store.scenarios.update(ctx.actor, String(args.id), { shared: args.shared });
    },
  }),
  deleteScenario: t.field({
    type: Deleted,
    description:
      "Deletes one of your scenarios. An admin deletes anyone's, private ones included (the ids a `deleteCycle` refusal lists); the audit entry names the admin as actor and the scenario's owner.",
    authScopes: { analyst: true },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      // An admin clears what blocks a cycle's delete; an analyst's reach stays their own.
      const anyOwner = atLeast(ctx.principal?.role, "admin");
      await ctx.store.scenarios.delete(ctx.actor, String(args.id), { anyOwner });
      return { id: String(args.id) };
    },
  }),
}));
