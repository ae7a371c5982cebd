import { z } from "zod";
import { builder } from "../builder.js";
import { UnscorableRecordsError } from "../evaluations.js";
import { laterCycles } from "../store/cycles.js";
import { NotFoundError, Store, ValidationError, type ValidationIssue } from "../store/index.js";
import { absentSchemeVersion } from "../store/scheme-versions.js";
import { READ_ERRORS, WRITE_ERRORS } from "./common.js";
import { copiedUnitsCheck, copyableUnits } from "./copy-units-check.js";
import { schemeChangeCheck } from "./engine-check.js";
import { finaliseCheck } from "./finalise-check.js";
import { arrayConnection } from "./pages.js";
import { CycleRef, GroupRef, SchemeVersionRef } from "./refs.js";
import { unitsWithoutTotal } from "./unscored-units.js";
import { check, onArguments } from "./validate.js";

const CycleStatus = builder.enumType("CycleStatus", {
  values: {
    OPEN: { value: "open" },
    FINALISED: { value: "finalised", description: "Frozen: no record may change." },
  } as const,
});

CycleRef.implement({
  description: "One evaluation year (考评周期), scored under one scheme version.",
  fields: (t) => ({
    id: t.exposeID("id"),
    year: t.exposeInt("year"),
    name: t.exposeString("name"),
    status: t.field({ type: CycleStatus, resolve: (c) => c.status }),
    schemeId: t.exposeID("schemeId"),
    schemeVersion: t.exposeInt("schemeVersion"),
    scheme: t.field({
      type: SchemeVersionRef,
      authScopes: { viewer: true },
      resolve: (c, _a, ctx) => ctx.store.schemes.get(c.schemeId, c.schemeVersion),
    }),
    createdAt: t.field({ type: "DateTime", resolve: (c) => c.createdAt }),
    finalisedAt: t.field({ type: "DateTime", nullable: true, resolve: (c) => c.finalisedAt }),
    previousCycle: t.field({
      type: CycleRef,
      nullable: true,
      description:
        "The cycle of an earlier year this one follows: its veto events still count here while their type's " +
        '`yearsInForce` says so (一票否决 "this year and next"), listed in a unit\'s eligibility as ' +
        "`<cycle>/<event id>`.",
      resolve: (c, _a, ctx) => (c.previousCycleId === null ? null : ctx.store.cycles.get(c.previousCycleId)),
    }),
    groups: t.field({
      type: [GroupRef],
      resolve: async (c, _a, ctx) =>
        (await ctx.store.groups.list(c.id)).map((group) => ({ cycleId: c.id, group })),
    }),
    unscoredUnits: t.int({
      nullable: true,
      description:
        "How many of its units have no total, in ranked and unranked groups alike (status `insufficient`: a " +
        "category without its result, such as no score recorded, a vote without its quorum, too few valid forms, " +
        "a respondent group missing): published as they are, without a rank or grade. `ranking`'s " +
        "`entries(flag: INSUFFICIENT)` lists them. The number `finaliseCycle` confirms as `expectedUnscoredUnits`. " +
        "Null while its records cannot be scored as they stand (its ranking says why).",
      resolve: async (c, _a, ctx) => {
        try {
          return unitsWithoutTotal((await ctx.loaders.evaluation.load(c.id)).evaluation).length;
        } catch (err) {
          // Only records the version refuses leave it uncounted; a failing database is an error.
          if (err instanceof UnscorableRecordsError) return null;
          throw err;
        }
      },
    }),
  }),
});

builder.queryFields((t) => ({
  cycles: t.connection({
    type: CycleRef,
    nullable: true,
    description:
      "Newest year first. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
    authScopes: { rankings: true },
    // One list of cycles: it has no owner to tell apart. Its rows are at hand, so their ids in
    // order are its revision: a cycle created since moves every row after its year.
    resolve: async (_r, args, ctx, info) => {
      const cycles = await ctx.store.cycles.list();
      const revision = JSON.stringify(cycles.map((c) => c.id));
      return arrayConnection({ args, info, owner: { revision } }, cycles);
    },
  }),
  cycle: t.field({
    type: CycleRef,
    authScopes: { rankings: true },
    errors: { types: READ_ERRORS },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => ctx.store.cycles.get(String(args.id)),
  }),
}));

const CreateCycleInput = builder.inputType("CreateCycleInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    year: t.int({ required: true }),
    name: t.string({ required: true }),
    schemeId: t.id({ required: true }),
    schemeVersion: t.int({
      required: true,
      description:
        "A published version not withdrawn (`SchemeSummary.latestUsableVersion` is the latest); a withdrawn one is refused here, naming who withdrew it and why.",
    }),
    copyUnitsFrom: t.id({ description: "Copy groups and units from this cycle (next year's set-up)." }),
    previousCycle: t.id({
      description:
        "The cycle of an earlier year this one follows (see Cycle.previousCycle). Left out, it defaults to " +
        "`copyUnitsFrom` when that cycle is of an earlier year; `null` links none.",
    }),
  }),
});

