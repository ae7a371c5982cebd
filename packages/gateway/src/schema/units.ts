import { unknownId } from "@pingyi/engine";
import { z } from "zod";
import { builder } from "../builder.js";
import { unitKey } from "../context.js";
import { resultOf } from "../evaluations.js";
import { NotFoundError, type UnitRecord, ValidationError, type ValidationIssue } from "../store/index.js";
import { compactRecord, READ_ERRORS, WRITE_ERRORS } from "./common.js";
import { compiles, writeChecked } from "./engine-check.js";
import {
  GROUP_IMPORT_FILTER,
  GROUP_IMPORT_ID,
  IMPORT_FILTER,
  importFilter,
  importIdField,
} from "./import-provenance.js";
import { offsetConnection } from "./pages.js";
import { CycleRef, GroupRef, UnitRef } from "./refs.js";
import { UnitResultRef } from "./results.js";
import { check, storedId } from "./validate.js";

const id = z.string().trim().min(1, "must not be empty").max(100, "at most 100 characters");
const name = z.string().trim().min(1, "must not be empty").max(200, "at most 200 characters");
const unitShape = z.object({ id, name, group: id });
const groupShape = z.object({ id, name: name.nullish() });

GroupRef.implement({
  description: "A comparability group (可比组): rankings, grades and quotas apply within it.",
  fields: (t) => ({
    id: t.id({ resolve: (g) => g.group.id }),
    name: t.string({ resolve: (g) => g.group.name }),
    ranked: t.boolean({ description: "False: evaluated but not ranked.", resolve: (g) => g.group.ranked }),
  }),
});

UnitRef.implement({
  description: "An evaluated unit in one cycle. The same id in several cycles is the same organisation.",
  fields: (t) => ({
    id: t.id({ resolve: (u) => u.unit.id }),
    cycleId: t.id({ resolve: (u) => u.cycleId }),
    name: t.string({ resolve: (u) => u.unit.name }),
    groupId: t.id({ resolve: (u) => u.unit.group }),
    parentId: t.id({ nullable: true, resolve: (u) => u.unit.parent ?? null }),
    kind: t.string({ nullable: true, resolve: (u) => u.unit.kind ?? null }),
    parent: t.field({
      type: UnitRef,
      nullable: true,
      resolve: async (u, _a, ctx) => {
        if (!u.unit.parent) return null;
        const parent = await ctx.loaders.unit.load(unitKey(u.cycleId, u.unit.parent));
        return parent ? { cycleId: u.cycleId, unit: parent } : null;
      },
    }),
    result: t.field({
      type: UnitResultRef,
      nullable: true,
      description: "The unit's evaluation in this cycle (null when the cycle cannot be scored yet).",
      authScopes: { rankings: true },
      resolve: async (u, _a, ctx) => {
        const scored = await ctx.loaders.evaluation.load(u.cycleId);
        const result = resultOf(scored.evaluation, u.unit.id);
        return result ? { cycleId: u.cycleId, result } : null;
      },
    }),
    results: t.field({
      type: [UnitResultRef],
      description:
        "The unit's evaluation in every cycle it appears in, newest year first. A cycle whose records cannot be scored yet is left out: `result` on the unit in that cycle says why.",
      authScopes: { rankings: true },
      resolve: async (u, _a, ctx) => {
        const cycles = await ctx.loaders.cycles();
        const present = await Promise.all(cycles.map((c) => ctx.loaders.unit.load(unitKey(c.id, u.unit.id))));
        // Only "cannot be scored as its records stand" leaves a year out; a failing database
        // or a bug is an error, not a shorter history.
        const scored = await Promise.all(
          cycles
            .filter((_c, i) => present[i])
            .map((c) =>
              ctx.loaders.evaluation.load(c.id).catch((err) => {
                if (err instanceof ValidationError) return null;
                throw err;
              }),
            ),
        );
        return scored.flatMap((s) => {
          const result = s && resultOf(s.evaluation, u.unit.id);
          return s && result ? [{ cycleId: s.cycle.id, result }] : [];
        });
      },
    }),
  }),
});

importIdField(UnitRef, (u) => u.unit.importId);
importIdField(GroupRef, (g) => g.group.importId, GROUP_IMPORT_ID);

