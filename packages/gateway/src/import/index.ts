/**
 * Bulk imports of units, ballots, survey forms, inspection findings, direct scores and veto and
 * bonus events from CSV
 * (UTF-8 or GB18030), XLSX and JSON/NDJSON. Files are streamed (2,000,000 forms never sit in
 * memory), written in batches inside ONE transaction, and idempotent by import id.
 */
import { createHash } from "node:crypto";
import { rowsText } from "../rows-text.js";
import type { Db } from "../store/db.js";
import { ConflictError, ImportError, type ImportRowError, ValidationError } from "../store/errors.js";
import { findImport } from "../store/imports.js";
import { Store } from "../store/index.js";
import { lockOpenCycle, requireActor, writeAudit } from "../store/internal.js";
import { IMPORT_FORMATS, type ImportFormat, type ImportKind, type ImportRecord } from "../store/types.js";
import { ballotsSpec } from "./ballots.js";
import { bonusesSpec } from "./bonuses.js";
import { existingKeysSql, insertSql, type KindSpec, type MappedRow } from "./columns.js";
import { AutoDecoder, decodeStream, EncodingError, type TextEncodingName } from "./encoding.js";
import { ErrorList } from "./error-list.js";
import { EventLoopTurns, ImportCutOffError } from "./event-loop-turns.js";
import { findingsSpec } from "./findings.js";
import { MAX_IMPORT_ID_LENGTH } from "./import-id.js";
import { ImportIdTakenError } from "./import-id-taken.js";
import { RowMapper, UnitIndex } from "./mapping.js";
import { otherKindText } from "./other-kind.js";
import {
  FileFormatError,
  type OtherSheets,
  type ReaderEvent,
  readCsv,
  readJson,
  readXlsx,
} from "./readers.js";
import { placeOf, placeText, type RecordPlace } from "./record-place.js";
import { type DeclaredValuesCheck, refusingValue } from "./refused-value.js";
import { sameFormsRefusal } from "./same-forms.js";
import { scoresSpec } from "./scores.js";
import { surveyFormsSpec } from "./survey-forms.js";
import { unitsSpec } from "./units.js";
import { quotedColumns, type UnreadColumns } from "./unread-columns.js";
import { vetoesSpec } from "./vetoes.js";

export type { ImportColumn, KindSpec } from "./columns.js";
export { MAX_LISTED_ERRORS } from "./error-list.js";
export { ballotsSpec, bonusesSpec, findingsSpec, scoresSpec, surveyFormsSpec, unitsSpec, vetoesSpec };

/** In the order a year is loaded (units first), as the command line's help lists them. */
export const KIND_SPECS: Readonly<Record<ImportKind, KindSpec>> = {
  units: unitsSpec,
  "survey-forms": surveyFormsSpec,
  ballots: ballotsSpec,
  findings: findingsSpec,
  scores: scoresSpec,
  vetoes: vetoesSpec,
  bonuses: bonusesSpec,
};

/**
 * The list of the engine's dataset each kind's rows are read into, for the kinds whose refused
 * files are also checked against the scheme row by row (`recordIssues`). Not survey forms: the
 * engine reads them as tallies, which name no line, and there may be millions of them. Not units:
 * the file is checked as a whole, against the scheme's groups too, before anything is written.
 */
const ENGINE_RECORDS: Partial<Record<ImportKind, string>> = {
  ballots: "ballots",
  findings: "findings",
  scores: "scores",
  vetoes: "vetoEvents",
  bonuses: "bonusEvents",
};

/** Imports an `otherFormsThan` names at most: a cycle's batches of forms, with room to spare. */
const MAX_OTHER_FORMS_THAN = 100;

/** Imports at least this large refresh the table's planner statistics. */
const ANALYZE_AFTER_ROWS = 10_000;

