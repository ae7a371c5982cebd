import { rowsText } from "../rows-text.js";
import { ConflictError } from "../store/errors.js";
import type { ImportRecord } from "../store/types.js";

/**
 * An import id sent again with another file, or for another cycle or kind. Import ids name one
 * import across every cycle, so last year's `scores-2018` (or the command line's default id of a
 * file of the same name and size) is taken: said with the cycle that holds it and the way out,
 * in the words of the API or of the command line (`commandLine`), which name the id differently.
 */
export class ImportIdTakenError extends ConflictError {
  /** The same refusal, its way out given as `pingyi import` takes it. */
  readonly commandLine: string;

  constructor(importId: string, earlier: ImportRecord, sent: { cycleId: string; kind: string }) {
    const other = earlier.cycleId !== sent.cycleId || earlier.kind !== sent.kind;
    const held = `import id '${importId}' was already used for a different ${other ? "import" : "file"} (${earlier.kind} into cycle '${earlier.cycleId}', ${rowsText(earlier.rowCount)}), imported by ${earlier.actor} on ${earlier.createdAt.toISOString()}: an import id names one import, whatever its cycle, so nothing was imported`;
    // Only an import of the same cycle and kind is one this file could be meant to replace.
    const replace = (how: string) => (other ? "" : `; to replace that import, remove it first (${how})`);
    super(`${held}. Send this file under an import id of its own${replace("removeImport")}`);
    this.commandLine = `${held}. Give this file an import id of its own with --id${replace(`pingyi remove-import '${importId}'`)}`;
  }
}
