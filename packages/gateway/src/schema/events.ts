import { z } from "zod";
import { builder } from "../builder.js";
import type { BonusEvent, VetoEvent, WithProvenance } from "../store/index.js";
import { compactRecord, WRITE_ERRORS } from "./common.js";
import { writeChecked } from "./engine-check.js";
import { IMPORT_FILTER, importFilter, importIdField } from "./import-provenance.js";
import { arrayConnection } from "./pages.js";
import { CycleRef } from "./refs.js";
import { unitFilter } from "./unit-filter.js";
import { check, onArguments, storedId } from "./validate.js";

/**
 * Veto events (一票否决) and bonus events (加分, e.g. commendations): written one by one as
 * findings are, checked by the engine against the cycle's scheme version, and listed per cycle.
 */

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);
const vetoShape = z.object({ id: text(100), type: text(100), reason: text(2000) });
const bonusShape = z.object({
  id: text(100),
  type: text(100),
  level: text(100),
  note: z.string().max(2000).nullish(),
});

/** The engine names a record's unit `unit`; the inputs take it as `unitId`. */
const FIELD_NAMES = { "input.unit": "input.unitId" };

const VetoEventRef = builder.objectRef<WithProvenance<VetoEvent>>("VetoEvent").implement({
  description:
    "A veto (一票否决): bars its unit from excellence or awards as its type declares; the unit keeps its real total.",
  fields: (t) => ({
    id: t.exposeID("id"),
    unitId: t.id({ resolve: (e) => e.unit }),
    type: t.exposeString("type", { description: "One of the scheme version's vetoTypes." }),
    reason: t.exposeString("reason", { description: "Published beside the barred unit." }),
  }),
});

const BonusEventRef = builder.objectRef<WithProvenance<BonusEvent>>("BonusEvent").implement({
  description:
    "A bonus (加分), e.g. a commendation: points by type and level, capped as the scheme declares.",
  fields: (t) => ({
    id: t.exposeID("id"),
    unitId: t.id({ resolve: (e) => e.unit }),
    type: t.exposeString("type", { description: "One of the scheme version's bonusTypes." }),
    level: t.exposeString("level", { description: "One of the bonus type's levels." }),
    note: t.string({ nullable: true, resolve: (e) => e.note ?? null }),
  }),
});

importIdField(VetoEventRef, (e) => e.importId);
importIdField(BonusEventRef, (e) => e.importId);

const VetoEventInput = builder.inputType("VetoEventInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    unitId: t.id({ required: true }),
    type: t.string({ required: true }),
    reason: t.string({ required: true, description: "Why, as the published ranking shows it." }),
  }),
});

const BonusEventInput = builder.inputType("BonusEventInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    unitId: t.id({ required: true }),
    type: t.string({ required: true }),
    level: t.string({ required: true }),
    note: t.string({ description: "Omitted keeps a stored event's note; null removes it." }),
  }),
});

builder.objectField(CycleRef, "vetoEvents", (t) =>
  t.connection({
    type: VetoEventRef,
    nullable: true,
    description:
      "The cycle's veto events by id, optionally of one unit and one import (an unknown unitId or importId is refused). Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
    authScopes: { viewer: true },
    args: { unitId: t.arg.id(), importId: t.arg.id({ description: IMPORT_FILTER }) },
    resolve: async (c, args, ctx, info) => {
      const unit = await unitFilter(ctx, c.id, args.unitId);
      const importId = await importFilter(ctx, c, args.importId, "vetoes");
      const rows = await ctx.store.records.listVetoEvents(c.id, { unit, importId });
      // Rows are at hand: their ids in order are the list's revision, as for `cycles`.
      const owner = { kind: "cycle", id: c.id, revision: JSON.stringify(rows.map((r) => r.id)) };
      return arrayConnection({ args, info, owner }, rows);
    },
  }),
);