export interface ImportOptions {
  cycleId: string;
  kind: ImportKind;
  format: ImportFormat;
  /** The client's id for this upload: sending the same id again adds nothing. */
  importId: string;
  /** The file's bytes (a Node Readable, a web ReadableStream, or any async iterable of chunks). */
  stream: AsyncIterable<Uint8Array | string>;
  actor: string;
  /** Values for columns the file does not have, e.g. { category: "public" } for a survey export without one. */
  defaults?: Readonly<Record<string, string>>;
  /**
   * Survey forms only: earlier survey-forms imports of the cycle whose forms these are said to
   * be other forms than, although they tally as those do (see `sameFormsRefusal`).
   */
  otherFormsThan?: readonly string[];
  /** Skip CSV/JSON encoding detection. */
  encoding?: TextEncodingName;
  /** Rows per INSERT (default 5,000). */
  batchSize?: number;
  /** Aborted: the import stops at its next turn and rolls back (ImportCutOffError). */
  signal?: AbortSignal | undefined;
  /** Called after each batch is written (inside the transaction), with the rows written so far. */
  onProgress?: (rowsWritten: number) => void;
  /**
   * Runs inside the import's transaction after all rows are written, with a Store bound to it
   * (e.g. to check the loaded dataset with the engine). Throwing rolls the whole import back,
   * so invalid data is never visible to anyone.
   */
  beforeCommit?: (store: Store) => Promise<void>;
  /**
   * For a file refused for other bad rows, the scheme's objections to the rows that passed
   * (ballots, findings, scores, vetoes, bonuses), so they are listed with the others at their line
   * and column rather than said only once the rest is fixed. Called, with those rows written
   * inside the import's transaction (which is then rolled back), with a Store bound to it; the
   * issues about records of the file are kept, the rest left to `beforeCommit`.
   */
  recordIssues?: (store: Store) => Promise<readonly RecordIssue[]>;
  /**
   * The values the cycle's scheme declares for the kind's columns (a survey form's category,
   * respondent group and answer), asked once inside the import's transaction, after the cycle is
   * locked. A row of another value is refused at its line; the rows of one value are said
   * together, with their count and first lines, as an unknown unit's are.
   */
  declaredValues?: (store: Store, kind: ImportKind) => Promise<DeclaredValuesCheck | undefined>;
}

/** The scheme's objection to one of the cycle's records, as the engine's check words it. */
export interface RecordIssue {
  /** The engine dataset's list the record is in ("vetoEvents"); "" for a problem of no one record. */
  collection: string;
  /** The record as the engine reads it: its key fields ("id"; "unit", "category") find the file's row. */
  record: Readonly<Record<string, unknown>>;
  /** The record's field objected to ("type"), when the engine names one. */
  field?: string;
  message: string;
}

export interface ImportResult {
  importId: string;
  cycleId: string;
  kind: ImportKind;
  format: ImportFormat;
  status: "imported" | "already-imported";
  /** Rows this import added (for "already-imported": the rows the earlier import added). */
  rows: number;
  /** SHA-256 of the file, hex. */
  fileHash: string;
  /** CSV/JSON only: the detected (or given) text encoding. */
  encoding?: TextEncodingName;
  /**
   * The file's columns (JSON: keys) that are no column of the kind and were not read, in the
   * order first met (the first 20; the message counts the rest). Absent when every one was read.
   */
  unreadColumns?: readonly string[];
  /**
   * XLSX: the other visible worksheets that have rows, which were not imported (only the first
   * is), in the zip's order. Absent when there are none.
   */
  otherSheets?: readonly string[];
  message: string;
}

/** Reads the source once, hashing every byte on the way through. */
class HashingSource {
  private readonly it: AsyncIterator<Uint8Array | string>;
  private readonly hash = createHash("sha256");
  private finished = false;
  bytes = 0;
  constructor(source: AsyncIterable<Uint8Array | string>) {
    this.it = source[Symbol.asyncIterator]();
  }
  private take(v: Uint8Array | string): Uint8Array {
    const b = typeof v === "string" ? Buffer.from(v, "utf8") : v;
    this.hash.update(b);
    this.bytes += b.length;
    return b;
  }
  // Pulls with next() rather than for-await so a consumer stopping early (the XLSX reader
  // after the last entry) does not close the source before drain() has hashed the rest.
  async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const r = await this.it.next();
      if (r.done) {
        this.finished = true;
        return;
      }
      yield this.take(r.value);
    }
  }
  async drain(): Promise<void> {
    while (!this.finished) {
      const r = await this.it.next();
      if (r.done) this.finished = true;
      else this.take(r.value);
    }
  }
  digest(): string {
    return this.hash.digest("hex");
  }
}