const UpdateCycleInput = builder.inputType("UpdateCycleInput", {
  description: "What changes; a field left out (or null) stays as it is.",
  fields: (t) => ({
    name: t.string(),
    year: t.int(),
  }),
});

const DeletedCycleRef = builder
  .objectRef<{ cycleId: string; units: number; groups: number }>("DeletedCycle")
  .implement({
    fields: (t) => ({
      cycleId: t.exposeID("cycleId"),
      units: t.exposeInt("units", {
        description: "Units that went with it (its set-up), as the audit record lists them.",
      }),
      groups: t.exposeInt("groups", { description: "Groups that went with it." }),
    }),
  });

/**
 * `write`, with a scheme version it names that does not exist refused as the input's mistake
 * (the store's NotFoundError names no input field): a ValidationError at the field to
 * correct, `paths.version` with the scheme's latest version, or `paths.schemeId` with the
 * schemes there are.
 */
async function inputSchemeVersion<T>(
  store: Store,
  target: { schemeId: string; version: number },
  paths: { schemeId: string; version: string },
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof NotFoundError) || err.entity !== "scheme version") throw err;
    const { field, message } = absentSchemeVersion(
      await store.schemes.list(),
      target.schemeId,
      target.version,
    );
    throw new ValidationError([{ path: paths[field], message }]);
  }
}

