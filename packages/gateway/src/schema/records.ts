import { decimalSchema } from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import { isCalendarDay } from "../calendar-day.js";
import { engineFinding, type FindingRecord, NotFoundError, type WithProvenance } from "../store/index.js";
import { compactRecord, WRITE_ERRORS } from "./common.js";
import { cycleRecordsPage } from "./cycle-records.js";
import { writeChecked } from "./engine-check.js";
import { IMPORT_FILTER, importFilter, importIdField } from "./import-provenance.js";
import { countedWhenAsked } from "./pages.js";
import { CycleRef } from "./refs.js";
import { categoryFilter, schemeFilter } from "./scheme-filter.js";
import { unitFilter } from "./unit-filter.js";
import { check, onArguments, storedId } from "./validate.js";

const Rectification = builder.enumType("Rectification", {
  values: {
    ON_TIME: { value: "on-time" },
    LATE: { value: "late" },
    NOT_RECTIFIED: { value: "not-rectified" },
    PENDING: { value: "pending", description: "The deadline has not passed yet." },
  } as const,
});

const date = z.string().refine(isCalendarDay, "must be a date YYYY-MM-DD");
const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);
const findingShape = z.object({
  id: text(100),
  type: text(100),
  level: text(100),
  note: z.string().max(2000).nullish(),
  deadline: date.nullish(),
});
const rectificationShape = z.object({ deadline: date.nullish(), rectifiedOn: date.nullish() });

const FindingRef = builder.objectRef<WithProvenance<FindingRecord>>("Finding").implement({
  description: "A daily-inspection finding (日常考核) and its rectification (整改).",
  fields: (t) => ({
    id: t.exposeID("id"),
    unitId: t.id({ resolve: (f) => f.unit }),
    type: t.exposeString("type"),
    level: t.exposeString("level"),
    rectification: t.field({ type: Rectification, nullable: true, resolve: (f) => f.rectification ?? null }),
    repeated: t.boolean({ resolve: (f) => f.repeated ?? false }),
    note: t.string({ nullable: true, resolve: (f) => f.note ?? null }),
    deadline: t.string({ nullable: true, resolve: (f) => f.deadline ?? null }),
    rectifiedOn: t.string({ nullable: true, resolve: (f) => f.rectifiedOn ?? null }),
  }),
});

const FindingInput = builder.inputType("FindingInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    unitId: t.id({ required: true }),
    type: t.string({ required: true }),
    level: t.string({ required: true }),
    rectification: t.field({ type: Rectification }),
    repeated: t.boolean(),
    note: t.string(),
    deadline: t.string(),
  }),
});

const RectificationInput = builder.inputType("RectificationInput", {
  fields: (t) => ({
    rectification: t.field({ type: Rectification, required: true }),
    deadline: t.string({ description: "YYYY-MM-DD; omitted keeps the stored date, null clears it." }),
    rectifiedOn: t.string({ description: "YYYY-MM-DD; omitted keeps the stored date, null clears it." }),
  }),
});

const DirectScoreRef = builder
  .objectRef<WithProvenance<{ unit: string; category: string; value: string | number }>>("DirectScore")
  .implement({
    fields: (t) => ({
      unitId: t.id({ resolve: (s) => s.unit }),
      category: t.exposeString("category"),
      value: t.string({ resolve: (s) => String(s.value) }),
    }),
  });

importIdField(FindingRef, (f) => f.importId);
importIdField(DirectScoreRef, (s) => s.importId);

/** Paged in the database (`cycleRecordsPage`): a province year has 300,000 findings. */
builder.objectField(CycleRef, "findings", (t) =>
  t.connection(
    {
      type: FindingRef,
      nullable: true,
      description:
        "The cycle's inspection findings by id, optionally of one unit, one finding type, one rectification state " +
        "(PENDING: the findings awaiting rectification) and one import; an unknown unitId, type or importId is refused. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
      authScopes: { viewer: true },
      args: {
        unitId: t.arg.id(),
        type: t.arg.string(),
        rectification: t.arg({ type: Rectification }),
        importId: t.arg.id({ description: IMPORT_FILTER }),
      },
      resolve: async (c, args, ctx, info) => {
        const filter = {
          unit: await unitFilter(ctx, c.id, args.unitId),
          type: await schemeFilter(ctx, c, "type", args.type, "findingTypes"),
          rectification: args.rectification ?? undefined,
          importId: await importFilter(ctx, c, args.importId, "findings"),
        };
        return cycleRecordsPage(ctx, c.id, { args, info }, filter, {
          list: (page) => ctx.store.records.listFindings(c.id, page),
          count: (f) => ctx.store.records.countFindings(c.id, f),
        });
      },
    },
    countedWhenAsked("Findings that pass the filters, on every page together (counted only when asked for)."),
  ),
);

builder.objectField(CycleRef, "scores", (t) =>
  t.connection(
    {
      type: DirectScoreRef,
      nullable: true,
      description:
        "The cycle's assessed (direct) scores by unit, then category, optionally of one unit, one category and one import; an unknown unitId, category or importId is refused. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
      authScopes: { viewer: true },
      args: { unitId: t.arg.id(), category: t.arg.id(), importId: t.arg.id({ description: IMPORT_FILTER }) },
      resolve: async (c, args, ctx, info) => {
        const filter = {
          unit: await unitFilter(ctx, c.id, args.unitId),
          category: await categoryFilter(ctx, c, args.category),
          importId: await importFilter(ctx, c, args.importId, "scores"),
        };
        return cycleRecordsPage(ctx, c.id, { args, info }, filter, {
          list: (page) => ctx.store.records.listScores(c.id, page),
          count: (f) => ctx.store.records.countScores(c.id, f),
        });
      },
    },
    countedWhenAsked("Scores that pass the filters, on every page together (counted only when asked for)."),
  ),
);

