import { ApiError, ERROR_FIELDS, gql, gqlUpload, unwrap } from "./api";
import type { Translate } from "./i18n";

/** What a file holds, as importFile names it (the gateway's import/README.md lists each's columns). */
export const IMPORT_KINDS = [
  "UNITS",
  "SURVEY_FORMS",
  "BALLOTS",
  "FINDINGS",
  "SCORES",
  "VETOES",
  "BONUSES",
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * Chinese headers the gateway reads for each kind (its aliases, in packages/gateway/src/import), as
 * the column hint's examples: a clerk's spreadsheet usually has these rather than the English
 * names, and a kind's own say more than one set for every kind.
 */
export const CHINESE_HEADERS: Readonly<Record<ImportKind, readonly string[]>> = {
  UNITS: ["单位编号", "单位名称", "考核分组", "上级单位"],
  SURVEY_FORMS: ["考核类别", "被评单位", "受访群体", "满意度"],
  BALLOTS: ["考核类别", "投票人", "被评单位", "得分", "等次"],
  FINDINGS: ["问题编号", "被评单位", "问题类型", "整改情况"],
  SCORES: ["被评单位", "考核类别", "分值"],
  VETOES: ["否决编号", "被评单位", "否决类型", "否决事由"],
  BONUSES: ["加分编号", "被评单位", "加分类型", "加分级别"],
};

export const IMPORT_FORMATS = ["CSV", "XLSX", "JSON"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * The encodings importFile can be told a CSV or JSON file is in (its TextEncoding), GB18030 first:
 * it is what Excel in Chinese Windows saves, and the one a clerk is asked about. Told none, the
 * gateway detects it.
 */
export const TEXT_ENCODINGS = ["GB18030", "UTF_8"] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** Whether a file of this format is read in an encoding the clerk may give: an XLSX workbook says its own. */
export const takesEncoding = (format: ImportFormat | ""): boolean => format !== "XLSX";

/** The gateway's limit on an import id, once trimmed (MAX_IMPORT_ID_LENGTH). */
export const MAX_IMPORT_ID_LENGTH = 200;

/**
 * The format a file's extension says, or null when it says none the gateway reads. NDJSON is
 * read as JSON (one object a line); an .xls (Excel 97) is not an .xlsx and is refused as one,
 * so it is not guessed to be one here.
 */
export function formatFromFileName(name: string): ImportFormat | null {
  const ext = /\.([^.]+)$/.exec(name.trim())?.[1]?.toLowerCase();
  if (ext === "csv") return "CSV";
  if (ext === "xlsx") return "XLSX";
  if (ext === "json" || ext === "ndjson" || ext === "jsonl") return "JSON";
  return null;
}

/**
 * An import id from a file's name: the name less its extension, spaces joined by "-", cut to
 * the gateway's limit (never inside a character). The clerk may change it: the id is what a
 * second upload of the same batch is recognised by, and what removing it names.
 */
export function defaultImportId(fileName: string): string {
  const base = fileName
    .trim()
    .replace(/\.[^.]*$/, "")
    .trim()
    .replace(/\s+/g, "-");
  let id = "";
  for (const ch of base) {
    if (id.length + ch.length > MAX_IMPORT_ID_LENGTH) break;
    id += ch;
  }
  return id || "import";
}

/** One bad row of a refused file: where it starts in the file (the worksheet row for XLSX). */
export interface BadRow {
  line: number;
  /**
   * A JSON array's record: its number in the array, as an array written on one line has every
   * record on line 1. Null for CSV, XLSX and NDJSON, whose line is the record's.
   */
  record: number | null;
  /** The header as written in the file, with the English name when they differ; null for the row. */
  column: string | null;
  message: string;
}

/**
 * What an upload did. A refusal of the whole file for other reasons (the engine's check of the
 * year, an import id used for another file, a finalised cycle) is thrown as an ApiError instead.
 */
export type ImportOutcome =
  /** `unreadColumns`: the file's columns no column of the kind reads (an export's own), said beside. */
  | { kind: "imported"; importId: string; rows: number; unreadColumns: string[] }
  /** The same import id and file again: nothing added; `rows` are those the first upload added. */
  | { kind: "already-imported"; importId: string; rows: number }
  /** Bad rows: nothing was written. `rows` are the first the gateway lists, `totalErrors` all. */
  | { kind: "bad-rows"; totalErrors: number; rows: BadRow[] };

type UploadResult = {
  __typename: string;
  importId?: string;
  status?: string;
  rows?: number;
  unreadColumns?: string[];
  totalErrors?: number;
  bad?: BadRow[];
};

export async function uploadImport(input: {
  cycleId: string;
  importId: string;
  kind: ImportKind;
  format: ImportFormat;
  /** Null or absent: the gateway detects it. Never sent for XLSX, which the gateway refuses. */
  encoding?: TextEncoding | null;
  /**
   * Survey forms only: earlier imports of the cycle the administrator says these are other forms
   * than, although they tally as those do (see sameFormsTwin). Sent only when there are some.
   */
  otherFormsThan?: readonly string[];
  file: File;
}): Promise<ImportOutcome> {
  const { cycleId, importId, kind, format, encoding } = input;
  const otherFormsThan = input.otherFormsThan ?? [];
  // `rows` is an Int on ImportResult and a list on ImportError: one of them is read under another name.
  const data = await gqlUpload<{ importFile: UploadResult }>(
    `mutation ImportFile($cycleId: ID!, $importId: ID!, $kind: ImportKind!, $format: ImportFormat!, $encoding: TextEncoding, $otherFormsThan: [ID!], $file: File!) {
      importFile(cycleId: $cycleId, importId: $importId, kind: $kind, format: $format, encoding: $encoding, otherFormsThan: $otherFormsThan, file: $file) {
        __typename ${ERROR_FIELDS}
        ... on ImportResult { importId status rows unreadColumns }
        ... on ImportError { totalErrors bad: rows { line record column message } } } }`,
    {
      cycleId,
      importId,
      kind,
      format,
      // Left out, not sent as null, unless chosen: detection stays the gateway's default.
      ...(encoding && takesEncoding(format) ? { encoding } : {}),
      ...(otherFormsThan.length > 0 ? { otherFormsThan } : {}),
    },
    { file: input.file },
  );
  return importOutcome(data.importFile);
}

/**
 * The earlier import a survey-forms file was refused as holding again (the same forms saved
 * differently), which `otherFormsThan` lets through once the administrator says they are other
 * forms; null for any other refusal. The gateway gives the refusal no code of its own: it is told
 * by the way out its message names, `otherFormsThan: "<import id>"`.
 */
export function sameFormsTwin(error: Error): string | null {
  if (!(error instanceof ApiError) || error.code !== "CONFLICT") return null;
  const quoted = /\botherFormsThan: ("(?:[^"\\]|\\.)*")/.exec(error.message)?.[1];
  if (quoted === undefined) return null;
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return null;
  }
}

