import { resolveArrayConnection, resolveOffsetConnection } from "@pothos/plugin-relay";
import { ValidationError } from "../store/index.js";

/** Every list is a connection of at most 2,000 rows per page, 100 by default (docs/graphql.md). */
export const PAGE = { defaultSize: 100, maxSize: 2000 } as const;

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const CURSOR = /^OffsetConnection:(0|[1-9]\d*)$/;

/**
 * Refuses a cursor this API did not hand out: Pothos decodes any text, so a malformed one became
 * NaN (a database error) and a negative one a silently wrong page.
 */
export function checkCursors(args: PageArgs): void {
  const issues: { path: string; message: string }[] = [];
  for (const name of ["after", "before"] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    const decoded = Buffer.from(cursor, "base64").toString("utf8");
    const m = CURSOR.exec(decoded);
    if (!m || !Number.isSafeInteger(Number(m[1])))
      issues.push({
        path: name,
        message: "not a cursor of this list (use a cursor from its edges or pageInfo)",
      });
  }
  if (issues.length) throw new ValidationError(issues);
}

/** Pothos' resolveOffsetConnection, with the documented page sizes and checked cursors. */
export const offsetConnection: typeof resolveOffsetConnection = (options, resolve) => {
  checkCursors(options.args);
  return resolveOffsetConnection({ ...PAGE, ...options }, resolve);
};

/** Pothos' resolveArrayConnection, with the documented page sizes and checked cursors. */
export const arrayConnection: typeof resolveArrayConnection = (options, array) => {
  checkCursors(options.args);
  return resolveArrayConnection({ ...PAGE, ...options }, array);
};