builder.queryFields((t) => ({
  units: t.connection({
    type: UnitRef,
    nullable: true,
    description:
      "The units of a cycle by id, optionally of one group and one import (an unknown importId is refused). Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused, or when there is no such cycle (`NOT_FOUND`).",
    authScopes: { rankings: true },
    args: {
      cycleId: t.arg.id({ required: true }),
      group: t.arg.id(),
      importId: t.arg.id({ description: IMPORT_FILTER }),
    },
    resolve: async (_r, args, ctx, info) => {
      const cycleId = String(args.cycleId);
      const group = args.group ?? undefined;
      const importId = await importFilter(ctx, { id: cycleId }, args.importId, "units");
      // The cycle owns the list; `group` narrows it, as the filters of every list do. Its
      // revision is read first, so that a unit added before the page is read makes the cursors
      // handed out stale rather than paging on.
      const owner = { kind: "cycle", id: cycleId, revision: await ctx.store.units.revision(cycleId) };
      // `last` alone pages back from the end, which takes the count: read only then.
      const count =
        args.last != null && args.before == null
          ? { totalCount: (await ctx.store.units.list(cycleId, { group, importId })).length }
          : {};
      return offsetConnection({ args, info, owner, ...count }, async ({ limit, offset }) => {
        const units = await ctx.store.units.list(cycleId, { group, importId, limit, offset });
        return (await ctx.store.cycles.knownList(cycleId, units)).map((unit) => ({ cycleId, unit }));
      });
    },
  }),
  unit: t.field({
    type: UnitRef,
    description: "A unit in a cycle; without cycleId, in the newest cycle that has it.",
    authScopes: { rankings: true },
    errors: { types: READ_ERRORS },
    args: { id: t.arg.id({ required: true }), cycleId: t.arg.id() },
    resolve: async (_r, args, ctx) => {
      const unitId = String(args.id);
      const cycles = args.cycleId ? [String(args.cycleId)] : (await ctx.store.cycles.list()).map((c) => c.id);
      for (const cycleId of cycles) {
        const unit = await ctx.loaders.unit.load(unitKey(cycleId, unitId));
        if (unit) return { cycleId, unit };
      }
      if (args.cycleId) await ctx.store.cycles.get(String(args.cycleId));
      throw new NotFoundError("unit", unitId);
    },
  }),
  groups: t.field({
    type: [GroupRef],
    nullable: true,
    description:
      "The comparability groups of a cycle, optionally those of one units import. Null, with the error at its path, when its importId is refused, or when there is no such cycle (`NOT_FOUND`, naming it).",
    authScopes: { rankings: true },
    args: {
      cycleId: t.arg.id({ required: true }),
      importId: t.arg.id({ description: GROUP_IMPORT_FILTER }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      // Groups are made by units imports: another kind's id is refused, naming the list it loads.
      const importId = await importFilter(ctx, { id: cycleId }, args.importId, "units");
      const listed = await ctx.store.groups.list(cycleId, { importId });
      const groups = await ctx.store.cycles.knownList(cycleId, listed);
      return groups.map((group) => ({ cycleId, group }));
    },
  }),
}));

const UnitInput = builder.inputType("UnitInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: true }),
    group: t.id({
      required: true,
      description:
        "A group of the cycle's scheme version (its group row is created on the fly when the cycle has none yet).",
    }),
    parent: t.id({
      description:
        "The parent unit, for sub-units: an existing unit of the same cycle. Omitted, an existing unit keeps its parent; null removes it.",
    }),
    kind: t.string({
      description:
        "The unit's kind (survey weights by kind). Omitted, an existing unit keeps its kind; null removes it.",
    }),
  }),
});

const GroupInput = builder.inputType("GroupInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    ranked: t.boolean(),
  }),
});

