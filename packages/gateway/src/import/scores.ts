import { CATEGORY_ALIASES, type KindSpec, UNIT_ALIASES } from "./columns.js";

/** Direct scores (assessed raw scores for `direct` categories): columns unit, category, value. */
export const scoresSpec: KindSpec = {
  kind: "scores",
  table: "direct_scores",
  columns: [
    { name: "unit", dbColumn: "unit_id", aliases: UNIT_ALIASES, type: "unit", required: true },
    { name: "category", dbColumn: "category", aliases: CATEGORY_ALIASES, type: "text", required: true },
    {
      name: "value",
      dbColumn: "value",
      aliases: ["score", "分值", "得分", "分数"],
      type: "decimal",
      required: true,
    },
  ],
  key: ["unit", "category"],
};
