import type { Dataset } from "@pingyi/engine";
import { decimalSchema } from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import {
  type Ballot,
  type BallotKey,
  NotFoundError,
  type BallotInput as StoredBallotInput,
  ValidationError,
  type ValidationIssue,
  type WithProvenance,
} from "../store/index.js";
import { voterRoleConflict } from "../store/voter-role-conflict.js";
import { ballotCategoryFilter, ballotsVisibleTo } from "./ballot-secrecy.js";
import { compactRecord, WRITE_ERRORS } from "./common.js";
import { cycleRecordsPage } from "./cycle-records.js";
import { writeChecked } from "./engine-check.js";
import { IMPORT_FILTER, importFilter, importIdField } from "./import-provenance.js";
import { countedWhenAsked } from "./pages.js";
import { CycleRef } from "./refs.js";
import { categoryFilter } from "./scheme-filter.js";
import { unitFilter } from "./unit-filter.js";
import { check, onArguments, storedId } from "./validate.js";

/**
 * Ballots of the vote categories (票决制): loaded by imports, read back page by page, and
 * corrected or removed one by one, checked by the engine against the cycle's scheme version as
 * findings are.
 */

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);
// Which of score and grade a category takes, and its range or grades, are the engine's to check.
const ballotShape = z.object({
  category: text(100),
  voter: text(100),
  role: text(100).nullish(),
  score: decimalSchema.nullish(),
  grade: text(100).nullish(),
});

/**
 * The engine names a ballot's unit `unit`; the input takes it as `unitId`. The store's own checks
 * (a score or a grade, the voter's role) name the bare field.
 */
const FIELD_NAMES = { "input.unit": "input.unitId", score: "input.score", role: "input.role" };

const sameVoter = (a: Omit<BallotKey, "unit">, b: Omit<BallotKey, "unit">) =>
  a.category === b.category && a.voter === b.voter;

const sameBallot = (a: BallotKey, b: BallotKey) => sameVoter(a, b) && a.unit === b.unit;

/** The id deleteBallot and the store name a ballot by. */
const ballotId = (k: BallotKey) => `${k.category}/${k.voter}/${k.unit}`;

const voterShape = z.object({ category: text(100), voter: text(100), role: text(100).nullish() });

/**
 * The voter's role checked against their other ballots of the category as the cycle's dataset
 * holds them, `role` being the one the ballot will have (see voterRoleConflict). Said before the
 * engine's check, which words it by index; the store checks it again under the cycle's lock.
 */
function roleConflict(d: Dataset, key: BallotKey, role: string | null): ValidationIssue[] {
  const others = new Map<string | null, number>();
  for (const b of d.ballots ?? [])
    if (sameVoter(b, key) && b.unit !== key.unit)
      others.set(b.role ?? null, (others.get(b.role ?? null) ?? 0) + 1);
  const message = voterRoleConflict(key, others, role);
  return message ? [{ path: "input.role", message }] : [];
}

const BallotRef = builder.objectRef<WithProvenance<Ballot>>("Ballot").implement({
  description:
    "One voter's ballot for one unit in a `vote` category (票决制): a score or a grade, as the category's ballot type says.",
  fields: (t) => ({
    category: t.exposeString("category"),
    voter: t.exposeString("voter", {
      description: "The voter's id, as the ballots give it: there is no roll of voters to check it against.",
    }),
    role: t.string({
      nullable: true,
      description: "The voter's role (mayor, member, …), which a role-weighted category weighs by.",
      resolve: (b) => b.role ?? null,
    }),
    unitId: t.id({ resolve: (b) => b.unit }),
    score: t.string({
      nullable: true,
      description: "A score ballot's score, as a decimal; null on a grade ballot.",
      resolve: (b) => (b.score == null ? null : String(b.score)),
    }),
    grade: t.string({
      nullable: true,
      description: "A grade ballot's grade; null on a score ballot.",
      resolve: (b) => b.grade ?? null,
    }),
  }),
});

importIdField(BallotRef, (b) => b.importId);