function events(
  format: ImportFormat,
  source: HashingSource,
  decoder: AutoDecoder,
  onOtherSheets: (other: OtherSheets) => void,
): AsyncGenerator<ReaderEvent> {
  switch (format) {
    case "csv":
      return readCsv(decodeStream(source.chunks(), decoder));
    case "json":
      return readJson(decodeStream(source.chunks(), decoder));
    case "xlsx":
      return readXlsx(source.chunks(), onOtherSheets);
  }
}

function checkOptions(o: ImportOptions): KindSpec {
  requireActor(o.actor);
  const issues = [];
  if (typeof o.importId !== "string" || o.importId.trim() === "")
    issues.push({ path: "importId", message: "required" });
  else if (o.importId.trim().length > MAX_IMPORT_ID_LENGTH)
    issues.push({
      path: "importId",
      message: `at most ${MAX_IMPORT_ID_LENGTH} characters (this one has ${o.importId.trim().length})`,
    });
  if (typeof o.cycleId !== "string" || o.cycleId === "")
    issues.push({ path: "cycleId", message: "required" });
  if (!Object.hasOwn(KIND_SPECS, o.kind))
    issues.push({ path: "kind", message: `must be one of ${Object.keys(KIND_SPECS).join(", ")}` });
  if (!IMPORT_FORMATS.includes(o.format))
    issues.push({ path: "format", message: `must be one of ${IMPORT_FORMATS.join(", ")}` });
  // A default for a column the kind does not have filled nothing, and the column it was meant for
  // was then refused as missing from the file, which has nothing to do with it.
  const spec = Object.hasOwn(KIND_SPECS, o.kind) ? KIND_SPECS[o.kind] : undefined;
  for (const name of Object.keys(o.defaults ?? {}))
    if (spec && !spec.columns.some((c) => c.name === name))
      issues.push({
        path: `defaults.${name}`,
        message: `not a column of ${o.kind} (its columns: ${spec.columns.map((c) => c.name).join(", ")})`,
      });
  if (o.otherFormsThan?.length && o.kind !== "survey-forms")
    issues.push({
      path: "otherFormsThan",
      message: `is for survey forms, which have no key: ${o.kind} have one, and a record imported twice is refused by it`,
    });
  else if ((o.otherFormsThan?.length ?? 0) > MAX_OTHER_FORMS_THAN)
    issues.push({
      path: "otherFormsThan",
      message: `at most ${MAX_OTHER_FORMS_THAN} imports (this list has ${o.otherFormsThan!.length})`,
    });
  o.otherFormsThan?.forEach((id, i) => {
    if (String(id).trim().length > MAX_IMPORT_ID_LENGTH)
      issues.push({
        path: `otherFormsThan[${i}]`,
        message: `at most ${MAX_IMPORT_ID_LENGTH} characters, as an import id`,
      });
  });
  if (o.batchSize !== undefined && !(Number.isInteger(o.batchSize) && o.batchSize > 0)) {
    issues.push({ path: "batchSize", message: "must be a positive integer" });
  }
  if (issues.length) throw new ValidationError(issues);
  return KIND_SPECS[o.kind];
}

/**
 * Imports one file into a cycle, all or nothing. Throws ImportError listing bad rows (line,
 * column, reason) when any row is bad, in which case nothing is written; CycleFinalisedError
 * for a finalised cycle; ConflictError when the import id was already used for another file.
 */