/** importFile's result as an outcome, or its typed error thrown. */
export function importOutcome(result: UploadResult): ImportOutcome {
  if (result.__typename === "ImportError")
    return { kind: "bad-rows", totalErrors: result.totalErrors ?? 0, rows: result.bad ?? [] };
  const r = unwrap(result, "ImportResult");
  if (r.status === "already-imported")
    return { kind: "already-imported", importId: r.importId ?? "", rows: r.rows ?? 0 };
  return {
    kind: "imported",
    importId: r.importId ?? "",
    rows: r.rows ?? 0,
    unreadColumns: r.unreadColumns ?? [],
  };
}

/**
 * A file the gateway would not guess the encoding of: its first non-ASCII bytes read as UTF-8 and
 * as GB18030 alike (学院 in GB18030 is "ѧԺ" in UTF-8). The gateway gives it no code, only its
 * message, so it is told by how that begins; `readings` are the two it quotes, null if reworded.
 */
export interface EncodingAmbiguity {
  line: number;
  message: string;
  readings: { utf8: string; gb18030: string } | null;
}

const AMBIGUOUS_PREFIX = "the file reads as UTF-8";
const AMBIGUOUS_READINGS = /^the file reads as UTF-8 \("([\s\S]*?)"\) and as GB18030 \("([\s\S]*?)"\) alike/;

export function encodingAmbiguity(outcome: ImportOutcome): EncodingAmbiguity | null {
  if (outcome.kind !== "bad-rows") return null;
  const row = outcome.rows.find((r) => r.message.startsWith(AMBIGUOUS_PREFIX));
  if (!row) return null;
  const m = AMBIGUOUS_READINGS.exec(row.message);
  return {
    line: row.line,
    message: row.message,
    readings: m ? { utf8: m[1]!, gb18030: m[2]! } : null,
  };
}

/** The upload form's hint at its encoding box for such a file, with both readings when the gateway gave them. */
export function ambiguityText(a: EncodingAmbiguity, t: Translate): string {
  return a.readings
    ? t("imports.encodingAmbiguous", { line: a.line, ...a.readings })
    : `${t("imports.encodingAmbiguousUnquoted", { line: a.line })} ${a.message}`;
}

/**
 * Where the upload form shows a refusal: at the import id's box or the encoding's (with what the
 * gateway said of it), at the file's (its records, or the same file imported under another id),
 * or under the form when it concerns none of them, or several.
 */
export type RefusalPlace =
  | { at: "id"; messages: string[] }
  | { at: "encoding"; messages: string[] }
  | { at: "file" }
  | { at: "form" };

