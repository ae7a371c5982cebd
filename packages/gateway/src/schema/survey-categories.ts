import { builder } from "../builder.js";
import { surveyFormsHeld } from "../store/survey-forms-held.js";
import { CycleRef } from "./refs.js";
import { declared } from "./scheme-filter.js";

/**
 * Where a cycle's survey forms (开门评议) are, by category. A forced move leaves the forms of a
 * category the version drops or renames under a category it no longer declares: no list of the
 * version's categories names it, and `deleteSurveyForms` asks how many forms it holds.
 */

interface SurveyCategory {
  category: string;
  forms: number;
  declared: boolean;
}

const SurveyCategoryRef = builder.objectRef<SurveyCategory>("SurveyCategory").implement({
  description: "A category the cycle has survey forms (开门评议) in, and how many.",
  fields: (t) => ({
    category: t.exposeString("category"),
    forms: t.exposeInt("forms", {
      description:
        "The cycle's survey forms in the category, at least 1: `surveyTallies(category:)`'s `formCount`, the number `deleteSurveyForms` confirms as `expectedForms`.",
    }),
    declared: t.exposeBoolean("declared", {
      description:
        "Whether the cycle's scheme version declares the category a survey. False: a forced move (`setCycleScheme`) left these forms in a category the version drops, renames or scores by another method, which no ranking of the cycle scores; `surveyTallies(category:)` still counts them and `deleteSurveyForms` deletes them.",
    }),
  }),
});

/** Byte order, as COLLATE "C" sorts the gateway's other lists of categories. */
const inByteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

builder.objectField(CycleRef, "surveyCategories", (t) =>
  t.field({
    type: [SurveyCategoryRef],
    description:
      "Each category the cycle has survey forms in, with how many, by category: how an admin finds the forms a forced move left in a category the scheme version no longer declares a survey (`declared: false`), to count them (`surveyTallies(category:)`) and delete them (`deleteSurveyForms`). Empty when the cycle has no survey forms. A pass over the cycle's forms: on the embedded database a province's (2,000,000 forms) takes some seconds, other requests answered meanwhile.",
    authScopes: { viewer: true },
    resolve: async (c, _a, ctx) => {
      const [held, categories] = await Promise.all([
        surveyFormsHeld(ctx.store.db, c.id, "category"),
        declared(ctx, c, "categories"),
      ]);
      const surveys = new Set(categories.filter((d) => d.method?.kind === "survey").map((d) => String(d.id)));
      return [...held.keys()]
        .sort(inByteOrder)
        .map((category) => ({ category, forms: held.get(category)!, declared: surveys.has(category) }));
    },
  }),
);