const BallotInput = builder.inputType("BallotInput", {
  fields: (t) => ({
    category: t.string({ required: true, description: "A `vote` category of the cycle's scheme version." }),
    voter: t.string({ required: true }),
    unitId: t.id({ required: true }),
    role: t.string({
      description:
        "Omitted keeps a stored ballot's role; null removes it. Required where the category weighs by role.",
    }),
    score: t.string({
      description:
        'For a category of score ballots: a decimal as the engine reads one ("88", "87.5"), within its range. Give a score or a grade, not both.',
    }),
    grade: t.string({ description: "For a category of grade ballots: one of its grades." }),
  }),
});

builder.objectField(CycleRef, "ballots", (t) =>
  t.connection(
    {
      type: BallotRef,
      nullable: true,
      description:
        "The cycle's ballots by category, then unit, then voter, optionally of one category, one unit, one voter and one import; an unknown unitId, category or importId is refused (a voter is not: there is no roll of voters), except that an admin may name a category the version does not declare when the cycle has ballots in it (left by a forced move that dropped or renamed a vote). Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused. Below admin, only the ballots of the named votes of the cycle's scheme version are listed: a secret vote's (`vote.secret`, 无记名投票) are listed to admins only, and so are those a forced move left in a category the version drops, renames or scores by another method, which an earlier version may have declared secret. Anyone else naming a secret vote, or a category of another kind, is refused (FORBIDDEN); naming none, they get the named votes' ballots.",
      authScopes: { viewer: true },
      args: {
        category: t.arg.id(),
        unitId: t.arg.id(),
        voter: t.arg.string({
          description:
            'Trimmed, as the writes store it (" mayor " finds "mayor"); an empty voter is refused.',
        }),
        importId: t.arg.id({ description: IMPORT_FILTER }),
      },
      resolve: async (c, args, ctx, info) => {
        const filter = await ballotsVisibleTo(ctx, c, {
          category: await ballotCategoryFilter(ctx, c, args.category),
          unit: await unitFilter(ctx, c.id, args.unitId),
          voter: voterFilter(args.voter),
          importId: await importFilter(ctx, c, args.importId, "ballots"),
        });
        return cycleRecordsPage(ctx, c.id, { args, info }, filter, {
          list: (page) => ctx.store.records.listBallots(c.id, page),
          count: (f) => ctx.store.records.countBallots(c.id, f),
        });
      },
    },
    countedWhenAsked("Ballots that pass the filters, on every page together (counted only when asked for)."),
  ),
);

/** As the writes store a voter: trimmed, and an empty one names nobody rather than answering "none". */
function voterFilter(voter: string | null | undefined): string | undefined {
  if (voter == null) return undefined;
  const trimmed = storedId(voter);
  if (!trimmed) throw new ValidationError([{ path: "voter", message: "must not be empty" }]);
  return trimmed;
}

