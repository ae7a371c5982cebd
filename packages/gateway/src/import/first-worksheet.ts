import { posix } from "node:path";
import { FileFormatError } from "./file-format-error.js";

/** A `<sheet>` of the workbook part, in tab order, as ExcelJS reads it. */
export type Tab = { name?: string; state?: string; rId?: string };
/** A relationship of the workbook part (xl/_rels/workbook.xml.rels). */
export type Relationship = { Id?: string; Type?: string; Target?: string };

/** The types of a chart sheet's, dialog sheet's and Excel 4 macro sheet's relationship. */
const SHEETS_OF_NO_CELLS = new Set(["chartsheet", "dialogsheet", "xlMacrosheet", "xlIntlMacrosheet"]);

/**
 * The part (xl/worksheets/sheet2.xml) of the sheet an import reads: the first tab, as Excel shows
 * the tabs, that is a visible worksheet. The zip's order of the parts is not the tabs' order: a tab
 * moved in Excel keeps its part's name. A hidden sheet is passed over, as the operator does not see
 * it (a template's lists for drop-downs, last year's rows put away), and so is a chart sheet, which
 * has no cells (nor a dialog or macro sheet, for Excel 4). Undefined when the workbook part lists no sheets (a file written without one): the
 * first worksheet part is read then.
 */
export function firstWorksheet(
  tabs: readonly Tab[] | undefined,
  relationships: readonly Relationship[] | undefined,
): { name: string; part: string } | undefined {
  if (!tabs?.length) return undefined;
  for (const tab of tabs) {
    if (tab.state === "hidden" || tab.state === "veryHidden") continue;
    const rel = relationships?.find((r) => r.Id === tab.rId);
    if (!rel?.Target)
      throw new FileFormatError(
        0,
        `not a readable XLSX workbook (the file is damaged or is not an Excel .xlsx file): the sheet '${tab.name}' names no part of the file`,
      );
    const type = rel.Type?.split("/").pop();
    if (type !== undefined && SHEETS_OF_NO_CELLS.has(type)) continue;
    if (type !== "worksheet")
      throw new FileFormatError(
        0,
        `not a readable XLSX workbook (the file is damaged or is not an Excel .xlsx file): the sheet '${tab.name}' is of no kind a workbook has (${String(rel.Type).slice(0, 100)})`,
      );
    const part = rel.Target.startsWith("/")
      ? posix.normalize(rel.Target.slice(1))
      : posix.join("xl", rel.Target);
    return { name: tab.name ?? "", part };
  }
  throw new FileFormatError(
    1,
    "the workbook has no visible worksheet to read (its sheets are hidden, or chart sheets): unhide the sheet to import, and move its tab to the front",
  );
}

/**
 * The name of the visible worksheet tab whose part is `part`, or undefined for a hidden sheet or
 * a part no tab names: the tabs an operator can be told to move.
 */
export function visibleTabName(
  tabs: readonly Tab[] | undefined,
  relationships: readonly Relationship[] | undefined,
  part: string,
): string | undefined {
  for (const tab of tabs ?? []) {
    if (tab.state === "hidden" || tab.state === "veryHidden") continue;
    const target = relationships?.find((r) => r.Id === tab.rId)?.Target;
    if (!target) continue;
    const path = target.startsWith("/") ? posix.normalize(target.slice(1)) : posix.join("xl", target);
    if (path === part) return tab.name ?? "";
  }
  return undefined;
}
