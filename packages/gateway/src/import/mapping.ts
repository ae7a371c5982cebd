import { closestField } from "@pingyi/engine";
import { isCalendarDay } from "../calendar-day.js";
import type { ImportRowError } from "../store/errors.js";
import { decimalRangeIssue } from "../store/internal.js";
import { unstorableText } from "../unstorable-text.js";
import { halfWidth, trimCell } from "./cell-text.js";
import { type ImportColumn, type KindSpec, normaliseHeader } from "./columns.js";
import { CellProblem } from "./readers.js";
import type { RecordPlace } from "./record-place.js";
import { type RefusedValue, refusingValue } from "./refused-value.js";
import { quotedColumns, UnreadColumns } from "./unread-columns.js";

/** The cycle's units by id and by (unique) name, so files may name units either way. */
export class UnitIndex {
  private readonly byId = new Set<string>();
  private readonly byName = new Map<string, string | null>();
  constructor(units: readonly { id: string; name: string }[]) {
    for (const u of units) this.byId.add(u.id);
    for (const u of units) {
      if (this.byId.has(u.name) && u.name !== u.id) continue; // an id always wins over a name
      this.byName.set(u.name, this.byName.has(u.name) ? null : u.id);
    }
  }
  resolve(v: string): { id: string } | Refused {
    if (this.byId.has(v)) return { id: v };
    const byName = this.byName.get(v);
    if (byName) return { id: byName };
    if (byName === null)
      return {
        error: `unit name '${v}' matches several units; use the unit id`,
        refused: { subject: `unit name '${v}'`, reason: "matches several units; use the unit id" },
      };
    return {
      error: `unknown unit '${v}' in this cycle`,
      refused: { subject: `unit '${v}'`, reason: "unknown in this cycle" },
    };
  }
}

const TRUE = new Set(["true", "t", "yes", "y", "1", "是", "√", "✓"]);
const FALSE = new Set(["false", "f", "no", "n", "0", "否", "×"]);

const RECTIFICATION: Record<string, string> = {
  "on-time": "on-time",
  on_time: "on-time",
  ontime: "on-time",
  按时整改: "on-time",
  按期整改: "on-time",
  已整改: "on-time",
  late: "late",
  逾期整改: "late",
  超期整改: "late",
  "not-rectified": "not-rectified",
  not_rectified: "not-rectified",
  未整改: "not-rectified",
  pending: "pending",
  整改中: "pending",
  待整改: "pending",
};

/**
 * The statuses a rectification cell takes, each with the Chinese words read as it: a clerk who
 * wrote 已完成 is shown the words that are read, not only the English ones.
 */
const RECTIFICATION_WORDS = Object.values(RECTIFICATION)
  .filter((status, i, all) => all.indexOf(status) === i)
  .map((status) => {
    const words = Object.keys(RECTIFICATION).filter(
      (w) => RECTIFICATION[w] === status && !/^[\w-]+$/.test(w),
    );
    return words.length ? `${status} (${words.join(", ")})` : status;
  })
  .join(", ");

/**
 * A key's text (an id, a category, a voter) at most this long, as the GraphQL API takes ids. The
 * keys are indexed, and PostgreSQL refuses an index entry over 2,704 bytes mid-write, naming
 * no line; 100 characters of up to 4 bytes each stay well below it, even for two-text keys.
 */
export const MAX_KEY_LENGTH = 100;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// A time of day after the date (Excel saves a date-and-time cell to CSV as "2024/3/5 14:30") is
// passed over, as an XLSX date-and-time cell's is: the column holds the day.
const DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
/** Excel's serial numbers of 1950-01-01 to 2099-12-31: a date column saved from a cell formatted as a number. */
const SERIAL = /^\d{5}$/;
const serialDay = (serial: number) => new Date((serial - 25569) * 86_400_000).toISOString().slice(0, 10);

