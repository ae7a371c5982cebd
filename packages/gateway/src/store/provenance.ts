/**
 * A stored record as the lists read it, with the import that loaded it: `importId` is absent
 * when the record was entered by hand, or edited by hand since (every write clears it), which is
 * what `removeImport` goes by. The engine's dataset and the audit log's records do not carry it.
 */
export type WithProvenance<T> = T & { importId?: string };

/** A row read with its `import_id` column beside the record's own. */
export interface ProvenanceRow {
  import_id: string | null;
}

/** `read`, keeping the row's import as the record's `importId`. */
export const withProvenance =
  <R, T extends object>(read: (row: R) => T) =>
  (row: R & ProvenanceRow): WithProvenance<T> => {
    const record: WithProvenance<T> = { ...read(row) };
    // Absent rather than null, as every unset field of a stored record is (`compact`).
    if (row.import_id != null) record.importId = row.import_id;
    return record;
  };
