import { CATEGORY_ALIASES, type KindSpec, UNIT_ALIASES } from "./columns.js";

/** Ballots (票决): columns category, voter, role?, unit, score | grade. */
export const ballotsSpec: KindSpec = {
  kind: "ballots",
  table: "ballots",
  columns: [
    { name: "category", dbColumn: "category", aliases: CATEGORY_ALIASES, type: "text", required: true },
    {
      name: "voter",
      dbColumn: "voter",
      aliases: ["voter_id", "投票人", "评分人", "评议人", "票决人"],
      type: "text",
      required: true,
    },
    { name: "role", dbColumn: "role", aliases: ["voter_role", "角色", "职务", "身份"], type: "text" },
    { name: "unit", dbColumn: "unit_id", aliases: UNIT_ALIASES, type: "unit", required: true },
    { name: "score", dbColumn: "score", aliases: ["分数", "得分", "评分", "打分"], type: "decimal" },
    { name: "grade", dbColumn: "grade", aliases: ["等次", "等级", "评价等次", "档次"], type: "text" },
  ],
  key: ["category", "voter", "unit"],
  check(v) {
    if (v.score === null && v.grade === null)
      return { column: "score", message: "a ballot needs a score or a grade" };
    if (v.score !== null && v.grade !== null)
      return { column: "grade", message: "a ballot has a score or a grade, not both" };
    return undefined;
  },
};
