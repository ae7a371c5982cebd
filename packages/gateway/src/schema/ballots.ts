import { decimalSchema } from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import type { Ballot, BallotKey, BallotInput as StoredBallotInput } from "../store/index.js";
import { compactRecord, WRITE_ERRORS } from "./common.js";
import { cycleRecordsPage } from "./cycle-records.js";
import { writeChecked } from "./engine-check.js";
import { countedWhenAsked } from "./pages.js";
import { CycleRef } from "./refs.js";
import { schemeFilter } from "./scheme-filter.js";
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
 * The engine names a ballot's unit `unit`; the input takes it as `unitId`. The store's own check
 * (a score or a grade) names the bare field.
 */
const FIELD_NAMES = { "input.unit": "input.unitId", score: "input.score" };

const sameBallot = (a: BallotKey, b: BallotKey) =>
  a.category === b.category && a.voter === b.voter && a.unit === b.unit;

const BallotRef = builder.objectRef<Ballot>("Ballot").implement({
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
        "The cycle's ballots by category, then unit, then voter, optionally of one category, one unit and one voter; an unknown unitId or category is refused (a voter is not: there is no roll of voters). Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
      authScopes: { viewer: true },
      args: { category: t.arg.id(), unitId: t.arg.id(), voter: t.arg.string() },
      resolve: async (c, args, ctx, info) => {
        const filter = {
          category: await schemeFilter(
            ctx,
            c,
            "category",
            args.category == null ? null : String(args.category),
            "categories",
          ),
          unit: await unitFilter(ctx, c.id, args.unitId),
          voter: args.voter ?? undefined,
        };
        return cycleRecordsPage(ctx, c.id, { args, info }, filter, {
          list: (page) => ctx.store.records.listBallots(c.id, page),
          count: (f) => ctx.store.records.countBallots(c.id, f),
        });
      },
    },
    countedWhenAsked("Ballots that pass the filters, on every page together (counted only when asked for)."),
  ),
);

builder.mutationFields((t) => ({
  recordBallot: t.field({
    type: BallotRef,
    description:
      "Records (or replaces) one voter's ballot for one unit in a `vote` category: its score or grade, and its role " +
      "unless the input leaves the role out. Checked against the cycle's scheme version: an unknown unit, a category " +
      "that is not a vote category, a score outside the category's range, a grade it does not have, or a score where " +
      "it takes grades (or the reverse) is refused, naming the field.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), input: t.arg({ type: BallotInput, required: true }) },
    resolve: async (_r, { cycleId, input }, ctx) => {
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
          change: (d) => {
            const stored = d.ballots?.find((b) => sameBallot(b, key));
            // The role a replaced ballot keeps is checked with it: a role-weighted category needs one.
            const role = v.role === undefined ? stored?.role : (v.role ?? undefined);
            const others = (d.ballots ?? []).filter((b) => b !== stored);
            return { ...d, ballots: [...others, compactRecord({ ...ballot, role })] };
          },
          write: (tx) => tx.records.putBallot(ctx.actor, id, ballot, { keepOmitted: true }),
        }),
      );
      await ctx.notify({ cycleId: id, reason: "ballot" });
      return saved;
    },
  }),
  deleteBallot: t.field({
    type: CycleRef,
    description: "Deletes one voter's ballot for one unit in a category; returns its cycle.",
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
