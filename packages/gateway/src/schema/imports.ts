import { builder } from "../builder.js";
import { ImportCutOffError } from "../import/event-loop-turns.js";
import { importId } from "../import/import-id.js";
import { importFile } from "../import/index.js";
import { ImportError, type ImportRecord, ValidationError } from "../store/index.js";
import { WRITE_ERRORS } from "./common.js";
import { importDeclaredValues } from "./declared-values.js";
import { importEngineCheck } from "./engine-check.js";
import { CycleRef } from "./refs.js";
import { check } from "./validate.js";

/**
 * Imports of record files (导入) and their undoing. An import only adds rows, so removing one
 * takes the cycle back to what it was before, less any row corrected by hand since.
 */

const ImportKind = builder.enumType("ImportKind", {
  values: {
    SURVEY_FORMS: { value: "survey-forms" },
    BALLOTS: { value: "ballots" },
    FINDINGS: { value: "findings" },
    SCORES: { value: "scores" },
    VETOES: {
      value: "vetoes",
      description: "Veto events (一票否决): id, unit, type (one of the scheme's vetoTypes) and reason.",
    },
    BONUSES: {
      value: "bonuses",
      description:
        "Bonus events (加分, e.g. commendations): id, unit, type and level (as the scheme's bonusTypes declare), note.",
    },
    UNITS: {
      value: "units",
      description:
        "A cycle's units (id, name, group, parent, kind), parents anywhere in the file; groups are created as the scheme declares them, " +
        "and go again with the import when it is removed and no unit is left in them (unless edited by hand since).",
    },
  } as const,
});
const ImportFormat = builder.enumType("ImportFormat", {
  values: { CSV: { value: "csv" }, XLSX: { value: "xlsx" }, JSON: { value: "json" } } as const,
});

const TextEncoding = builder.enumType("TextEncoding", {
  description: "A CSV or JSON file's text encoding, for a file whose encoding detection would guess wrong.",
  values: {
    UTF_8: { value: "utf-8" },
    GB18030: {
      value: "gb18030",
      description: "Also GBK and GB2312 files (Excel in Chinese Windows), which it contains.",
    },
  } as const,
});

const ImportResultRef = builder
  .objectRef<{
    importId: string;
    status: string;
    rows: number;
    fileHash: string;
    message: string;
    unreadColumns?: readonly string[];
    otherSheets?: readonly string[];
  }>("ImportResult")
  .implement({
    fields: (t) => ({
      importId: t.exposeID("importId"),
      status: t.exposeString("status", {
        description: "imported | already-imported (same import id sent again)",
      }),
      rows: t.exposeInt("rows"),
      fileHash: t.exposeString("fileHash"),
      message: t.exposeString("message", {
        description:
          'What happened, in a sentence: "imported 3 rows", the columns no column of the kind read and the worksheets left out, if any.',
      }),
      unreadColumns: t.stringList({
        description:
          "The file's columns (JSON: keys) that no column of the kind reads, e.g. a unit's name beside its id, in the order first met (at most 20; `message` counts the rest). Empty when every column was read. A header that misspells a column is refused instead.",
        resolve: (r) => [...(r.unreadColumns ?? [])],
      }),
      otherSheets: t.stringList({
        description:
          "XLSX: the other visible worksheets that have rows, in the workbook's order. Only the first worksheet is imported: a workbook of one sheet per district imports one district, and these are the sheets to import next (each as a file of its own). Empty for CSV and JSON, for a workbook whose other sheets are hidden or empty, and for an import id sent again.",
        resolve: (r) => [...(r.otherSheets ?? [])],
      }),
    }),
  });

const ImportRecordRef = builder.objectRef<ImportRecord>("ImportRecord").implement({
  description: "A file imported into a cycle: what it loaded, by whom and when.",
  fields: (t) => ({
    id: t.exposeID("id"),
    cycleId: t.exposeID("cycleId"),
    kind: t.field({ type: ImportKind, resolve: (r) => r.kind }),
    format: t.field({ type: ImportFormat, resolve: (r) => r.format }),
    rows: t.exposeInt("rowCount", { description: "Rows the import added." }),
    recordsHeld: t.int({
      description:
        "The records of its kind that still carry this import's id (their `importId`): what `removeImport` would delete now, and answer as `removedRows`. " +
        "Records edited by hand since no longer count (they stay when it is removed), nor do those deleted since; a units import's groups are not counted (see `Group.importId`). " +
        "A units import's removal may still be refused, while records or sub-units added by hand refer to its units (see `removeImport`). " +
        "Counted only when asked for, for the cycle's imports together: a pass over the cycle's records of each kind asked for (import ids have no index), " +
        "survey forms read a hundred units at a time, other requests answered between reads (2,000,000 forms: over a second in all).",
      resolve: (r, _a, ctx) => ctx.loaders.held.load(r),
    }),
    fileHash: t.exposeString("fileHash", { description: "SHA-256 of the file's bytes, hex." }),
    actor: t.exposeString("actor"),
    createdAt: t.field({ type: "DateTime", resolve: (r) => r.createdAt }),
  }),
});