builder.mutationFields((t) => ({
  createCycle: t.field({
    type: CycleRef,
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateCycleInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      // Stored as checked (trimmed): " 2019 " is cycle "2019".
      const v = check(
        z.object({
          id: z.string().trim().min(1, "must not be empty").max(100),
          year: z.number().int().min(1990).max(2200),
          name: z.string().trim().min(1, "must not be empty").max(200),
          schemeVersion: z.number().int().min(1),
        }),
        input,
        "input",
      );
      return ctx.store.transaction(async (store) => {
        // An unknown cycle to copy from is the input's mistake, as an unknown previousCycle is;
        // said together with a wrong scheme, so that one round of fixes mends both.
        let copyIssue: ValidationIssue | undefined;
        const copyFrom = input.copyUnitsFrom
          ? await store.cycles.get(String(input.copyUnitsFrom)).catch((err: unknown) => {
              if (!(err instanceof NotFoundError)) throw err;
              copyIssue = { path: "input.copyUnitsFrom", message: `no cycle '${input.copyUnitsFrom}'` };
              return null;
            })
          : null;
        // Next year's set-up copied from last year's follows it; a copy within one year does not,
        // and an explicit null says this cycle follows none.
        const previousCycleId =
          input.previousCycle !== undefined
            ? input.previousCycle === null
              ? null
              : String(input.previousCycle)
            : copyFrom && copyFrom.year < input.year
              ? copyFrom.id
              : null;
        const target = { schemeId: String(input.schemeId), version: input.schemeVersion };
        const paths = { schemeId: "input.schemeId", version: "input.schemeVersion" };
        const cycle = await inputSchemeVersion(store, target, paths, () =>
          onArguments(
            {
              previousCycleId: "input.previousCycle",
              schemeId: "input.schemeId",
              schemeVersion: "input.schemeVersion",
            },
            store.cycles.create(ctx.actor, {
              id: v.id,
              year: input.year,
              name: v.name,
              schemeId: target.schemeId,
              schemeVersion: target.version,
              previousCycleId,
            }),
          ),
        ).catch((err: unknown) => {
          if (copyIssue && err instanceof ValidationError)
            throw new ValidationError([copyIssue, ...err.issues]);
          throw err;
        });
        // The transaction takes the cycle just made back out.
        if (copyIssue) throw new ValidationError([copyIssue]);
        if (copyFrom) {
          // Units the scheme version cannot score are refused as upsertUnit refuses one.
          await copyableUnits(store, copyFrom.id, cycle);
          await store.units.copyFrom(ctx.actor, copyFrom.id, cycle.id);
          await copiedUnitsCheck(store, copyFrom.id, cycle.id);
        }
        return cycle;
      });
    },
  }),
  setCycleScheme: t.field({
    type: CycleRef,
    description:
      "Scores an open cycle under another scheme version (e.g. one just published; any published version not withdrawn, older ones " +
      "too: `schemeDiff` and `previewSchemeImpact` say what the move changes, and the answer's `scheme { maximum }` " +
      "gives the new maximum, its `previousScheme { version maximum }` the version left and its maximum). Refused with a ValidationError " +
      "listing the records the version cannot score (a score above a lowered scale, a finding type or group it drops), " +
      "or the units that would lose their total, or a secret vote (`vote.secret`) with ballots that the version declares " +
      "a named vote, which would name its voters to every reader (at `dataset.ballots`, counting its ballots), " +
      "unless `force` is true. A version that drops a vote with ballots, named or secret, renames it or scores it by " +
      "another method lifts no secrecy: it is refused for the vote's ballots, which it cannot score (deleting them, a " +
      "vote's at once with `deleteBallots`, lets the move through; for a renamed vote, force the move, record them " +
      "again under the new id, then delete them), " +
      "and forced, it leaves them in the cycle, listed to admins only, its ranking failing until they are deleted. " +
      "Deleting a lifted vote's ballots moves past its secrecy too. A vote keeps the secrecy the latest of the cycle's " +
      "versions to declare it a vote gave it, so a version declaring named a vote a forced move dropped, renamed or " +
      "scored otherwise since is refused too, the issue naming the version that declared it secret; only a version " +
      "declaring it named, moved to by force, lifts it. previewSchemeImpact's `secrecyLifted` says the same of a draft. " +
      "The check costs the cycle's units times both versions' categories from the request's " +
      "budget; one too large for it is refused at `version`. A withdrawn version (`SchemeVersion.withdrawn`) is " +
      "refused at `version`, forced or not, naming who withdrew it, why, and the latest version not withdrawn.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      schemeId: t.arg.id({ required: true }),
      version: t.arg.int({ required: true }),
      force: t.arg.boolean({
        description:
          "Move even though the version cannot score the cycle's records: its ranking fails until they are corrected or deleted " +
          "(writes to the cycle still accept corrections), and ballots it does not read as a named vote's are listed to " +
          "admins only. For rules that rename what records refer to, or that declare a secret vote named, lifting its " +
          "secrecy on purpose. Needs a `reason`.",
      }),
      reason: t.arg.string({
        description:
          "Why the cycle moves, kept in its audit entry (`AuditEntry.reason`): required with `force`, optional otherwise. Said in words, at most 2,000 characters.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      const target = { schemeId: String(args.schemeId), version: args.version };
      // setScheme calls beforeChange only when the cycle moves: a cycle already on the version
      // is returned as it is, and nothing changed for subscribers to hear about.
      let moved = false;
      const cycle = await inputSchemeVersion(
        ctx.store,
        target,
        { schemeId: "schemeId", version: "version" },
        () =>
          ctx.store.cycles.setScheme(ctx.actor, cycleId, target, {
            ...(args.force ? { forced: true } : {}),
            reason: args.reason ?? null,
            beforeChange: async (tx) => {
              moved = true;
              if (!args.force) await schemeChangeCheck(new Store(tx), cycleId, { target, work: ctx.work });
            },
          }),
      );
      if (moved) await ctx.notify({ cycleId: cycle.id, reason: "scheme" });
      return cycle;
    },
  }),
  setPreviousCycle: t.field({
    type: CycleRef,
    description:
      "Links an open cycle to the cycle of an earlier year it follows, or unlinks it (`previousCycleId: null`). " +
      "That cycle's vetoes of types still in force then count in this one. Refused (ValidationError at " +
      "`previousCycleId`) for a cycle of the same or a later year. Audited.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      previousCycleId: t.arg.id({ required: false }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      const previous = args.previousCycleId == null ? null : String(args.previousCycleId);
      const { cycle, changed } = await ctx.store.cycles.setPrevious(ctx.actor, cycleId, previous);
      if (changed) await ctx.notify({ cycleId, reason: "previous-cycle" });
      return cycle;
    },
  }),
  finaliseCycle: t.field({
    type: CycleRef,
    description:
      "Freezes the cycle for good: every later write to it is refused with CycleFinalisedError, and it can be " +
      "neither renamed nor deleted. Refused with a ValidationError, and nothing changes, when the year would " +
      "publish nothing: its records cannot be scored (\"cycle '…' cannot be scored as its records stand\", each " +
      "record at `dataset.…`, as the ranking says it), or no unit has a total (at `cycleId`: no units, or a " +
      "category no unit has a result in), whatever `expectedUnscoredUnits` says. A year in which some units have " +
      "no total (`Cycle.unscoredUnits`: a category without its result, such as no score recorded, a vote without " +
      "its quorum, too few valid forms) is refused at `expectedUnscoredUnits` unless that argument gives exactly " +
      "how many: the refusal says how many of how many units, names the first 10 with each category they lack and " +
      "why, and says how to go on (load the missing records, or confirm the number). Refused at `previousCycleId`, " +
      "the argument of its remedy (setPreviousCycle), while the cycle it follows is open: vetoes recorded there " +
      "later would move a frozen ranking. A cycle already finalised is a CycleFinalisedError saying when.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      expectedUnscoredUnits: t.arg.int({
        description:
          "How many of the cycle's units are to be published without a total, as the caller read it " +
          "(`Cycle.unscoredUnits`; `ranking`'s `entries(flag: INSUFFICIENT)` lists them, each category's `reason` " +
          "saying why): a unit whose sample fell short is published as such. Needed only when some units have no " +
          "total, and refused unless it is exactly their number when the cycle is frozen: one read before a unit " +
          "was scored or lost its total is refused, as is any number but 0 once every unit has a total. Left out " +
          "(or null), no unit may lack a total. Kept in the audit entry's `after`, beside the cycle.",
      }),
      reason: t.arg.string({
        description:
          "Why, or on whose decision, the year is published, kept in its audit entry (`AuditEntry.reason`). Optional; said in words, at most 2,000 characters.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      // Checked inside the freezing transaction, so no write can slip in between.
      const cycleId = String(args.cycleId);
      const expectedUnscoredUnits = check(
        z.number().int().min(0).nullish(),
        args.expectedUnscoredUnits,
        "expectedUnscoredUnits",
      );
      const cycle = await ctx.store.cycles.finalise(ctx.actor, cycleId, {
        beforeFreeze: (tx) =>
          finaliseCheck(new Store(tx), cycleId, { cache: ctx.evaluations, expectedUnscoredUnits }),
        reason: args.reason ?? null,
        expectedUnscoredUnits,
      });
      await ctx.notify({ cycleId: cycle.id, reason: "finalised" });
      return cycle;
    },
  }),
  updateCycle: t.field({
    type: CycleRef,
    description:
      "Renames an open cycle, or changes its year (a typo corrected). Audited (`update`); a change that leaves both " +
      "as they are writes nothing. A year is refused (ValidationError at `input.year`) that would not stay after the " +
      "year of the cycle this one follows and before those of the cycles following it, or that would put this cycle " +
      "fewer than five years before a finalised cycle following it, whose published ranking its vetoes could then " +
      "move (a veto stays in force five years at most); a year changes which earlier " +
      "vetoes still count (their `yearsInForce`), so this cycle and those following it hear `year`. A finalised " +
      "cycle is a CycleFinalisedError.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateCycleInput, required: true }),
    },
    resolve: async (_r, { cycleId: id, input }, ctx) => {
      const cycleId = String(id);
      // Stored as checked (trimmed), as createCycle stores them; null is "leave as it is".
      const v = check(
        z.object({
          name: z.string().trim().min(1, "must not be empty").max(200).nullish(),
          year: z.number().int().min(1990).max(2200).nullish(),
        }),
        input,
        "input",
      );
      if (v.name == null && v.year == null)
        throw new ValidationError([{ path: "input", message: "give a new name or year (or both)" }]);
      // The cycles that read this one's vetoes before the change: a year moved further back may
      // put one out of their reach, and its ranking moves too.
      const followers = v.year == null ? [] : await laterCycles(ctx.store.db, cycleId);
      const { cycle, changed } = await onArguments(
        // The store names the link a year would turn round by the cycle followed.
        { name: "input.name", year: "input.year", previousCycleId: "input.year" },
        ctx.store.cycles.update(ctx.actor, cycleId, {
          ...(v.name == null ? {} : { name: v.name }),
          ...(v.year == null ? {} : { year: v.year }),
        }),
      );
      if (!changed) return cycle;
      if (v.year == null) await ctx.notify({ cycleId, reason: "cycle" });
      else {
        await ctx.notify({ cycleId, reason: "year" });
        const still = new Set(await laterCycles(ctx.store.db, cycleId));
        for (const f of followers) if (!still.has(f)) await ctx.notify({ cycleId: f, reason: "year" });
      }
      return cycle;
    },
  }),
  deleteCycle: t.field({
    type: DeletedCycleRef,
    description:
      "Deletes an open cycle made by mistake (a mistyped id, the wrong scheme): only one that holds no records, " +
      "imports or saved scenarios and that no other cycle follows, so that nothing stored is lost; its groups and " +
      "units go with it, kept whole in the audit record (`delete`). Otherwise a ValidationError at `cycleId` says " +
      "what it still holds and how to take each out (removeImport, deleteScore, …), and nothing is deleted. A " +
      "finalised cycle is never deleted (CycleFinalisedError). Its id may then be used again.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      reason: t.arg.string({
        description:
          "Why the cycle is deleted (the mistake it was), kept in its audit entry (`AuditEntry.reason`). Optional; said in words, at most 2,000 characters.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const deleted = await ctx.store.cycles.delete(ctx.actor, String(args.cycleId), {
        reason: args.reason ?? null,
      });
      // No event: a cycle with no records had no ranking to move, and its subscribers have
      // nothing left to be sent.
      return { cycleId: deleted.cycle.id, units: deleted.units, groups: deleted.groups };
    },
  }),
}));