/**
 * Why a decimal cell is not a number. Excel saves a cell to CSV as it shows it: a percentage
 * (95.5%, which holds 0.955) or a number with thousands separators (1,234.5) is not read, the
 * first for being either of two numbers, and both are said as what they are.
 */
function notANumber(text: string): string {
  if (/^[+-]?[\d.]+%$/.test(text) && DECIMAL.test(text.slice(0, -1))) {
    const whole = text.slice(0, -1);
    const hundredth = Number((Number(whole) / 100).toPrecision(15));
    return `'${text}' is not a number: a percentage is read as neither ${whole} nor ${hundredth}; write the value to import without %`;
  }
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text))
    return `'${text}' is not a number: write it without thousands separators (${text.replace(/,/g, "")})`;
  return `'${text}' is not a number`;
}

/** A cell refused; `refused` when for its value alone, which every row holding it shares. */
type Refused = { error: string; refused?: RefusedValue };
type Converted = { value: string | null } | Refused;

const isEmpty = (raw: unknown) =>
  raw === undefined || raw === null || (typeof raw === "string" && trimCell(raw) === "");

function convert(col: ImportColumn, raw: unknown, units: UnitIndex): Converted {
  if (raw instanceof CellProblem) return { error: raw.message };
  if (raw !== null && typeof raw === "object")
    return { error: "must be a plain value, not an object or list" };
  const cell = raw === undefined || raw === null ? "" : typeof raw === "string" ? trimCell(raw) : String(raw);
  const text = col.type === "text" || col.type === "unit" ? cell : halfWidth(cell);
  const unstorable = unstorableText(text);
  if (unstorable) return { error: unstorable };
  if (text === "") {
    if (col.required) return { error: "required" };
    return { value: col.emptyValue ?? null };
  }
  switch (col.type) {
    case "text":
      return { value: text };
    case "unit": {
      const r = units.resolve(text);
      return "id" in r ? { value: r.id } : r;
    }
    case "decimal": {
      // JSON.parse has turned 1e400 into Infinity: the digits are gone, only the advice is left.
      if (typeof raw === "number" && !Number.isFinite(raw))
        return { error: 'is too large for a JSON number: write it in quotes ("1e400" is read exactly)' };
      if (typeof raw !== "number" && !DECIMAL.test(text)) return { error: notANumber(text) };
      const tooLong = decimalRangeIssue(text);
      return tooLong ? { error: tooLong } : { value: text };
    }
    case "boolean": {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return { value: "true" };
      if (FALSE.has(t)) return { value: "false" };
      return { error: `'${text}' is not yes/no (true/false, 1/0, 是/否)` };
    }
    case "date": {
      const m = DATE.exec(text);
      if (m) {
        const iso = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
        if (isCalendarDay(iso)) return { value: iso };
      }
      const serial = Number(text);
      if (SERIAL.test(text) && serial >= 18264 && serial <= 73050)
        return {
          error: `'${text}' is not a date (YYYY-MM-DD): it looks like Excel's number for the day ${serialDay(serial)}, saved from a cell formatted as a number; format the column as a date, or write the day`,
        };
      return { error: `'${text}' is not a date (YYYY-MM-DD)` };
    }
    case "rectification": {
      const r = RECTIFICATION[text.toLowerCase()];
      return r ? { value: r } : { error: `'${text}' is not one of ${RECTIFICATION_WORDS}` };
    }
  }
}

interface Source {
  /** Which field of the record feeds the column, as the file names it. */
  key: string;
  priority: number;
}

interface Sources {
  /** Each column's field: its best-ranked name in the file. */
  best: (Source | undefined)[];
  /**
   * Each column the file names by more than one name (分值 and 得分 both for `value`), with all
   * of them, best-ranked first.
   */
  several: Map<number, Source[]>;
}