/**
 * A conflict carries no path, so it is placed by what it names, the gateway quoting ids as
 * 'id': the id sent (or one this cycle already lists) was used before; an import of this cycle
 * other than it holds the same file. A conflict naming neither stays under the form.
 */
export function placeRefusal(
  error: Error,
  sent: { importId: string; listed: readonly string[] },
): RefusalPlace {
  if (!(error instanceof ApiError)) return { at: "form" };
  const id = sent.importId.trim();
  const quotes = (name: string) => error.message.includes(`'${name}'`);
  if (error.code === "CONFLICT") {
    if (sent.listed.includes(id) || quotes(id)) return { at: "id", messages: [error.message] };
    if (sent.listed.some(quotes)) return { at: "file" };
    return { at: "form" };
  }
  const { issues } = error;
  if (issues.length === 0) return { at: "form" };
  if (issues.every((i) => i.path === "importId")) return { at: "id", messages: issues.map((i) => i.message) };
  // An encoding given for a file that takes none (an XLSX workbook).
  if (issues.every((i) => i.path === "encoding"))
    return { at: "encoding", messages: issues.map((i) => i.message) };
  // The engine's check of the records the file would add: issues at `dataset.<records>[i]…`.
  if (issues.every((i) => i.path === "dataset" || i.path.startsWith("dataset."))) return { at: "file" };
  return { at: "form" };
}

/** The column hint's line on headers, with the kind's own Chinese examples. */
export const headersText = (kind: ImportKind, t: Translate): string =>
  t("imports.columnsAliases", { examples: CHINESE_HEADERS[kind].join(t("imports.headerSeparator")) });

/** "1 row", "2 rows". */
export const rowsText = (n: number, t: Translate): string =>
  t(n === 1 ? "imports.oneRow" : "imports.rows", { n });

/** A kind as the page names it; one this console does not know, by the gateway's name. */
export const kindText = (kind: string, t: Translate): string =>
  (IMPORT_KINDS as readonly string[]).includes(kind) ? t(`imports.kind.${kind as ImportKind}`) : kind;

/**
 * What the page says of an outcome: one sentence, and for a refused file how many of its
 * problems are listed when the gateway listed fewer than it found.
 */
export function summariseImport(
  outcome: ImportOutcome,
  t: Translate,
): { text: string; shown: string | null } {
  const rows = (n: number) => rowsText(n, t);
  if (outcome.kind === "imported") {
    const values = { rows: rows(outcome.rows), id: outcome.importId };
    if (outcome.unreadColumns.length === 0) return { text: t("imports.imported", values), shown: null };
    // A column the file carries that nothing read: said, so a mistake in it does not go unseen.
    const columns = outcome.unreadColumns.map((c) => `“${c}”`).join(t("imports.listSeparator"));
    return { text: t("imports.importedUnread", { ...values, columns }), shown: null };
  }
  if (outcome.kind === "already-imported")
    return {
      text: t("imports.alreadyImported", { rows: rows(outcome.rows), id: outcome.importId }),
      shown: null,
    };
  const shown = outcome.rows.length;
  return {
    text: t(outcome.totalErrors === 1 ? "imports.refusedOne" : "imports.refused", { n: outcome.totalErrors }),
    shown: shown < outcome.totalErrors ? t("imports.showing", { shown, total: outcome.totalErrors }) : null,
  };
}

/** A file imported into a cycle, as the gateway keeps it. */
export interface ImportRecord {
  id: string;
  kind: string;
  format: string;
  rows: number;
  fileHash: string;
  actor: string;
  createdAt: string;
}

export interface CycleImports {
  /** OPEN or FINALISED, read with the list: a finalised cycle's imports can no longer be removed. */
  status: string;
  /** Newest first, as the gateway lists them. */
  imports: ImportRecord[];
}

export async function loadImports(cycleId: string, signal?: AbortSignal): Promise<CycleImports> {
  const data = await gql<{ cycle: { __typename: string } & Partial<CycleImports> }>(
    `query Imports($id: ID!) { cycle(id: $id) { __typename ${ERROR_FIELDS}
      ... on Cycle { status imports { id kind format rows fileHash actor createdAt } } } }`,
    { id: cycleId },
    signal ? { signal } : {},
  );
  const cycle = unwrap(data.cycle, "Cycle");
  return { status: cycle.status ?? "", imports: cycle.imports ?? [] };
}

/** Takes an import out of its cycle; returns how many rows went (less those corrected by hand since). */
export async function removeImport(importId: string): Promise<number> {
  const data = await gql<{ removeImport: { __typename: string; removedRows?: number } }>(
    `mutation RemoveImport($importId: ID!) { removeImport(importId: $importId) {
      __typename ${ERROR_FIELDS} ... on RemovedImport { removedRows } } }`,
    { importId },
  );
  return unwrap(data.removeImport, "RemovedImport").removedRows ?? 0;
}
