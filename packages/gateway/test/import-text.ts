/**
 * Test helper: imports a file given as text, through the importer's batched INSERTs, as an
 * upload of it in one chunk would.
 */
import { type ImportOptions, type ImportResult, importFile } from "../src/import/index.js";
import type { Store } from "../src/store/index.js";

async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}

/** Imports `text` as the file of the import `options` describe. */
export function importText(
  store: Store,
  text: string,
  options: Omit<ImportOptions, "stream">,
): Promise<ImportResult> {
  return importFile(store, { ...options, stream: oneChunk(text) });
}
