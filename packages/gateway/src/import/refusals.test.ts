import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportError } from "../store/errors.js";
import { backends, openTestDatabase, seedCycle, type TestDatabase, uid } from "../store/test-backends.js";
import { type ImportOptions, importFile } from "./index.js";

/** What a refused import says: where each refusal is in the file, and which earlier import holds it. */

async function* chunked(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

describe.each(backends)("refusals on %s", (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  const run = ({ text, ...o }: Omit<ImportOptions, "actor" | "stream"> & { text: string }) =>
    importFile(t.store, { actor: "importer", ...o, stream: chunked(text) });
  const refusal = (o: Parameters<typeof run>[0]) =>
    run(o).then(
      () => {
        throw new Error("the import was not refused");
      },
      (e: unknown) => e,
    );

  it("says a file without data rows at its header's line, or at line 1, never at line 0", async () => {
    const c = await seedCycle(t.store, 1);
    for (const [format, text, line] of [
      ["csv", "unit,category,value\n", 1],
      // Blank lines before the header are skipped: the header is the line to look at.
      ["csv", "\n\nunit,category,value\n,,\n", 3],
      ["csv", "", 1],
      ["json", "[]", 1],
      ["json", "", 1],
    ] as const) {
      const err = await refusal({ cycleId: c, kind: "scores", format, importId: uid("empty"), text });
      expect(err, `${format} ${JSON.stringify(text)}`).toBeInstanceOf(ImportError);
      expect((err as ImportError).rows).toEqual([{ line, message: "the file has no data rows" }]);
    }
    expect(await t.store.imports.list(c)).toEqual([]);
  });
});