builder.mutationFields((t) => ({
  upsertUnit: t.field({
    type: UnitRef,
    description:
      "Creates or updates a unit of an open cycle. An update keeps the unit's parent and kind when the input omits them.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), input: t.arg({ type: UnitInput, required: true }) },
    resolve: async (_r, { cycleId, input }, ctx) => {
      // Stored as checked: " U9 " is unit "U9", not an id no query will ever match.
      const v = check(unitShape, input, "input");
      const record: UnitRecord = {
        id: v.id,
        name: v.name,
        group: v.group,
        ...(input.parent ? { parent: String(input.parent) } : {}),
        ...(input.kind ? { kind: input.kind } : {}),
      };
      // A rename must not cut a sub-unit from its bureau (its results roll up there): only an
      // explicit null removes a parent or kind. The store merges again under its row lock.
      const keep = { parent: input.parent === undefined, kind: input.kind === undefined };
      const stored =
        keep.parent || keep.kind
          ? await ctx.loaders.unit.load(unitKey(String(cycleId), record.id))
          : undefined;
      const merged: UnitRecord = compactRecord({
        ...record,
        parent: record.parent ?? (keep.parent ? stored?.parent : undefined),
        kind: record.kind ?? (keep.kind ? stored?.kind : undefined),
      });
      // A group made on the fly takes the name and ranking the scheme it was checked under gives it.
      let declared: { name: string; ranked: boolean } | undefined;
      const unit = await writeChecked(ctx, String(cycleId), {
        issues: async ({ cycle, compiled }) => {
          const issues: ValidationIssue[] = [];
          // Published versions compile; one that no longer does is not checked by the engine
          // either (as every write to such a cycle), so its groups are not held against the unit.
          const groups = compiled?.scheme.groups;
          const group = groups?.find((g) => g.id === record.group);
          declared = group && { name: group.name, ranked: group.ranked };
          if (groups && !group)
            issues.push({
              path: "input.group",
              message: `${unknownId("group", record.group, new Set(groups.map((g) => g.id)), true)}, in scheme ${cycle.schemeId} v${cycle.schemeVersion}`,
            });
          if (record.parent && record.parent !== record.id) {
            const parent = await ctx.loaders.unit.load(unitKey(cycle.id, record.parent));
            if (!parent)
              issues.push({
                path: "input.parent",
                message: `unit '${record.parent}' not found in cycle '${cycle.id}'`,
              });
          }
          return issues;
        },
        // The engine checks the rest (e.g. a parent chain), as for every other write.
        change: (d) => ({ ...d, units: [...d.units.filter((u) => u.id !== merged.id), merged] }),
        write: (tx) => tx.units.upsert(ctx.actor, String(cycleId), record, declared, keep),
      });
      await ctx.notify({ cycleId: String(cycleId), reason: "unit" });
      return { cycleId: String(cycleId), unit };
    },
  }),
  deleteUnit: t.field({
    type: CycleRef,
    description: "Deletes a unit that no record refers to; returns its cycle.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      await ctx.store.units.delete(ctx.actor, String(args.cycleId), storedId(args.id));
      await ctx.notify({ cycleId: String(args.cycleId), reason: "unit" });
      return ctx.store.cycles.get(String(args.cycleId));
    },
  }),
  upsertGroup: t.field({
    type: GroupRef,
    description:
      "Creates or renames a comparability group of a cycle. Whether it is ranked is the scheme's to say: a `ranked` that contradicts the cycle's scheme is refused.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), input: t.arg({ type: GroupInput, required: true }) },
    resolve: async (_r, { cycleId, input }, ctx) => {
      const v = check(groupShape, input, "input");
      // Rankings follow the scheme's groups; a stored flag that disagreed would mislead.
      const cycle = await ctx.store.cycles.get(String(cycleId));
      const scheme = await ctx.store.schemes.get(cycle.schemeId, cycle.schemeVersion);
      // As the engine reads the version (a group that leaves `ranked` out is ranked).
      const declared = compiles(scheme.document)?.scheme.groups.find((g) => g.id === v.id);
      if (declared && input.ranked != null && declared.ranked !== input.ranked)
        throw new ValidationError([
          {
            path: "input.ranked",
            message: `scheme ${cycle.schemeId} v${cycle.schemeVersion} decides whether group ${declared.id} is ranked (${declared.ranked}); publish a new scheme version to change it`,
          },
        ]);
      // Left out, the store would make a new group "ranked" and name it by its id: one the
      // scheme declares is made as declared, as upsertUnit makes it.
      const exists = declared && (await ctx.store.groups.list(cycle.id)).some((g) => g.id === v.id);
      const group = await ctx.store.groups.upsert(ctx.actor, String(cycleId), {
        id: v.id,
        name: v.name ?? (declared && !exists ? declared.name : undefined),
        ranked: input.ranked ?? declared?.ranked,
      });
      await ctx.notify({ cycleId: String(cycleId), reason: "group" });
      return { cycleId: String(cycleId), group };
    },
  }),
  deleteGroup: t.field({
    type: CycleRef,
    description:
      "Deletes an empty comparability group of an open cycle (one a scheme version renamed or dropped); returns its cycle. " +
      "Refused (ValidationError on `id`, saying how many units and the first few) while units are in it: move them with upsertUnit " +
      "or delete them first; nothing is deleted then. Rankings do not change: the group has no units. " +
      "A group the cycle's scheme version still declares comes back when a unit is put in it (upsertUnit, a units import), " +
      "named and ranked as declared: a name upsertGroup gave it is not kept.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { cycleId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      await ctx.store.groups.delete(ctx.actor, cycleId, storedId(args.id));
      await ctx.notify({ cycleId, reason: "group" });
      return ctx.store.cycles.get(cycleId);
    },
  }),
}));