builder.mutationFields((t) => ({
  recordFinding: t.field({
    type: FindingRef,
    description:
      "Records (or corrects) an inspection finding. Correcting an existing finding id replaces unitId, type and level; " +
      "rectification, repeated, note and deadline keep their stored values when the input omits them, and rectifiedOn " +
      "is always kept (set it with setRectification). The merged finding is checked against the scheme.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), input: t.arg({ type: FindingInput, required: true }) },
    resolve: async (_r, { cycleId, input }, ctx) => {
      // Stored as checked (trimmed), as units and cycles are: " f1 " is finding "f1", which
      // deleteFinding and setRectification can then find.
      const v = check(findingShape, input, "input");
      const finding: FindingRecord = {
        id: v.id,
        unit: String(input.unitId),
        type: v.type,
        level: v.level,
        ...(input.rectification ? { rectification: input.rectification } : {}),
        ...(input.repeated != null ? { repeated: input.repeated } : {}),
        ...(input.note ? { note: input.note } : {}),
        ...(input.deadline ? { deadline: input.deadline } : {}),
      };
      // A correction keeps what it does not mention (the store merges again under its row lock).
      const stored = await ctx.store.records.getFinding(String(cycleId), finding.id).catch((err) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
      const merged: FindingRecord = stored
        ? compactRecord({
            ...finding,
            rectification: finding.rectification ?? stored.rectification,
            repeated: finding.repeated ?? stored.repeated,
            note: finding.note ?? stored.note,
            deadline: finding.deadline ?? stored.deadline,
            rectifiedOn: stored.rectifiedOn,
          })
        : finding;
      const saved = await onArguments(
        { "input.unit": "input.unitId" },
        writeChecked(ctx, String(cycleId), {
          change: (d) => ({
            ...d,
            findings: [...(d.findings ?? []).filter((f) => f.id !== merged.id), engineFinding(merged)],
          }),
          write: (tx) => tx.records.putFinding(ctx.actor, String(cycleId), finding, { keepOmitted: true }),
        }),
      );
      await ctx.notify({ cycleId: String(cycleId), reason: "finding" });
      return saved;
    },
  }),
  setRectification: t.field({
    type: FindingRef,
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      findingId: t.arg.id({ required: true }),
      input: t.arg({ type: RectificationInput, required: true }),
    },
    resolve: async (_r, { cycleId, findingId, input }, ctx) => {
      check(rectificationShape, input, "input");
      const saved = await ctx.store.records.setRectification(ctx.actor, String(cycleId), String(findingId), {
        rectification: input.rectification,
        // null is the client's way to clear a wrong date; only an omitted one is kept.
        deadline: input.deadline,
        rectifiedOn: input.rectifiedOn,
      });
      await ctx.notify({ cycleId: String(cycleId), reason: "rectification" });
      return saved;
    },
  }),
  setScore: t.field({
    type: DirectScoreRef,
    description: "Sets a unit's assessed score in a `direct` category.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      unitId: t.arg.id({ required: true }),
      category: t.arg.string({ required: true }),
      value: t.arg.string({
        required: true,
        description:
          'A decimal as the engine reads one (as an import\'s scores are): "27.5", "+27.5"; not " 27.5", "27." or ".5".',
      }),
    },
    resolve: async (_r, args, ctx) => {
      // The engine's grammar, in its words, as a score read from an import or a dataset is.
      check(decimalSchema, args.value, "value");
      const score = { unit: String(args.unitId), category: args.category, value: args.value };
      // setScore takes the score's fields as arguments of their own, not under `input`.
      const saved = await onArguments(
        { "input.unit": "unitId", "input.category": "category", "input.value": "value" },
        writeChecked(ctx, String(args.cycleId), {
          change: (d) => ({
            ...d,
            scores: [
              ...(d.scores ?? []).filter((s) => s.unit !== score.unit || s.category !== score.category),
              score,
            ],
          }),
          write: (tx) => tx.records.setScore(ctx.actor, String(args.cycleId), score),
        }),
      );
      await ctx.notify({ cycleId: String(args.cycleId), reason: "score" });
      return saved;
    },
  }),
  deleteScore: t.field({
    type: CycleRef,
    description: "Deletes a unit's assessed score in a `direct` category; returns its cycle.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      unitId: t.arg.id({ required: true }),
      category: t.arg.string({ required: true }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      await ctx.store.records.deleteScore(ctx.actor, cycleId, String(args.unitId), args.category);
      await ctx.notify({ cycleId, reason: "score" });
      return ctx.store.cycles.get(cycleId);
    },
  }),
  deleteFinding: t.field({
    type: CycleRef,
    description: "Deletes an inspection finding; returns its cycle.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      await ctx.store.records.deleteFinding(ctx.actor, cycleId, storedId(args.id));
      await ctx.notify({ cycleId, reason: "finding" });
      return ctx.store.cycles.get(cycleId);
    },
  }),
}));
