import { z } from "zod";
import { builder } from "../builder.js";
import type { Cycle } from "../store/index.js";
import { WRITE_ERRORS } from "./common.js";
import { CycleRef } from "./refs.js";
import { check } from "./validate.js";

/**
 * A category's survey forms (开门评议) deleted together, or a unit's or a respondent group's
 * there: those of a unit that filled in its own (刷票), a group's collected wrongly. Forms have no
 * id, so nothing else takes them out but removing the whole import that brought them, and forms
 * not from an import (the example year's) not even that.
 */

// Trimmed, as imports store them. No longest length: whatever is stored must be deletable.
const name = z.string().trim().min(1, "must not be empty");
const which = z.object({ category: name, unitId: name.nullish(), respondentGroup: name.nullish() });

interface DeletedSurveyForms {
  cycle: Cycle;
  category: string;
  unitId: string | null;
  respondentGroup: string | null;
  forms: number;
}

const DeletedSurveyFormsRef = builder.objectRef<DeletedSurveyForms>("DeletedSurveyForms").implement({
  description:
    "The survey forms `deleteSurveyForms` took out, counted; the audit entry of the deletion keeps them as tallies.",
  fields: (t) => ({
    cycle: t.field({
      type: CycleRef,
      description: "The cycle as it is after the deletion: its ranking no longer reads them.",
      resolve: (d) => d.cycle,
    }),
    category: t.exposeString("category"),
    unitId: t.exposeID("unitId", {
      nullable: true,
      description: "The unit whose forms were deleted; null when every unit's of the category were.",
    }),
    respondentGroup: t.exposeString("respondentGroup", {
      nullable: true,
      description: "The respondent group whose forms were deleted; null when every group's were.",
    }),
    forms: t.exposeInt("forms", { description: "Survey forms deleted." }),
  }),
});

builder.mutationFields((t) => ({
  deleteSurveyForms: t.field({
    type: DeletedSurveyFormsRef,
    description:
      "Deletes every survey form (开门评议) of one category in an open cycle, or only one unit's there, or one " +
      "respondent group's, or one unit's of one group, in one transaction: the forms of a unit found to have " +
      "filled in its own (刷票), or of a group collected wrongly; imported or not (an import's forms all " +
      "together go with `removeImport`), whether or not the scheme version declares the category. Forms have " +
      "no id, so one audit entry keeps them as tallies (`delete`, entity `survey_forms`, `entityId` the " +
      "category, its `before` holding the `category`, the `unit` and `respondentGroup` if named, their `count` " +
      "and `tallies`: each unit, respondent group, answer and `importId` with how many forms, by unit, group, " +
      "answer and import, leaving out what the entry names once), with `reason`. `expectedForms` confirms how " +
      "many: another number stored (forms imported since the count was read, or `unitId` left out by mistake, " +
      "which would take every unit's) is refused at `expectedForms`, nothing deleted. Deleting nothing is " +
      "refused, nothing written: at `category` when the cycle has no forms in it (the message lists the " +
      "categories it has forms in), else at `unitId` when the unit has none there, else at `respondentGroup` " +
      "(the message lists the groups there are forms of). A finalised cycle is refused (CycleFinalisedError). " +
      "Subscribers of the cycle's ranking are sent one event (`survey-form`). On the embedded database a " +
      "province's category (2,000,000 forms) takes some seconds; other requests are answered meanwhile.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      category: t.arg.string({
        required: true,
        description: "Trimmed, as imports store it: any category the cycle has survey forms in.",
      }),
      unitId: t.arg.id({
        description:
          "Only this unit's forms of the category, trimmed as imports store it. Left out (or null), every unit's.",
      }),
      respondentGroup: t.arg.string({
        description:
          "Only this respondent group's forms of the category (of `unitId`'s, when given), trimmed as imports store it. Left out (or null), every group's.",
      }),
      expectedForms: t.arg.int({
        required: true,
        description:
          "How many survey forms this deletes, as the caller read it (`surveyTallies(category:, unitId:, respondentGroup:)`'s `formCount`): deleting is refused unless the cycle holds exactly that many.",
      }),
      reason: t.arg.string({
        description:
          "Why they are deleted (the unit that filled in its own forms, the group's forms collected wrongly), kept in the audit entry (`AuditEntry.reason`). Optional; said in words, at most 2,000 characters.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      const v = check(
        which,
        {
          category: args.category,
          unitId: args.unitId == null ? args.unitId : String(args.unitId),
          respondentGroup: args.respondentGroup,
        },
        "",
      );
      const unitId = v.unitId ?? null;
      const respondentGroup = v.respondentGroup ?? null;
      const forms = await ctx.store.records.deleteSurveyForms(
        ctx.actor,
        cycleId,
        {
          category: v.category,
          ...(unitId === null ? {} : { unit: unitId }),
          ...(respondentGroup === null ? {} : { respondentGroup }),
        },
        { expected: args.expectedForms, reason: args.reason ?? null },
      );
      await ctx.notify({ cycleId, reason: "survey-form" });
      return {
        cycle: await ctx.store.cycles.get(cycleId),
        category: v.category,
        unitId,
        respondentGroup,
        forms,
      };
    },
  }),
}));