builder.mutationFields((t) => ({
  recordBallot: t.field({
    type: BallotRef,
    description:
      "Records (or replaces) one voter's ballot for one unit in a `vote` category: its score or grade, and its role " +
      "unless the input leaves the role out. Checked against the cycle's scheme version: an unknown unit, a category " +
      "that is not a vote category, a score outside the category's range, a grade it does not have, or a score where " +
      "it takes grades (or the reverse) is refused, naming the field; so is a role other than the one the voter has " +
      "on their other ballots of the category (setVoterRole changes a voter's role on all of them). With " +
      "`replaceOnly: true`, a ballot that is not stored (deleted since it was read) is NotFound and nothing is written.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      input: t.arg({ type: BallotInput, required: true }),
      replaceOnly: t.arg.boolean({
        defaultValue: false,
        description:
          "Only replace a stored ballot: a correction of a ballot on screen must not re-create one deleted meanwhile.",
      }),
    },
    resolve: async (_r, { cycleId, input, replaceOnly }, ctx) => {
      const id = String(cycleId);
      // Stored as checked (trimmed), so deleteBallot finds " mayor " as "mayor".
      const v = check(ballotShape, input, "input");
      const key: BallotKey = { category: v.category, voter: v.voter, unit: String(input.unitId) };
      const ballot: StoredBallotInput = {
        ...key,
        role: v.role,
        score: v.score ?? undefined,
        grade: v.grade ?? undefined,
      };
      const saved = await onArguments(
        FIELD_NAMES,
        writeChecked(ctx, id, {
          issues: async ({ dataset }) => {
            const stored = dataset.ballots?.find((b) => sameBallot(b, key));
            if (replaceOnly && !stored) throw new NotFoundError("ballot", ballotId(key));
            // The role it will have: given (null removes it), or else the stored ballot's.
            return roleConflict(dataset, key, v.role !== undefined ? v.role : (stored?.role ?? null));
          },
          change: (d) => {
            const stored = d.ballots?.find((b) => sameBallot(b, key));
            // The role a replaced ballot keeps is checked with it: a role-weighted category needs one.
            const role = v.role === undefined ? stored?.role : (v.role ?? undefined);
            const others = (d.ballots ?? []).filter((b) => b !== stored);
            return { ...d, ballots: [...others, compactRecord({ ...ballot, role })] };
          },
          write: (tx) =>
            tx.records.putBallot(ctx.actor, id, ballot, {
              keepOmitted: true,
              replaceOnly: replaceOnly ?? false,
            }),
        }),
      );
      await ctx.notify({ cycleId: id, reason: "ballot" });
      return saved;
    },
  }),
  setVoterRole: t.field({
    type: [BallotRef],
    description:
      "Sets one voter's role on every one of their ballots in a category (null removes it): a role-weighted " +
      "category needs a voter to have one role on all their ballots, so a wrong role cannot be corrected one " +
      "ballot at a time. Checked by the engine against the cycle's scheme version, written all or nothing with an " +
      "audit record per ballot changed. Returns the voter's ballots of the category, by unit. An unknown category " +
      "is refused by name; a voter with no ballot in it is NotFound.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      category: t.arg.string({ required: true }),
      voter: t.arg.string({ required: true }),
      role: t.arg.string({ description: "The role (mayor, member, …); null removes it." }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      // Trimmed as recordBallot stores them, so " mayor " is the voter "mayor".
      const v = check(voterShape, { category: args.category, voter: args.voter, role: args.role }, "");
      const role = v.role ?? null;
      const voter = { category: v.category, voter: v.voter };
      // The engine names the role as a ballot's field (`input.role`); here it is an argument.
      const saved = await onArguments(
        { "input.role": "role" },
        writeChecked(ctx, cycleId, {
          // A voter with no ballot in the category is the store's NotFound, read under its locks.
          issues: async ({ cycle, compiled }) => {
            await categoryFilter(ctx, cycle, voter.category);
            // As recordBallot's engine check words it, rather than "no ballot" for a category that has none.
            const kind = compiled?.scheme.categories.find((c) => c.id === voter.category)?.method.kind;
            return kind === undefined || kind === "vote"
              ? []
              : [
                  {
                    path: "category",
                    message: `is scored by "${kind}", not "vote": only a vote category has ballots`,
                  },
                ];
          },
          change: (d) => ({
            ...d,
            ballots: (d.ballots ?? []).map((b) =>
              sameVoter(b, voter) ? compactRecord({ ...b, role: role ?? undefined }) : b,
            ),
          }),
          write: (tx) => tx.records.setVoterRole(ctx.actor, cycleId, voter, role),
        }),
      );
      await ctx.notify({ cycleId, reason: "ballot" });
      return saved;
    },
  }),
  deleteBallot: t.field({
    type: CycleRef,
    description:
      "Deletes one voter's ballot for one unit in a category; returns its cycle. `deleteBallots` deletes a category's, or one voter's in it, at once.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      category: t.arg.string({ required: true }),
      voter: t.arg.string({ required: true }),
      unitId: t.arg.id({ required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      await ctx.store.records.deleteBallot(ctx.actor, cycleId, {
        category: storedId(args.category),
        voter: storedId(args.voter),
        unit: String(args.unitId),
      });
      await ctx.notify({ cycleId, reason: "ballot" });
      return ctx.store.cycles.get(cycleId);
    },
  }),
}));
