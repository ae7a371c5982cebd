import { toCsv } from "../export/csv";
import { download } from "../export/download";
import type { Table } from "../export/table";
import { useI18n } from "../i18n";

/**
 * CSV and XLSX buttons for a table on screen. The table is built when a button is pressed, from
 * what is shown then; `fileName` gives the download's name for an extension.
 */
export function ExportButtons(props: {
  table: () => Table;
  fileName: (extension: "csv" | "xlsx") => string;
  /** The XLSX sheet's name (cut to Excel's 31 characters). */
  sheet: string;
  /** Decimals the XLSX shows a numeric column with, unless the table gives its own format. */
  decimals: number;
  /** The buttons' test ids: `${testId}-csv` and `${testId}-xlsx`. */
  testId?: string;
  /** Nothing to export yet (a result still computing). */
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const testId = props.testId ?? "export";
  const csv = () =>
    download(new Blob([toCsv(props.table())], { type: "text/csv;charset=utf-8" }), props.fileName("csv"));
  const xlsx = async () => {
    // The XLSX writer is loaded on first use only.
    const { toXlsx } = await import("../export/xlsx");
    download(await toXlsx(props.table(), props.sheet, props.decimals), props.fileName("xlsx"));
  };
  return (
    <>
      <button type="button" data-testid={`${testId}-csv`} disabled={props.disabled} onClick={csv}>
        {t("exportCsv")}
      </button>
      <button type="button" data-testid={`${testId}-xlsx`} disabled={props.disabled} onClick={xlsx}>
        {t("exportXlsx")}
      </button>
    </>
  );
}
