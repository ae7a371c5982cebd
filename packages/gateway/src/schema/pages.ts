import {
  cursorToOffset,
  offsetToCursor,
  resolveArrayConnection,
  resolveOffsetConnection,
} from "@pothos/plugin-relay";
import type { GraphQLResolveInfo } from "graphql";
import { ValidationError } from "../store/index.js";

/** Every list is a connection of at most 2,000 rows per page, 100 by default (docs/graphql.md). */
export const PAGE = { defaultSize: 100, maxSize: 2000 } as const;

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** The field a connection resolves: its parent type and name name the list its cursors belong to. */
export type ListInfo = Pick<GraphQLResolveInfo, "parentType" | "fieldName">;

const CURSOR = /^([A-Za-z_]\w*\.[A-Za-z_]\w*):(0|[1-9]\d*)$/;
const POTHOS_CURSOR = /^OffsetConnection:/;

const listName = (info: ListInfo) => `${info.parentType.name}.${info.fieldName}`;

const encode = (list: string, offset: number) => Buffer.from(`${list}:${offset}`).toString("base64");

/**
 * Our cursors turned into the offsets Pothos pages by. Pothos' own cursors are alike for every
 * list, so one from the units of a ranking paged the audit log; ours name their list and a
 * cursor of another list, an older API or no list is refused.
 */
function pothosArgs<A extends PageArgs>(args: A, list: string): A {
  const issues: { path: string; message: string }[] = [];
  const out: A = { ...args };
  for (const name of ["after", "before"] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    const decoded = Buffer.from(cursor, "base64").toString("utf8");
    const m = CURSOR.exec(decoded);
    const offset = Number(m?.[2]);
    if (m && m[1] !== list)
      issues.push({
        path: name,
        message: `a cursor of ${m[1]}, not of ${list} (use a cursor from this list's edges or pageInfo)`,
      });
    else if (m && Number.isSafeInteger(offset)) out[name] = offsetToCursor(offset);
    else if (POTHOS_CURSOR.test(decoded))
      issues.push({
        path: name,
        message: "a cursor from an earlier version of this API (ask for the first page again)",
      });
    else
      issues.push({
        path: name,
        message: "not a cursor of this list (use a cursor from its edges or pageInfo)",
      });
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

interface Page {
  edges: ({ cursor: string } | null)[];
  pageInfo: { startCursor?: string | null; endCursor?: string | null };
}

/** Pothos' page with its cursors rewritten to name the list. */
function relabel<P>(page: P, list: string): P {
  if (!page) return page;
  const p = page as P & Page;
  const ours = (c: string | null | undefined) => (c == null ? c : encode(list, cursorToOffset(c)));
  return {
    ...p,
    edges: p.edges.map((e) => (e ? { ...e, cursor: ours(e.cursor) } : e)),
    pageInfo: {
      ...p.pageInfo,
      startCursor: ours(p.pageInfo.startCursor),
      endCursor: ours(p.pageInfo.endCursor),
    },
  };
}

/**
 * Pothos' resolveOffsetConnection, with the documented page sizes and cursors that name the list
 * (`info`: the connection field's resolver info).
 */
export async function offsetConnection<
  T,
  U extends Promise<readonly T[] | null> | readonly T[] | null,
  C extends number | undefined = undefined,
>(
  options: { args: PageArgs; info: ListInfo; totalCount?: C },
  resolve: Parameters<typeof resolveOffsetConnection<T, U, C>>[1],
): ReturnType<typeof resolveOffsetConnection<T, U, C>> {
  const list = listName(options.info);
  const { info: _, ...rest } = options;
  const args = pothosArgs(options.args, list);
  return relabel(await resolveOffsetConnection<T, U, C>({ ...PAGE, ...rest, args }, resolve), list);
}

/**
 * Pothos' resolveArrayConnection, with the documented page sizes and cursors that name the list
 * (`info`: the connection field's resolver info).
 */
export function arrayConnection<T>(
  options: { args: PageArgs; info: ListInfo },
  array: readonly T[],
): ReturnType<typeof resolveArrayConnection<T>> {
  const list = listName(options.info);
  const args = pothosArgs(options.args, list);
  return relabel(resolveArrayConnection<T>({ ...PAGE, args }, array), list);
}
