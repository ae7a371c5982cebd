import { type KindSpec, UNIT_ALIASES } from "./columns.js";

/** Veto events (一票否决): columns id, unit, type, reason. */
export const vetoesSpec: KindSpec = {
  kind: "vetoes",
  table: "veto_events",
  columns: [
    { name: "id", dbColumn: "id", aliases: ["veto_id", "编号", "否决编号"], type: "text", required: true },
    { name: "unit", dbColumn: "unit_id", aliases: UNIT_ALIASES, type: "unit", required: true },
    {
      name: "type",
      dbColumn: "type",
      aliases: ["veto_type", "类型", "否决类型", "否决事项"],
      type: "text",
      required: true,
    },
    {
      // Published beside the barred unit: a veto without one is a bad row, not an empty reason.
      name: "reason",
      dbColumn: "reason",
      aliases: ["veto_reason", "原因", "理由", "事由", "否决原因", "否决理由", "否决事由"],
      type: "text",
      required: true,
    },
  ],
  key: ["id"],
  refused: [
    {
      names: ["yearsAgo", "years_ago", "years ago"],
      message:
        "an earlier year's veto is recorded in that year's cycle (import it there); this cycle reads it through its previous cycle",
    },
  ],
};