/**
 * Maps reader records onto a kind's columns, validating every cell. Header matching prefers the
 * English name, then aliases in their listed order. A column the file names twice by different
 * names (分值 "points available" and 得分 "points scored", both `value`) is refused: which of them
 * was meant only the person can say, and reading one would store the other's numbers as scores.
 * A unit column is the exception: a file may give both the unit's id and its name (单位编号 and
 * 单位名称), each read and resolved, and a row where they name different units is refused.
 */
export class RowMapper {
  private readonly lookup = new Map<string, { col: number; priority: number }>();
  private fixedSources: Sources | undefined;
  private fixedRefused: { key: string; message: string }[] | undefined;
  private readonly keyCache = new Map<string, { col: number; priority: number } | null>();
  /** The header row's cells by text, with their position (the first, for a repeated header). */
  private headerAt: Map<string, number> | undefined;
  /** Every column label given out, with its column and field: errors name columns by label. */
  private readonly labelled = new Map<string, { col: number; key: string | undefined }>();
  /** The text columns of the kind's key, by position. */
  private readonly keyText: ReadonlySet<number>;
  /** The file's columns that are no column of the kind, said in the import's result. */
  readonly unread = new UnreadColumns();
  /** Every name a column goes by (its own, its aliases), as headers are compared, with the column. */
  private readonly known = new Map<string, { shown: string; col: number }>();
  private readonly meantCache = new Map<string, { shown: string; col: number } | null>();

  constructor(
    readonly spec: KindSpec,
    private readonly units: UnitIndex,
    private readonly defaults: Readonly<Record<string, string>> = {},
  ) {
    spec.columns.forEach((c, col) => {
      const names = [c.name, ...c.aliases];
      names.forEach((n, priority) => {
        const key = normaliseHeader(n);
        if (!this.lookup.has(key)) this.lookup.set(key, { col, priority });
        if (!this.known.has(key)) this.known.set(key, { shown: n, col });
      });
    });
    this.keyText = new Set(
      spec.columns.flatMap((c, i) => (c.type === "text" && spec.key?.includes(c.name) ? [i] : [])),
    );
  }

  /** The row's fields the kind refuses, when they hold anything but empty or 0. */
  private refusedFields(fields: Record<string, unknown>, at: RecordPlace): ImportRowError[] | undefined {
    if (!this.spec.refused) return undefined;
    let errors: ImportRowError[] | undefined;
    for (const key of this.fixedRefused ?? this.refusedKeys(Object.keys(fields))) {
      const raw = fields[key.key];
      if (raw === undefined || raw === null || String(raw).trim() === "" || Number(raw) === 0) continue;
      errors ??= [];
      errors.push({ ...at, column: key.key, message: key.message });
    }
    return errors;
  }

  private refusedKeys(keys: readonly string[]): { key: string; message: string }[] {
    const out: { key: string; message: string }[] = [];
    for (const r of this.spec.refused ?? [])
      for (const key of keys)
        if (r.names.some((n) => normaliseHeader(n) === normaliseHeader(key)))
          out.push({ key, message: r.message });
    return out;
  }

  private match(key: string) {
    let m = this.keyCache.get(key);
    if (m === undefined) {
      m = this.lookup.get(normaliseHeader(key)) ?? null;
      this.keyCache.set(key, m);
      if (m === null && !this.isRefused(key)) this.unread.add(key);
    }
    return m;
  }

  /** A field the kind refuses (a veto's yearsAgo): checked on its own, so never "not read". */
  private isRefused(key: string): boolean {
    const k = normaliseHeader(key);
    return this.spec.refused?.some((r) => r.names.some((n) => normaliseHeader(n) === k)) ?? false;
  }

  /** The fields among `keys` that are no column of the kind. */
  private unreadOf(keys: readonly string[]): string[] {
    return [...new Set(keys.filter((k) => k.trim() !== "" && !this.match(k) && !this.isRefused(k)))];
  }

