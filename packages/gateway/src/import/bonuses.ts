import { type KindSpec, UNIT_ALIASES } from "./columns.js";

/** Bonus events (加分, e.g. commendations): columns id, unit, type, level, note?. */
export const bonusesSpec: KindSpec = {
  kind: "bonuses",
  table: "bonus_events",
  columns: [
    { name: "id", dbColumn: "id", aliases: ["bonus_id", "编号", "加分编号"], type: "text", required: true },
    { name: "unit", dbColumn: "unit_id", aliases: UNIT_ALIASES, type: "unit", required: true },
    {
      name: "type",
      dbColumn: "type",
      aliases: ["bonus_type", "类型", "加分类型", "加分项目", "表彰类型"],
      type: "text",
      required: true,
    },
    {
      name: "level",
      dbColumn: "level",
      aliases: ["层级", "级别", "加分级别", "表彰级别", "表彰层级"],
      type: "text",
      required: true,
    },
    { name: "note", dbColumn: "note", aliases: ["备注", "说明"], type: "text" },
  ],
  key: ["id"],
};
