import { builder } from "../builder.js";
import type { SurveyTally } from "../store/index.js";
import { cycleRecordsPage } from "./cycle-records.js";
import { surveyCategoryFilter, surveyGroupFilter } from "./held-survey-filters.js";
import { countedWhenAsked } from "./pages.js";
import { CycleRef } from "./refs.js";
import { unitFilter } from "./unit-filter.js";

/**
 * Survey forms (开门评议) are anonymous and have no id: thousands per unit, loaded by imports.
 * What is stored is read back as the count of each answer, what one checks against the paper forms.
 */
const SurveyTallyRef = builder.objectRef<SurveyTally>("SurveyTally").implement({
  description:
    "How many of the stored survey forms (开门评议) of one category, unit and respondent group give one answer.",
  fields: (t) => ({
    category: t.exposeString("category"),
    unitId: t.id({ resolve: (s) => s.unit }),
    respondentGroup: t.exposeString("respondentGroup"),
    answer: t.exposeString("answer"),
    count: t.exposeInt("count", { description: "Forms, at least 1: an answer no form gave has no tally." }),
  }),
});

const TALLIES_COUNTED = countedWhenAsked(
  "Tallies that pass the filters, on every page together (counted only when asked for); the forms they count are `formCount`, the sum of their `count`s.",
);

/**
 * The forms a page's tallies count, on every page together: a province's category has 200,000
 * tallies, a hundred pages to add up, and deleteSurveyForms asks for the exact number.
 */
interface FormsCountedWhenAsked {
  countForms: () => Promise<number>;
}

builder.objectField(CycleRef, "surveyTallies", (t) =>
  t.connection(
    {
      type: SurveyTallyRef,
      nullable: true,
      description:
        "The cycle's survey forms counted per category, unit, respondent group and answer, in that order, optionally of one category, one unit and one respondent group; an unknown unitId is refused, and so is a category or respondent group the cycle's scheme version does not declare, unless the cycle holds survey forms of it (a forced move left them under a category the version drops or renames: `surveyCategories` lists them), which are counted as any others. Default 100 rows, at most 2,000 per page. Null, with the error at its path, when its cursor or a filter is refused.",
      authScopes: { viewer: true },
      args: { category: t.arg.id(), unitId: t.arg.id(), respondentGroup: t.arg.string() },
      resolve: async (c, args, ctx, info) => {
        const category = await surveyCategoryFilter(ctx, c, args.category);
        const filter = {
          category,
          unit: await unitFilter(ctx, c.id, args.unitId),
          respondentGroup: await surveyGroupFilter(ctx, c, args.respondentGroup, category),
        };
        const page = await cycleRecordsPage(ctx, c.id, { args, info }, filter, {
          list: (p) => ctx.store.records.surveyTallies(c.id, p),
          count: (f) => ctx.store.records.countSurveyTallies(c.id, f),
        });
        const forms: FormsCountedWhenAsked = {
          countForms: () => ctx.store.records.countSurveyForms(c.id, filter),
        };
        return { ...page, ...forms };
      },
    },
    {
      fields: (connection) => ({
        ...TALLIES_COUNTED.fields(connection),
        formCount: connection.int({
          description:
            "Survey forms that pass the filters, on every page together: the sum of the tallies' `count`s, counted only when asked for. The number `deleteSurveyForms` with the same category, unitId and respondentGroup confirms as `expectedForms`.",
          resolve: (page) => (page as Partial<FormsCountedWhenAsked>).countForms?.() ?? 0,
        }),
      }),
    },
  ),
);