  /**
   * What a missing column `col` was given as: the field of `keys` that misspells one of its names
   * (`; the header has 'answr': did you mean 'answer'?`), or else the fields not read.
   */
  private notRead(col: number, keys: readonly string[], where: string): string {
    const names = this.unreadOf(keys);
    const slip = names.find((k) => this.meant(k)?.col === col);
    if (slip !== undefined) return `; ${where} has '${slip}': did you mean '${this.meant(slip)!.shown}'?`;
    return names.length
      ? `; not read: ${quotedColumns(names.slice(0, UnreadColumns.LISTED), names.length)}`
      : "";
  }

  /**
   * The kind's name a field that is none of them most likely misspells, by the engine's own
   * suggestion for a dataset's fields: `rectifcation` for `rectification`, `parnet` for `parent`.
   * Not for fields of one or two characters, where one edit makes another word (序号 "row number"
   * beside 编号 "id", 备用 beside 备注).
   */
  private meant(key: string): { shown: string; col: number } | undefined {
    let m = this.meantCache.get(key);
    if (m === undefined) {
      const norm = normaliseHeader(key);
      const hit = [...norm].length < 3 ? undefined : closestField(norm, [...this.known.keys()]);
      m = hit === undefined ? null : this.known.get(hit)!;
      this.meantCache.set(key, m);
    }
    return m ?? undefined;
  }

  /**
   * The fields among `keys` that misspell a column the fields do not give otherwise, each an error
   * at that field: not read, a slip in an optional column's header would store every row without
   * its value. A missing required column's slip is said with it instead. A column the file also
   * gives by a right name is not misspelt (`unit_name` beside `unit`).
   */
  private misspelt(keys: readonly string[], sources: Sources, at: RecordPlace): ImportRowError[] {
    const errors: ImportRowError[] = [];
    for (const key of this.unreadOf(keys)) {
      const m = this.meant(key);
      if (!m || sources.best[m.col]) continue;
      const col = this.spec.columns[m.col]!;
      if (col.required && this.defaults[col.name] === undefined) continue;
      errors.push({
        ...at,
        column: key,
        message: `not a column of ${this.spec.kind}: did you mean '${m.shown}'? As written it would not be read; rename it, or remove it`,
      });
    }
    return errors;
  }

  private sourcesFor(keys: Iterable<string>): Sources {
    const all: Source[][] = [];
    for (const key of keys) {
      const m = this.match(key);
      if (!m) continue;
      all[m.col] ??= [];
      const names = all[m.col]!;
      // The same name twice is the repeated-header check's to say (the header row's).
      if (!names.some((n) => n.priority === m.priority)) names.push({ key, priority: m.priority });
    }
    const best: (Source | undefined)[] = [];
    const several = new Map<number, Source[]>();
    all.forEach((names, col) => {
      if (!names) return;
      names.sort((a, b) => a.priority - b.priority);
      best[col] = names[0];
      if (names.length > 1) several.set(col, names);
    });
    return { best, several };
  }

