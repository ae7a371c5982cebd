/**
 * Test helper: an embedded database in memory kept as an image of its data directory, from which
 * any number of equal databases open. Every new PGlite runs initdb, seconds of CPU each, and a
 * file that opens a fresh database per test spends most of its time there (and again on the
 * same migrations); one opened from an image starts from PGlite's own copy of the files.
 */
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
  const pg = await PGlite.create();
  let image: Blob;
  try {
    await prepare(new PgliteDb(pg));
    // Uncompressed: the gzip of a data directory costs more than the memory it saves here.
    image = await pg.dumpDataDir("none");
  } finally {
    await pg.close();
  }
  return { open: async () => new PgliteDb(await PGlite.create({ loadDataDir: image })) };
}

/** Opens new databases from one image of `prepare`'s, taken at the first call (none unused). */
export function openerFromImage(prepare?: (db: Db) => Promise<unknown>): () => Promise<Db> {
  let image: Promise<PgliteImage> | undefined;
  return async () => {
    image ??= pgliteImage(prepare);
    return (await image).open();
  };
}
