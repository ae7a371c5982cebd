import type { Db } from "./db.js";

/** A scheme version a cycle was scored under. */
export interface SchemeVersionKey {
  schemeId: string;
  version: number;
}

/**
 * The version each of the cycles was scored under before its latest move to another, by cycle id,
 * from the `before` of that move's audit entry (`set-scheme`, `set-scheme-forced`): the cycles
 * row keeps only the version it is on now. A cycle never moved since its `create` entry (a cycle
 * deleted and created again under its id keeps the older entries) is not in the map, nor is one
 * whose latest move's entry names no version.
 */
export async function previousSchemeVersions(
  db: Db,
  cycleIds: readonly string[],
): Promise<Map<string, SchemeVersionKey>> {
  if (cycleIds.length === 0) return new Map();
  const rows = await db.query<{
    entity_id: string;
    action: string;
    scheme_id: string | null;
    version: unknown;
  }>(
    `SELECT DISTINCT ON (entity_id) entity_id, action,
       before->>'schemeId' AS scheme_id, before->'schemeVersion' AS version FROM audit_log
     WHERE entity = 'cycle' AND action IN ('create', 'set-scheme', 'set-scheme-forced')
       AND entity_id = ANY($1::text[])
     ORDER BY entity_id, id DESC`,
    [[...new Set(cycleIds)]],
  );
  const moved = new Map<string, SchemeVersionKey>();
  for (const r of rows) {
    // A database edited by hand may hold anything: an entry that names no version (null would
    // read as version 0) names none, as schemeHistory reads it.
    const version =
      typeof r.version === "number" || typeof r.version === "string" ? Number(r.version) : Number.NaN;
    if (r.action !== "create" && r.scheme_id !== null && Number.isSafeInteger(version))
      moved.set(r.entity_id, { schemeId: r.scheme_id, version });
  }
  return moved;
}