  /**
   * Refuses each column but a unit's that the record or header names by several names: the
   * file's names, and the column they would all fill.
   */
  private ambiguous(sources: Sources, at: RecordPlace): ImportRowError[] {
    const errors: ImportRowError[] = [];
    for (const [i, names] of sources.several) {
      const col = this.spec.columns[i]!;
      if (col.type === "unit") continue;
      const quoted = names.map((n) => `"${n.key}"`);
      const list = `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
      errors.push({
        ...at,
        column: this.columnLabel(i, undefined),
        message: `columns ${list} ${names.length === 2 ? "both" : "all"} give ${col.name}: keep the one to import and rename or remove the other${names.length === 2 ? "" : "s"}`,
      });
    }
    return errors;
  }

  /** Fixes the column sources from a header row; returns whole-file errors (missing columns). */
  header(headers: readonly string[], line: number): ImportRowError[] {
    const sources = this.sourcesFor(headers);
    this.fixedSources = sources;
    this.fixedRefused = this.refusedKeys(headers);
    this.headerAt = new Map();
    headers.forEach((h, i) => {
      if (!this.headerAt!.has(h)) this.headerAt!.set(h, i);
    });
    const errors: ImportRowError[] = [];
    // A tab- or semicolon-separated file read as CSV has one column named after the whole
    // header line; "missing column" for every column would hide that.
    const only = headers.length === 1 ? headers[0]! : "";
    const separator = only.includes("\t")
      ? "tabs"
      : only.includes(";")
        ? "semicolons"
        : only.includes("，")
          ? "full-width commas (，)"
          : undefined;
    if (separator && sources.best.every((s) => s === undefined)) {
      return [
        {
          line,
          message: `the header is one column separated by ${separator} ('${only.replace(/\t/g, "\\t")}'): ${separator.startsWith("full") ? "write commas (,) between columns, not ，" : "save the file as CSV, with commas between columns"}`,
        },
      ];
    }
    // A title above the table ("2019年度考核得分", often merged across it, so that its first cell
    // alone holds text) is read as the header. Every column is then missing, which does not say
    // why: the row is said to be a title first, the missing columns still listed after it.
    const texts = new Set(headers.map((h) => h.trim()).filter((h) => h !== ""));
    if (texts.size === 1 && sources.best.every((s) => s === undefined))
      errors.push({
        line,
        message: `this row holds one text ('${[...texts][0]}') where the header should be: if it is a title above the table, delete it (and any other row above the header), so that the header comes first`,
      });
    // One header cell of a column's name is read, the other left unread (and in a CSV row, the
    // later cell's value stands for both): which was meant only the person can say.
    sources.best.forEach((best, i) => {
      for (const source of sources.several.get(i) ?? (best ? [best] : [])) {
        const key = normaliseHeader(source.key);
        const at = headers.flatMap((h, j) => (normaliseHeader(h) === key ? [j + 1] : []));
        if (at.length > 1)
          errors.push({
            line,
            column: this.columnLabel(i, source),
            message: `the header names this column ${at.length === 2 ? "twice" : `${at.length} times`} (columns ${at.slice(0, -1).join(", ")} and ${at.at(-1)}): delete one, or rename it`,
          });
      }
    });
    errors.push(...this.ambiguous(sources, { line }));
    errors.push(...this.misspelt(headers, sources, { line }));
    this.spec.columns.forEach((c, i) => {
      if (c.required && !sources.best[i] && this.defaults[c.name] === undefined) {
        errors.push({
          line,
          column: c.name,
          message: `missing column '${c.name}' (accepted headers: ${[c.name, ...c.aliases].join(", ")})${this.notRead(i, headers, "the header")}`,
        });
      }
    });
    return errors;
  }

  /** A column by its English name, as the file's header names it. */
  label(column: string): string {
    const i = this.spec.columns.findIndex((c) => c.name === column);
    return this.columnLabel(i, this.fixedSources?.best[i]);
  }

  private columnLabel(i: number, source: Source | undefined): string {
    const name = this.spec.columns[i]!.name;
    const label = source && source.key !== name ? `${source.key} (${name})` : name;
    if (!this.labelled.has(label)) this.labelled.set(label, { col: i, key: source?.key });
    return label;
  }

  /**
   * Where an error's column stands, left to right, for listing a row's errors as the person
   * fixing the file reads it: the header's position in the file; a column without one (JSON, a
   * default) after the file's, in the kind's order; no column (the whole row) first.
   */
  columnRank(label: string | undefined): number {
    if (label === undefined) return -1;
    const l = this.labelled.get(label);
    if (l === undefined) return Number.MAX_SAFE_INTEGER;
    const key = l.key ?? this.fixedSources?.best[l.col]?.key;
    const at = key === undefined ? undefined : this.headerAt?.get(key);
    return at ?? (this.headerAt?.size ?? 0) + l.col;
  }

  /** The row's values in column order, or every problem found in it. */
  map(
    fields: Record<string, unknown>,
    at: RecordPlace,
  ): { values: (string | null)[] } | { errors: ImportRowError[] } {
    let sources = this.fixedSources;
    let errors: ImportRowError[] | undefined = this.refusedFields(fields, at);
    if (!sources) {
      // No header row (JSON): each record's keys are its header.
      sources = this.sourcesFor(Object.keys(fields));
      const ambiguous = this.ambiguous(sources, at);
      if (ambiguous.length) errors = [...(errors ?? []), ...ambiguous];
      // Only once the file has shown a key no column reads: most files never do.
      const misspelt = this.unread.count ? this.misspelt(Object.keys(fields), sources, at) : [];
      if (misspelt.length) errors = [...(errors ?? []), ...misspelt];
    }
    const values: (string | null)[] = [];
    const cols = this.spec.columns;
    for (let i = 0; i < cols.length; i++) {
      const col = cols[i]!;
      let src = sources.best[i];
      const several = col.type === "unit" ? sources.several.get(i) : undefined;
      // Of a unit given by id and by name, the best-ranked cell that is filled in.
      if (several) src = several.find((s) => !isEmpty(fields[s.key])) ?? src;
      const raw = src ? fields[src.key] : undefined;
      let r = convert(
        col,
        raw === undefined || raw === "" ? (this.defaults[col.name] ?? raw) : raw,
        this.units,
      );
      if ("value" in r && r.value !== null && r.value.length > MAX_KEY_LENGTH && this.keyText.has(i))
        r = { error: `at most ${MAX_KEY_LENGTH} characters (this one has ${r.value.length})` };
      if ("value" in r && r.value !== null && several) {
        const clash = this.otherUnitCells(i, several, src!, r.value, fields, at);
        if (clash.length) {
          errors = [...(errors ?? []), ...clash];
          continue;
        }
      }
      if ("error" in r) {
        errors ??= [];
        // A JSON record's required field under another key: what it was given as is worth saying.
        const given =
          !src && !this.fixedSources && col.required
            ? this.notRead(i, Object.keys(fields), "the record")
            : "";
        const error = { ...at, column: this.columnLabel(i, src), message: r.error + given };
        errors.push(r.refused ? refusingValue(error, r.refused) : error);
      } else values.push(r.value);
    }
    if (errors) return { errors };
    if (this.spec.check) {
      const named: Record<string, string | null> = {};
      cols.forEach((c, i) => {
        named[c.name] = values[i]!;
      });
      const issue = this.spec.check(named);
      if (issue) {
        const i = cols.findIndex((c) => c.name === issue.column);
        return { errors: [{ ...at, column: this.columnLabel(i, sources.best[i]), message: issue.message }] };
      }
    }
    return { values };
  }

  /**
   * The unit's other cells of the row (its name beside its id) where they do not name the unit
   * `src` gives, `id`: each an error at its own column.
   */
  private otherUnitCells(
    i: number,
    names: readonly Source[],
    src: Source,
    id: string,
    fields: Record<string, unknown>,
    at: RecordPlace,
  ): ImportRowError[] {
    const errors: ImportRowError[] = [];
    const col = this.spec.columns[i]!;
    for (const other of names) {
      if (other === src || isEmpty(fields[other.key])) continue;
      const r = convert(col, fields[other.key], this.units);
      if ("value" in r && r.value === id) continue;
      const column = this.columnLabel(i, other);
      const given = `${this.columnLabel(i, src)} gives ${id}`;
      errors.push({
        ...at,
        column,
        message:
          "error" in r
            ? `${r.error}, while ${given}: correct the one that is wrong, or remove a column to import by the other alone`
            : `'${String(fields[other.key]).trim()}' is unit ${r.value}, while ${given}: correct the one that is wrong, or remove a column to import by the other alone`,
      });
    }
    return errors;
  }
}
