import { type KindSpec, UNIT_ALIASES } from "./columns.js";

/**
 * Inspection findings (日常考核): columns id, unit, type, level, rectification?, repeated?,
 * note?, deadline?, rectified_on?.
 */
export const findingsSpec: KindSpec = {
  kind: "findings",
  table: "findings",
  columns: [
    { name: "id", dbColumn: "id", aliases: ["finding_id", "编号", "问题编号"], type: "text", required: true },
    { name: "unit", dbColumn: "unit_id", aliases: UNIT_ALIASES, type: "unit", required: true },
    {
      name: "type",
      dbColumn: "type",
      aliases: ["finding_type", "类型", "问题类型", "考核类型", "检查类型"],
      type: "text",
      required: true,
    },
    {
      name: "level",
      dbColumn: "level",
      aliases: ["层级", "级别", "检查层级", "发现层级"],
      type: "text",
      required: true,
    },
    {
      name: "rectification",
      dbColumn: "rectification",
      aliases: ["整改", "整改情况", "整改状态"],
      type: "rectification",
    },
    {
      name: "repeated",
      dbColumn: "repeated",
      aliases: ["重复", "是否重复", "连续通报"],
      type: "boolean",
      emptyValue: "false",
    },
    { name: "note", dbColumn: "note", aliases: ["备注", "说明", "问题描述"], type: "text" },
    { name: "deadline", dbColumn: "deadline", aliases: ["整改期限", "期限"], type: "date" },
    {
      name: "rectified_on",
      dbColumn: "rectified_on",
      aliases: ["rectified", "整改日期", "完成日期", "整改完成日期"],
      type: "date",
    },
  ],
  key: ["id"],
};