builder.objectField(CycleRef, "bonusEvents", (t) =>
  t.connection({
    type: BonusEventRef,
    nullable: true,
    description:
      "The cycle's bonus events by id, optionally of one unit and one import (an unknown unitId or importId is refused). Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
    authScopes: { viewer: true },
    args: { unitId: t.arg.id(), importId: t.arg.id({ description: IMPORT_FILTER }) },
    resolve: async (c, args, ctx, info) => {
      const unit = await unitFilter(ctx, c.id, args.unitId);
      const importId = await importFilter(ctx, c, args.importId, "bonuses");
      const rows = await ctx.store.records.listBonusEvents(c.id, { unit, importId });
      const owner = { kind: "cycle", id: c.id, revision: JSON.stringify(rows.map((r) => r.id)) };
      return arrayConnection({ args, info, owner }, rows);
    },
  }),
);

builder.mutationFields((t) => ({
  recordVetoEvent: t.field({
    type: VetoEventRef,
    description:
      "Records (or corrects) a veto event (一票否决); correcting an existing id replaces unitId, type and reason. " +
      "Checked against the cycle's scheme version: an unknown veto type or unit is refused, naming the field.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), input: t.arg({ type: VetoEventInput, required: true }) },
    resolve: async (_r, { cycleId, input }, ctx) => {
      // Stored as checked (trimmed), so deleteVetoEvent finds " v1 " as "v1".
      const v = check(vetoShape, input, "input");
      const veto: VetoEvent = { id: v.id, unit: String(input.unitId), type: v.type, reason: v.reason };
      const saved = await onArguments(
        FIELD_NAMES,
        writeChecked(ctx, String(cycleId), {
          change: (d) => ({
            ...d,
            // Only this year's own event of that id is replaced; an earlier year's is another register.
            vetoEvents: [
              ...(d.vetoEvents ?? []).filter((e) => e.id !== veto.id || (e.yearsAgo ?? 0) > 0),
              veto,
            ],
          }),
          write: (tx) => tx.records.putVetoEvent(ctx.actor, String(cycleId), veto),
        }),
      );
      await ctx.notify({ cycleId: String(cycleId), reason: "veto" });
      return saved;
    },
  }),
  deleteVetoEvent: t.field({
    type: CycleRef,
    description:
      "Deletes a veto event; returns its cycle. An earlier year's veto counted here (shown as `<cycle>/<id>`) is " +
      "deleted in its own cycle: its id here is refused with a NotFoundError naming that cycle.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      await ctx.store.records.deleteVetoEvent(ctx.actor, cycleId, storedId(args.id));
      await ctx.notify({ cycleId, reason: "veto" });
      return ctx.store.cycles.get(cycleId);
    },
  }),
  recordBonusEvent: t.field({
    type: BonusEventRef,
    description:
      "Records (or corrects) a bonus event (加分); correcting an existing id replaces unitId, type and level, and keeps " +
      "the stored note when the input omits it (null removes it). Checked against the cycle's scheme version: an " +
      "unknown bonus type, level or unit is refused, naming the field.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), input: t.arg({ type: BonusEventInput, required: true }) },
    resolve: async (_r, { cycleId, input }, ctx) => {
      const v = check(bonusShape, input, "input");
      const bonus = { id: v.id, unit: String(input.unitId), type: v.type, level: v.level, note: v.note };
      const saved = await onArguments(
        FIELD_NAMES,
        writeChecked(ctx, String(cycleId), {
          // The note does not score: the check does not need the stored one.
          change: (d) => ({
            ...d,
            bonusEvents: [
              ...(d.bonusEvents ?? []).filter((e) => e.id !== bonus.id),
              compactRecord(bonus) as BonusEvent,
            ],
          }),
          write: (tx) => tx.records.putBonusEvent(ctx.actor, String(cycleId), bonus, { keepOmitted: true }),
        }),
      );
      await ctx.notify({ cycleId: String(cycleId), reason: "bonus" });
      return saved;
    },
  }),
  deleteBonusEvent: t.field({
    type: CycleRef,
    description: "Deletes a bonus event; returns its cycle.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      await ctx.store.records.deleteBonusEvent(ctx.actor, cycleId, storedId(args.id));
      await ctx.notify({ cycleId, reason: "bonus" });
      return ctx.store.cycles.get(cycleId);
    },
  }),
}));
