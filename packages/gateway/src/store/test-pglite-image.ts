/**
 * Test helper: an embedded database in memory kept as an image of its data directory, from which
 * any number of equal databases open. Every new PGlite runs initdb, seconds of CPU each, and a
 * file that opens a fresh database per test spends most of its time there (and again on the
 * same migrations); one opened from an image starts from PGlite's own copy of the files.
 */
import { readFile, writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { type Db, PgliteDb } from "./db.js";

export interface PgliteImage {
  /** A new database in memory holding what the image's did when it was taken. */
  open(): Promise<Db>;
}

/** The image of a new database in memory after `prepare` (nothing: as initdb leaves it). */
export async function pgliteImage(
  prepare: (db: Db) => Promise<unknown> = async () => {},
): Promise<PgliteImage> {
  return imageOpener(await dataDirImage(prepare));
}

/** The data directory's files of a new database in memory after `prepare`, as one tarball. */
async function dataDirImage(prepare: (db: Db) => Promise<unknown>): Promise<Blob> {
  const pg = await PGlite.create();
  try {
    await prepare(new PgliteDb(pg));
    // Uncompressed: the gzip of a data directory costs more than the memory it saves here.
    return await pg.dumpDataDir("none");
  } finally {
    await pg.close();
  }
}

const imageOpener = (image: Blob): PgliteImage => ({
  open: async () => new PgliteDb(await PGlite.create({ loadDataDir: image })),
});

/**
 * Writes the image of `prepare`'s database to `path`, for `openerFromImage` to open in every
 * test file: a global setup's, once per run (test/global-setup.ts).
 */
export async function writePgliteImage(path: string, prepare: (db: Db) => Promise<unknown>): Promise<void> {
  await writeFile(path, new Uint8Array(await (await dataDirImage(prepare)).arrayBuffer()));
}

/**
 * Opens new databases from one image of `prepare`'s, taken at the first call (none unused); or
 * from the file `written()` names, when it names one: the image writePgliteImage wrote of the
 * same `prepare` once for the whole run. Without it a worker whose files do not share modules
 * (the console's browser tests, a "-isolated" project's) took an image for every file: initdb
 * and `prepare`, seconds of CPU each.
 */
export function openerFromImage(
  prepare?: (db: Db) => Promise<unknown>,
  written: () => string | undefined = () => undefined,
): () => Promise<Db> {
  let image: Promise<PgliteImage> | undefined;
  return async () => {
    image ??= (async () => {
      const path = written();
      return path ? imageOpener(new Blob([await readFile(path)])) : pgliteImage(prepare);
    })();
    return (await image).open();
  };
}