export async function importFile(store: Store, options: ImportOptions): Promise<ImportResult> {
  const spec = checkOptions(options);
  const { cycleId, kind, format, actor } = options;
  // As the API and the command line take it: " id" and "id" are one import, and a retry that
  // differs by a space is recognised.
  const importId = options.importId.trim();
  const batchSize = options.batchSize ?? 5000;
  const source = new HashingSource(options.stream);
  const decoder = new AutoDecoder(options.encoding);
  // Other requests, timers and signals are served while a large file is read and written.
  const turns = new EventLoopTurns(50, options.signal);

  type Outcome =
    | { earlier: ImportRecord }
    | {
        rows: number;
        fileHash: string;
        unread: UnreadColumns;
        otherSheets: OtherSheets | undefined;
      };
  const outcome = await store.db.transaction(async (tx): Promise<Outcome> => {
    const earlier = await findImport(tx, importId);
    if (earlier) return { earlier };
    await lockOpenCycle(tx, cycleId);
    // On a server, a concurrent import with the same id waits here until the other commits.
    const claimed = await tx.query(
      `INSERT INTO imports (id, cycle_id, kind, format, actor) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [importId, cycleId, kind, format, actor],
    );
    if (!claimed[0]) return { earlier: (await findImport(tx, importId))! };

    const units = new UnitIndex(
      await tx.query<{ id: string; name: string }>("SELECT id, name FROM units WHERE cycle_id = $1", [
        cycleId,
      ]),
    );
    const otherFormsThan = await otherFormsThanChecked(tx, cycleId, options.otherFormsThan);
    const mapper = new RowMapper(spec, units, options.defaults);
    const undeclared = await options.declaredValues?.(new Store(tx), kind);
    const errors = new ErrorList((column) => mapper.columnRank(column));
    const insert = insertSql(spec);
    const existing = existingKeysSql(spec);
    const keyIdx = spec.key?.map((k) => spec.columns.findIndex((c) => c.name === k));
    // Each key's first record, for a duplicate to name and the scheme's objections to find.
    const seen = keyIdx ? new Map<string, RecordPlace>() : undefined;
    const width = spec.columns.length;
    // Rows that passed but were not written because an earlier row was bad, column by column:
    // what the scheme says of them is found by writing them at the end, for a moment.
    const collection = ENGINE_RECORDS[kind];
    const unwritten: (string | null)[][] | undefined =
      collection && options.recordIssues && seen ? Array.from({ length: width }, () => []) : undefined;

    /**
     * Lists the scheme's objections to the file's rows that passed beside its other bad rows, by
     * the engine's own check of the cycle with them written. Only for a file refused already, so
     * the transaction is rolled back whatever is found.
     */
    const schemeRefusals = async (rest: (string | null)[][]) => {
      let issues: readonly RecordIssue[];
      try {
        issues = await tx.transaction(async (sp) => {
          for (let from = 0; from < rest[0]!.length; from += batchSize) {
            await turns.maybe();
            const part = rest.map((c) => c.slice(from, from + batchSize));
            await sp.query(insert, [cycleId, importId, ...part]);
          }
          return options.recordIssues!(new Store(sp));
        });
      } catch {
        // The rows refused already stand on their own; whatever stopped this check (a row the
        // database refuses) is met again, and said, when the file is sent with them fixed.
        return;
      }
      for (const e of placedIssues(issues)) errors.add(e);
    };

    /** The scheme's objections to rows of this file, each at the row's line and column. */
    const placedIssues = (issues: readonly RecordIssue[]): ImportRowError[] =>
      issues.flatMap((issue) => {
        if (issue.collection !== collection) return [];
        // Rows of the file only: a stored record sharing a row's key was there before the file,
        // and so is every objection to it, which the engine's check does not count as new.
        const place = seen!.get(spec.key!.map((k) => String(issue.record[k] ?? "")).join("\u0000"));
        if (place === undefined) return [];
        const field = issue.field;
        const column = spec.columns.some((c) => c.name === field) ? mapper.label(field!) : undefined;
        return [{ ...place, ...(column ? { column } : {}), message: issue.message }];
      });

    /**
     * The scheme's refusal of a file with no other bad row, at the rows' lines like the rest
     * rather than at indexes into the whole cycle's records, which no one fixing the file can
     * find. Only when every objection is to a row of the file; else the refusal as it was.
     */
    const commitChecked = async (beforeCommit: (store: Store) => Promise<void>) => {
      try {
        await beforeCommit(new Store(tx));
      } catch (err) {
        if (!(err instanceof ValidationError) || !unwritten) throw err;
        const issues = await options.recordIssues!(new Store(tx));
        const placed = placedIssues(issues);
        if (placed.length === 0 || placed.length !== issues.length) throw err;
        const list = new ErrorList((column) => mapper.columnRank(column));
        for (const e of placed) list.add(e);
        throw list.error();
      }
    };

    /** Refuses a file already imported into the cycle as another import of the same kind. */
    const refuseTwin = async (fileHash: string) => {
      const [twin] = await tx.query<{ id: string; row_count: number; created_at: Date }>(
        "SELECT id, row_count, created_at FROM imports WHERE cycle_id = $1 AND kind = $2 AND file_hash = $3 AND id <> $4 LIMIT 1",
        [cycleId, kind, fileHash, importId],
      );
      if (twin)
        throw new ConflictError(
          `this file was already imported into cycle '${cycleId}' as import '${twin.id}' (${rowsText(twin.row_count)} on ${twin.created_at.toISOString()}); importing it again would count its rows twice, so nothing was added. To replace it, remove import '${twin.id}' first`,
        );
    };

    let batch: (string | null)[][] = Array.from({ length: width }, () => []);
    let batchPlaces: RecordPlace[] = [];
    let written = 0;
    let rows = 0;
    let inflight: Promise<void> | undefined;

    const flush = async () => {
      if (batchPlaces.length === 0) return;
      const clashed = new Set<number>();
      // A kind checked as a whole file has checked its keys against the cycle already.
      if (existing && keyIdx && !spec.prepare) {
        // Keys are rejected rather than overwritten: an import only ever adds rows.
        const found = await tx.query<{ n: number }>(existing, [cycleId, ...keyIdx.map((i) => batch[i])]);
        for (const { n } of found) {
          const r = n - 1;
          clashed.add(r);
          errors.add({
            ...batchPlaces[r]!,
            // A key of one column is that column's fault, as a duplicate within the file is.
            ...(spec.key!.length === 1 ? { column: mapper.label(spec.key![0]!) } : {}),
            message: `already in the cycle: ${spec.key!.map((k, j) => `${k}=${batch[keyIdx[j]!]![r]}`).join(", ")}`,
          });
        }
      }
      if (errors.total === 0) {
        // One batch in flight: on a server the next batch is parsed while this one is written.
        const args = [cycleId, importId, ...batch];
        const n = batchPlaces.length;
        if (inflight) await inflight;
        inflight = tx.query(insert, args).then(() => {
          written += n;
          options.onProgress?.(written);
        });
        inflight.catch(() => undefined); // awaited before the next batch or at the end
      } else if (unwritten) {
        for (let r = 0; r < batchPlaces.length; r++) {
          if (clashed.has(r)) continue;
          for (let i = 0; i < width; i++) unwritten[i]!.push(batch[i]![r]!);
        }
      }
      batch = Array.from({ length: width }, () => []);
      batchPlaces = [];
    };

    // Kinds checked as a whole file (units) are held until it ends, then written in their order.
    const held: MappedRow[] | undefined = spec.prepare ? [] : undefined;
    const push = async (values: readonly (string | null)[], place: RecordPlace) => {
      rows++;
      for (let i = 0; i < width; i++) batch[i]!.push(values[i]!);
      batchPlaces.push(place);
      if (batchPlaces.length >= batchSize) await flush();
    };

    // An XLSX's zip inflates its entries in the background, and a damaged one can report its
    // damage after a sheet's first rows have come: a header refused then (read from damaged
    // parts) is held while the file is read on, so that the damage, if any, is what is said.
    let refusedHeader: ImportError | undefined;
    // Where a file without rows is refused: its header, or line 1 of a file without one (JSON,
    // an empty file). Every refusal names a line a person can go to, and the API's line is an Int.
    let headerLine = 1;
    let otherSheets: OtherSheets | undefined;
    // Whether the file's columns were compared with the other kinds' (at its header or first record).
    let kindAsked = false;
    try {
      const said = (other: OtherSheets) => {
        otherSheets = other;
      };
      for await (const ev of events(format, source, decoder, said)) {
        if (turns.due()) await turns.give();
        if (refusedHeader) continue;
        if (ev.type === "header") {
          headerLine = ev.line;
          kindAsked = true;
          const headerErrors = mapper.header(ev.headers, ev.line);
          if (headerErrors.length === 0) continue;
          // A file of another kind is said as such, not column by column as this kind misses them.
          const other = otherKindText(ev.headers, spec, Object.values(KIND_SPECS), options.defaults);
          refusedHeader = new ImportError(other ? [{ line: ev.line, message: other }] : headerErrors);
          if (format !== "xlsx") throw refusedHeader;
          continue;
        }
        // The event's place alone: a JSON array's record number beside its line.
        const place = placeOf(ev);
        if (ev.type === "error") {
          errors.add({ ...place, message: ev.message });
          continue;
        }
        if (!kindAsked) {
          // JSON has no header: its first record's keys stand for one.
          kindAsked = true;
          const other = otherKindText(
            Object.keys(ev.fields),
            spec,
            Object.values(KIND_SPECS),
            options.defaults,
          );
          if (other) throw new ImportError([{ ...place, message: other }]);
        }
        const m = mapper.map(ev.fields, place);
        if ("errors" in m) {
          for (const e of m.errors) errors.add(e);
          continue;
        }
        if (seen && keyIdx) {
          const key = keyIdx.map((i) => m.values[i]).join("\u0000");
          const first = seen.get(key);
          if (first !== undefined) {
            errors.add({
              ...place,
              ...(spec.key!.length === 1 ? { column: mapper.label(spec.key![0]!) } : {}),
              message: `duplicate of ${placeText(first)} (${spec.key!.join(", ")})`,
            });
            continue;
          }
          seen.set(key, place);
        }
        if (undeclared) {
          const refused = undeclared(namedValues(spec, m.values));
          if (refused?.length) {
            for (const r of refused) {
              const message = `${r.subject}: ${r.reason}`;
              errors.add(refusingValue({ ...place, column: mapper.label(r.column), message }, r));
            }
            continue;
          }
        }
        if (held) held.push({ values: m.values, ...place });
        else await push(m.values, place);
      }
      if (refusedHeader) throw refusedHeader;
      if (held && spec.prepare && held.length) {
        const label = (column: string) => mapper.label(column);
        const prepared = await spec.prepare({ tx, cycleId, importId, actor, label }, held);
        if ("errors" in prepared) for (const e of prepared.errors) errors.add(e);
        else if (errors.total === 0)
          for (const r of prepared.order) {
            if (turns.due()) await turns.give();
            await push(r.values, placeOf(r));
          }
      }
      await flush();
      await inflight;
      await source.drain();
    } catch (err) {
      // A batch that failed in flight aborted the transaction, so the statement after it failed
      // with "current transaction is aborted": the batch's own error is the one to report.
      let batchFailed = false;
      let batchError: unknown;
      await inflight?.catch((e: unknown) => {
        batchFailed = true;
        batchError = e;
      });
      if (batchFailed) throw batchError;
      if (err instanceof FileFormatError) throw new ImportError([{ line: err.line, message: err.message }]);
      if (err instanceof EncodingError) throw new ImportError([{ line: err.line, message: err.message }]);
      throw err;
    }
    if (errors.total > 0) {
      // The same file sent again under a new import id (a second upload, a second clerk) clashes
      // on every key: that it is already imported, and as which import, is the one thing to say.
      if (spec.key) await refuseTwin(source.digest());
      if (unwritten && rows > 0) await schemeRefusals(unwritten);
      throw errors.error();
    }
    if (rows === 0) throw new ImportError([{ line: headerLine, message: "the file has no data rows" }]);

    // Fresh statistics, or the planner may still think the cycle has no forms and sort
    // millions of rows for the tallies instead of hashing them (seen: 10 s vs 0.3 s for 2M).
    // PGlite has no autovacuum to do it later; ANALYZE inside the transaction counts our rows.
    await turns.maybe();
    if (rows >= ANALYZE_AFTER_ROWS) await tx.query(`ANALYZE ${spec.table}`);
    await turns.maybe();
    const fileHash = source.digest();
    // Survey forms carry no id, so the same file under a second import id would count every form
    // twice without a single key clashing; and so would the same forms in a file saved again.
    await refuseTwin(fileHash);
    if (kind === "survey-forms") {
      await turns.maybe();
      const same = await sameFormsRefusal(tx, { cycleId, importId, rows, otherFormsThan }, () =>
        turns.maybe(),
      );
      if (same) throw same;
    }
    await tx.query("UPDATE imports SET row_count = $2, file_hash = $3 WHERE id = $1", [
      importId,
      rows,
      fileHash,
    ]);
    await turns.maybe();
    if (options.beforeCommit) await commitChecked(options.beforeCommit);
    await turns.maybe();
    // The last moment to give up: past here the import is committed for a client that has gone.
    if (options.signal?.aborted) throw new ImportCutOffError();
    await writeAudit(tx, {
      actor,
      action: "import",
      entity: "import",
      entityId: importId,
      cycleId,
      // Said other forms than an import they tally as: the audit keeps who said so.
      after: {
        kind,
        format,
        rows,
        fileHash,
        bytes: source.bytes,
        ...(otherFormsThan.length ? { otherFormsThan } : {}),
      },
    });
    return { rows, fileHash, unread: mapper.unread, otherSheets };
  });

  if ("earlier" in outcome) {
    const e = outcome.earlier;
    // Same id, same file: a retry. Same id, different file or target: a client bug worth reporting.
    await source.drain();
    const hash = source.digest();
    if (e.cycleId !== cycleId || e.kind !== kind || e.fileHash !== hash)
      throw new ImportIdTakenError(importId, e, { cycleId, kind });
    return {
      importId,
      cycleId,
      kind,
      format,
      status: "already-imported",
      rows: e.rowCount,
      fileHash: hash,
      message: `already imported (${rowsText(e.rowCount)} on ${e.createdAt.toISOString()}); nothing added`,
    };
  }
  return {
    importId,
    cycleId,
    kind,
    format,
    status: "imported",
    rows: outcome.rows,
    fileHash: outcome.fileHash,
    ...(format !== "xlsx" ? { encoding: decoder.encoding ?? "utf-8" } : {}),
    ...(outcome.unread.count ? { unreadColumns: outcome.unread.listed } : {}),
    ...(outcome.otherSheets ? { otherSheets: outcome.otherSheets.sheets } : {}),
    message: `imported ${rowsText(outcome.rows)}${unreadText(kind, outcome.unread)}${otherSheetsText(outcome.otherSheets)}`,
  };
}

/**
 * The imports `otherFormsThan` names, trimmed as import ids are, each a survey-forms import of the
 * cycle: an id that is none (mistyped, or since removed) would vouch for nothing.
 */
async function otherFormsThanChecked(
  tx: Db,
  cycleId: string,
  given: readonly string[] | undefined,
): Promise<string[]> {
  const ids = [...new Set((given ?? []).map((id) => String(id).trim()))];
  if (ids.length === 0) return [];
  const found = await tx.query<{ id: string }>(
    "SELECT id FROM imports WHERE cycle_id = $1 AND kind = 'survey-forms' AND id = ANY($2::text[])",
    [cycleId, ids],
  );
  const known = new Set(found.map((r) => r.id));
  const issues = (given ?? []).flatMap((id, i) =>
    known.has(String(id).trim())
      ? []
      : [
          {
            path: `otherFormsThan[${i}]`,
            message: `'${String(id).trim()}' is no survey-forms import of cycle '${cycleId}'`,
          },
        ],
  );
  if (issues.length) throw new ValidationError(issues);
  return ids;
}

/** A row's values by the kind's column names. */
function namedValues(spec: KindSpec, values: readonly (string | null)[]): Record<string, string | null> {
  const named: Record<string, string | null> = {};
  spec.columns.forEach((c, i) => {
    named[c.name] = values[i] ?? null;
  });
  return named;
}

/** The sheets left out, said after what was read: a workbook of one sheet per district imports one. */
function otherSheetsText(other: OtherSheets | undefined): string {
  if (!other) return "";
  const listed = other.sheets.slice(0, 20).map((n) => `'${n}'`);
  if (other.sheets.length > 20) listed.push(`${other.sheets.length - 20} more`);
  const list = listed.length < 2 ? listed[0] : `${listed.slice(0, -1).join(", ")} and ${listed.at(-1)}`;
  return `; only the first worksheet${other.read ? `, '${other.read}',` : ""} was read: ${other.sheets.length === 1 ? "the sheet" : "the sheets"} ${list} ${other.sheets.length === 1 ? "has rows that were" : "have rows that were"} not imported`;
}

/** What was not read, said after what was: "; columns not read (not findings columns): 'name'". */
function unreadText(kind: ImportKind, unread: UnreadColumns): string {
  if (!unread.count) return "";
  return `; ${unread.count === 1 ? "column" : "columns"} not read (not ${kind} columns): ${quotedColumns(unread.listed, unread.count)}`;
}