builder.objectField(CycleRef, "imports", (t) =>
  t.field({
    type: [ImportRecordRef],
    description: "The files imported into this cycle, newest first.",
    authScopes: { admin: true },
    resolve: (c, _a, ctx) => ctx.store.imports.list(c.id),
  }),
);

const RemovedImportRef = builder
  .objectRef<{ importId: string; cycleId: string; removedRows: number }>("RemovedImport")
  .implement({
    fields: (t) => ({
      importId: t.exposeID("importId"),
      cycleId: t.exposeID("cycleId"),
      removedRows: t.exposeInt("removedRows", {
        description: "Rows removed: those the import added, less any corrected by hand since.",
      }),
    }),
  });

builder.mutationFields((t) => ({
  importFile: t.field({
    type: ImportResultRef,
    description:
      "Imports units, ballots, survey forms, findings, scores, veto or bonus events from a CSV/XLSX/JSON file (GraphQL multipart upload). " +
      "All or nothing; sending the same importId again adds nothing. An import id names one import across all cycles. " +
      "Survey forms that are an earlier import's forms again (the same file saved differently) are refused: see otherFormsThan.",
    authScopes: { admin: true },
    errors: { types: [ImportError, ...WRITE_ERRORS] },
    args: {
      cycleId: t.arg.id({ required: true }),
      importId: t.arg.id({ required: true }),
      kind: t.arg({ type: ImportKind, required: true }),
      format: t.arg({ type: ImportFormat, required: true }),
      file: t.arg({ type: "File", required: true }),
      otherFormsThan: t.arg.idList({
        description:
          "Survey forms only: earlier survey-forms imports of the cycle these forms are other forms than, although they tally as those do. " +
          "A file whose forms tally exactly as an earlier import's, or hold all of them and more, is refused (ConflictError naming that import) as the same forms again, saved differently; " +
          "name that import here to import them all the same. Each must be a survey-forms import of the cycle.",
      }),
      encoding: t.arg({
        type: TextEncoding,
        description:
          "Read a CSV or JSON file in this encoding instead of detecting it (detection, and its refusal of files that mix encodings, is then off). Not for XLSX.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      if (args.encoding && args.format === "xlsx")
        throw new ValidationError([
          { path: "encoding", message: "is for CSV and JSON files: an XLSX workbook says its own encoding" },
        ]);
      // Stored as checked: " batch-1 " is import "batch-1", which removeImport can then find.
      const id = check(importId, String(args.importId), "importId");
      const checks = await importEngineCheck(ctx, cycleId);
      const result = await importFile(ctx.store, {
        cycleId,
        kind: args.kind,
        format: args.format,
        importId: id,
        stream: args.file.stream() as unknown as AsyncIterable<Uint8Array>,
        actor: ctx.actor,
        signal: ctx.signal,
        ...(args.encoding ? { encoding: args.encoding } : {}),
        ...(args.otherFormsThan ? { otherFormsThan: args.otherFormsThan.map(String) } : {}),
        // The importer checks rows against the store; the engine checks them against the scheme.
        ...checks,
        declaredValues: importDeclaredValues(cycleId),
      }).catch((err: unknown) => {
        // Nobody is left to read the answer (and no request line is logged): the log says it.
        if (err instanceof ImportCutOffError)
          ctx.logger.warn("import cut off: its request closed before it finished; nothing was written", {
            cycleId,
            importId: id,
            kind: args.kind,
          });
        throw err;
      });
      if (result.status === "imported") await ctx.notify({ cycleId, reason: "import", records: args.kind });
      return result;
    },
  }),
  removeImport: t.field({
    type: RemovedImportRef,
    description:
      "Takes an import out of its (open) cycle: every row it added goes, except rows corrected by hand since " +
      "(setScore, recordFinding, setRectification, recordBallot, setVoterRole on the ballots whose role it changes, recordVetoEvent, recordBonusEvent, upsertUnit), which stay as corrected. Audited; the import id may then be used again. " +
      "Beforehand, the import's `recordsHeld` says how many rows would go, and each record's `importId` (null: stays) which. " +
      "A units import is refused (ValidationError, naming the units) while records or sub-units added by hand refer to its units; nothing is removed then. " +
      "Groups a units import created go with it once no unit is left in them, unless upsertGroup changed them since.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { importId: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const id = check(importId, String(args.importId), "importId");
      const { cycleId, kind } = await ctx.store.imports.get(id);
      const removedRows = await ctx.store.imports.remove(ctx.actor, id);
      await ctx.notify({ cycleId, reason: "import", records: kind });
      return { importId: id, cycleId, removedRows };
    },
  }),
}));
