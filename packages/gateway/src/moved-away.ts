import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * A data directory moved to a PostgreSQL server (`pingyi move-database`) stays as the move's
 * backup, untouched; a note beside it says where its data went. A gateway or command started on
 * it afterwards (a service file still naming it) would take writes the moved database never
 * sees, so they refuse until the note is deleted, which going back to this copy means.
 */

/** What the note says. */
export interface MovedAway {
  /** The database moved into, its password hidden. */
  to: string;
  /** When the move committed (ISO 8601). */
  at: string;
  /** Who moved it, as the audit log names them. */
  by: string;
}

/** The note beside the directory (as its lock file is), not in it: the directory stays as it was. */
export const movedNotePath = (dataDir: string): string => `${resolve(dataDir)}.moved`;

export function writeMovedNote(dataDir: string, moved: MovedAway): string {
  const path = movedNotePath(dataDir);
  writeFileSync(path, `${JSON.stringify(moved, null, 2)}\n`);
  return path;
}

/** The note of a moved directory, or undefined; a note that cannot be read still counts. */
export function movedAway(dataDir: string): (Partial<MovedAway> & { note: string }) | undefined {
  const note = movedNotePath(dataDir);
  if (!existsSync(note)) return undefined;
  try {
    const read = JSON.parse(readFileSync(note, "utf8")) as Partial<MovedAway>;
    return { ...(read && typeof read === "object" ? read : {}), note };
  } catch {
    return { note };
  }
}

/** Why a moved directory is not used, with what to do; undefined when it was not moved. */
export function movedAwayProblem(dataDir: string): string | undefined {
  const moved = movedAway(dataDir);
  if (!moved) return undefined;
  const where = moved.to ? ` to ${moved.to}` : "";
  const when = moved.at ? ` on ${moved.at}` : "";
  const who = moved.by ? ` by ${moved.by}` : "";
  return (
    `PINGYI_DATA_DIR=${dataDir} was moved${where}${when}${who} (pingyi move-database): its data is served from there now, and writes here would never reach it. ` +
    `Start with DATABASE_URL${moved.to ? `=${moved.to}` : " set to that database"}${moved.to?.includes("***") ? " (with the password in place of ***)" : ""}; ` +
    `or, to go back to this copy, delete ${moved.note}`
  );
}
