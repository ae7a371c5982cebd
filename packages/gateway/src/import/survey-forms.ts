import { CATEGORY_ALIASES, type KindSpec, UNIT_ALIASES } from "./columns.js";

/** Survey forms (开门评议问卷): one row per form and unit. Columns: category, unit, respondent_group, answer. */
export const surveyFormsSpec: KindSpec = {
  kind: "survey-forms",
  table: "survey_forms",
  columns: [
    { name: "category", dbColumn: "category", aliases: CATEGORY_ALIASES, type: "text", required: true },
    { name: "unit", dbColumn: "unit_id", aliases: UNIT_ALIASES, type: "unit", required: true },
    {
      name: "respondent_group",
      dbColumn: "respondent_group",
      // Not 评议对象: in many rules that names the unit being evaluated.
      aliases: ["respondentgroup", "respondent", "受访群体", "评议群体", "群体", "受访者类别", "评议人类别"],
      type: "text",
      required: true,
    },
    {
      name: "answer",
      dbColumn: "answer",
      aliases: ["option", "答案", "评价", "评价意见", "满意度", "评议结果"],
      type: "text",
      required: true,
    },
  ],
};
