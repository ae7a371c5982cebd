import type { Db } from "./db.js";
import { NotFoundError } from "./errors.js";

/**
 * `list`, read of cycle `cycleId`, as it is; NotFoundError when it is empty and there is no such
 * cycle. A mistyped cycle id must not read as a cycle with nothing in it yet, and only an empty
 * list costs the look.
 */
export async function knownCycleList<T>(db: Db, cycleId: string, list: T[]): Promise<T[]> {
  if (list.length === 0 && !(await db.query("SELECT 1 FROM cycles WHERE id = $1", [cycleId]))[0])
    throw new NotFoundError("cycle", cycleId);
  return list;
}
