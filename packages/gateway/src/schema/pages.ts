import { createHash } from "node:crypto";
import {
  cursorToOffset,
  offsetToCursor,
  resolveArrayConnection,
  resolveOffsetConnection,
} from "@pothos/plugin-relay";
import type { GraphQLResolveInfo } from "graphql";
import type { builder } from "../builder.js";
import { StaleCursorError, ValidationError } from "../store/index.js";

/** Every list is a connection of at most 2,000 rows per page, 100 by default (docs/graphql.md). */
export const PAGE = { defaultSize: 100, maxSize: 2000 } as const;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** The field a connection resolves: its parent type and name name the list its cursors belong to. */
export type ListInfo = Pick<GraphQLResolveInfo, "parentType" | "fieldName">;

/**
 * Whose list a connection pages: a cursor of one ranking's entries would otherwise page
 * another's at the same offset. A list with one owner only names none (`OnlyList`).
 */
export interface ListOwner {
  /** What owns the list, for the refusal: "cycle", "ranking", "what-if", … */
  kind: string;
  /** Which one: any text that tells two owners apart; the cursor holds only a digest of it. */
  id: string;
  /**
   * The data the list was computed from (an evaluation's cache key), when at hand: a cursor of
   * another revision of the same owner is refused as stale rather than paging rows that moved.
   */
  revision?: string;
}

/**
 * A list with one owner only (the cycles): its revision, as ListOwner's, so that a cursor of
 * older rows is refused as stale. Its cursors carry an empty owner.
 */
export interface OnlyList {
  revision: string;
}

/** Who owns a list: null for a list with one owner only whose rows are never paged stale. */
type Owner = ListOwner | OnlyList | null;

const CURSOR = /^([A-Za-z_]\w*\.[A-Za-z_]\w*):(0|[1-9]\d*)(?::((?:[\w-]{10})?):([\w-]{0,10}))?$/;
const POTHOS_CURSOR = /^OffsetConnection:/;

const listName = (info: ListInfo) => `${info.parentType.name}.${info.fieldName}`;

/**
 * Owner and revision go in the cursor as digests, so it shows nothing new in the clear (no ids,
 * arguments or audit counts). 60 bits tell apart the lists one client mixes up.
 */
const digest = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 10);

interface Stamp {
  list: string;
  /** Null: a cursor without owner and revision; empty: a list with one owner only. */
  owner: string | null;
  revision: string;
}

const stamp = (list: string, owner: Owner): Stamp => ({
  list,
  owner: owner && ("id" in owner ? digest(owner.id) : ""),
  revision: owner?.revision === undefined ? "" : digest(owner.revision),
});

const encode = (s: Stamp, offset: number) =>
  Buffer.from(
    s.owner === null ? `${s.list}:${offset}` : `${s.list}:${offset}:${s.owner}:${s.revision}`,
  ).toString("base64");

/**
 * The positions (offsets, or a keyset list's ids) our cursors stand for. Pothos' own cursors are
 * alike for every list, so one from the units of a ranking paged the audit log; ours name their
 * list and its owner, and a cursor of another list or owner, of older data, an older API or no
 * list is refused, every bad argument at once.
 */
function positions(args: PageArgs, want: Stamp, owner: Owner): { after?: number; before?: number } {
  const list = want.list;
  const issues: { path: string; message: string }[] = [];
  let stale = 0;
  const out: { after?: number; before?: number } = {};
  // Pothos refuses these too, but as a bare message without a code; a size past the largest page
  // is left to Pothos, which cuts it to `maxSize` as documented.
  for (const name of ["first", "last"] as const) {
    const size = args[name];
    if (size != null && size < 0) issues.push({ path: name, message: "must not be negative" });
  }
  for (const name of ["after", "before"] as const) {
    const cursor = args[name];
    if (cursor == null) continue;
    const decoded = Buffer.from(cursor, "base64").toString("utf8");
    const m = CURSOR.exec(decoded);
    const offset = Number(m?.[2]);
    const cursorOwner = m?.[3] ?? null;
    const cursorRevision = m?.[4] ?? "";
    if (m && m[1] !== list)
      issues.push({
        path: name,
        message: `a cursor of ${m[1]}, not of ${list} (use a cursor from this list's edges or pageInfo)`,
      });
    // A cursor of this list from before lists had owners cannot say whose list it paged, and
    // accepting it would keep the hole open for whoever still holds one: a page token is cheap
    // to get again, so it is refused like Pothos' cursors.
    else if (m && want.owner !== null && cursorOwner === null)
      issues.push({
        path: name,
        message: "a cursor from an earlier version of this API (ask for the first page again)",
      });
    else if (m && cursorOwner !== want.owner)
      issues.push({
        path: name,
        message:
          owner && "kind" in owner
            ? `a cursor of ${list} for another ${owner.kind} (use a cursor from this list's edges or pageInfo)`
            : "not a cursor of this list (use a cursor from its edges or pageInfo)",
      });
    else if (m && cursorRevision !== want.revision) {
      stale++;
      issues.push({
        path: name,
        message: "the list changed since this cursor was issued (ask for the first page again)",
      });
    } else if (m && Number.isSafeInteger(offset)) out[name] = offset;
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
  // Stale only when nothing else is wrong: the first page again would not mend a bad cursor.
  if (issues.length)
    throw stale === issues.length ? new StaleCursorError(issues) : new ValidationError(issues);
  return out;
}

/** Pothos' arguments with our cursors turned into the offsets Pothos pages by. */
function pothosArgs<A extends PageArgs>(args: A, want: Stamp, owner: Owner): A {
  const at = positions(args, want, owner);
  const out: A = { ...args };
  for (const name of ["after", "before"] as const) {
    const position = at[name];
    if (position !== undefined) out[name] = offsetToCursor(position);
  }
  return out;
}

interface Page {
  edges: ({ cursor: string } | null)[];
  pageInfo: { startCursor?: string | null; endCursor?: string | null };
}

/**
 * Pothos' page with its cursors rewritten to name the list and its owner. An empty page has no
 * start or end cursor (Relay's PageInfo): Pothos gives it the offsets around the gap, the end one
 * −1 on an empty first page, which no list accepts back.
 */
function relabel<P>(page: P, list: Stamp): P {
  if (!page) return page;
  const p = page as P & Page;
  const ours = (c: string | null | undefined) => (c == null ? c : encode(list, cursorToOffset(c)));
  const empty = p.edges.length === 0;
  return {
    ...p,
    edges: p.edges.map((e) => (e ? { ...e, cursor: ours(e.cursor) } : e)),
    pageInfo: {
      ...p.pageInfo,
      startCursor: empty ? null : ours(p.pageInfo.startCursor),
      endCursor: empty ? null : ours(p.pageInfo.endCursor),
    },
  };
}

/**
 * Pothos' resolveOffsetConnection, with the documented page sizes and cursors that name the list
 * and its owner (`info`: the connection field's resolver info; `owner`: the object whose list
 * it is, required so that no new list forgets it).
 */
export async function offsetConnection<
  T,
  U extends Promise<readonly T[] | null> | readonly T[] | null,
  C extends number | undefined = undefined,
>(
  options: { args: PageArgs; info: ListInfo; owner: Owner; totalCount?: C },
  resolve: Parameters<typeof resolveOffsetConnection<T, U, C>>[1],
): ReturnType<typeof resolveOffsetConnection<T, U, C>> {
  const { info, owner, ...rest } = options;
  const list = stamp(listName(info), owner);
  const args = pothosArgs(options.args, list, owner);
  return relabel(await resolveOffsetConnection<T, U, C>({ ...PAGE, ...rest, args }, resolve), list);
}

/**
 * `offsetConnection` over a list already in memory (a run's rows, filtered): counted whole, so
 * that `last` pages back from its end, each row of the page made by `row`.
 */
export function listConnection<T, R>(
  options: { args: PageArgs; info: ListInfo; owner: Owner },
  list: readonly T[],
  row: (item: T) => R,
) {
  return offsetConnection({ ...options, totalCount: list.length }, ({ offset, limit }) =>
    list.slice(offset, offset + limit).map(row),
  );
}

interface WeighedPage {
  edges: readonly ({ cursor: string; node: unknown } | null)[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor?: string | null;
    endCursor?: string | null;
  };
}

type NodeOf<P> = P extends { edges: readonly (infer E)[] }
  ? E extends { node: infer N }
    ? N
    : never
  : never;

/**
 * A page cut to what `room` leaves of a weight its rows carry (a sweep's segments, whose number
 * per row only the rows know). Rows are kept from the end the page is read from — its start, or
 * under `last` its end, the one beside `before` — while their weights fit, and always one at
 * least, so that paging ends. A page cut short says more lies past the cut (`hasNextPage`, or
 * under `last` `hasPreviousPage`) and its cursor there is the last row it kept, so that the next
 * page starts at the first row left out. `weight` is what the rows kept weigh.
 */
export function cutToRoom<P extends WeighedPage | null>(
  page: P,
  options: { weigh: (node: NodeOf<P>) => number; room: number; fromEnd: boolean },
): { page: P; weight: number } {
  if (!page) return { page, weight: 0 };
  const { weigh, room, fromEnd } = options;
  const edges = fromEnd ? [...page.edges].reverse() : page.edges;
  let weight = 0;
  let kept = 0;
  for (const edge of edges) {
    const w = edge ? weigh(edge.node as NodeOf<P>) : 0;
    if (kept > 0 && weight + w > room) break;
    weight += w;
    kept++;
  }
  if (kept === edges.length) return { page, weight };
  const rows = edges.slice(0, kept);
  const info = page.pageInfo;
  const cut = rows.at(-1)?.cursor ?? null;
  return {
    page: fromEnd
      ? { ...page, edges: rows.reverse(), pageInfo: { ...info, hasPreviousPage: true, startCursor: cut } }
      : { ...page, edges: rows, pageInfo: { ...info, hasNextPage: true, endCursor: cut } },
    weight,
  };
}

/**
 * Pothos' resolveArrayConnection, with the documented page sizes and cursors that name the list
 * and its owner (as `offsetConnection`).
 */
export function arrayConnection<T>(
  options: { args: PageArgs; info: ListInfo; owner: Owner },
  array: readonly T[],
): ReturnType<typeof resolveArrayConnection<T>> {
  const list = stamp(listName(options.info), options.owner);
  const args = pothosArgs(options.args, list, options.owner);
  return relabel(resolveArrayConnection<T>({ ...PAGE, args }, array), list);
}

/** Which rows of a keyset list a page asks for: ids between the bounds, from one end. */
export interface KeysetRange {
  /** Only ids below this (after the `after` cursor's row, newest first). */
  belowId?: number;
  /** Only ids above this (before the `before` cursor's row). */
  aboveId?: number;
  /** One more than the page holds, to tell whether more follow. */
  limit: number;
  /** From the oldest end (`last`) rather than the newest (`first`). */
  oldestFirst: boolean;
}

/**
 * A page of a list shown newest first, by an id that grows as rows are added (the audit log),
 * with only one owner: its cursors hold a row's id rather than an offset, so rows added since
 * shift no page and leave no cursor stale. `first` counts from the newest row (or the one after
 * `after`), `last` from the oldest (or the one before `before`); page sizes as `offsetConnection`.
 */
export async function keysetConnection<T extends { id: number }>(
  options: { args: PageArgs; info: ListInfo },
  load: (range: KeysetRange) => Promise<readonly T[]>,
) {
  const { args, info } = options;
  const list = stamp(listName(info), null);
  if (args.first != null && args.last != null)
    throw new ValidationError([
      { path: "last", message: "give first (from the newest) or last (from the oldest), not both" },
    ]);
  const at = positions(args, list, null);
  const oldestFirst = args.last != null;
  const size = Math.min(
    Math.max((oldestFirst ? args.last : args.first) ?? PAGE.defaultSize, 0),
    PAGE.maxSize,
  );
  const rows = await load({
    ...(at.after === undefined ? {} : { belowId: at.after }),
    ...(at.before === undefined ? {} : { aboveId: at.before }),
    limit: size + 1,
    oldestFirst,
  });
  const more = rows.length > size;
  const kept = rows.slice(0, size);
  const page = oldestFirst ? kept.reverse() : kept;
  const edges = page.map((node) => ({ cursor: encode(list, node.id), node }));
  return {
    edges,
    pageInfo: {
      // A cursor's own row lies beyond it, so there is more that way; the far side is what the
      // extra row tells.
      hasNextPage: oldestFirst ? at.before !== undefined : more,
      hasPreviousPage: oldestFirst ? more : at.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/**
 * A connection's `totalCount`: the rows that pass its filters on every page together, as counted
 * for `offsetConnection` (which lets `last` page back from the end). The second argument of
 * `t.connection`, so that every list counts in one way.
 */
type ConnectionFields = PothosSchemaTypes.ObjectFieldBuilder<Types, object>;

export const counted = (
  description: string,
): { fields: (c: ConnectionFields) => { totalCount: ReturnType<ConnectionFields["int"]> } } => ({
  fields: (c) => ({
    totalCount: c.int({
      description,
      // Always given to offsetConnection by these lists; its type leaves it optional.
      resolve: (connection) =>
        "totalCount" in connection && typeof connection.totalCount === "number" ? connection.totalCount : 0,
    }),
  }),
});

/** A page whose count is taken only when a client asks for `totalCount` (see `countedWhenAsked`). */
export interface CountedWhenAsked {
  count: () => Promise<number>;
}

/**
 * `counted` for a list paged in the database, whose count is a query of its own: taken only when
 * the client asks for `totalCount`, from the page's `count`.
 */
export const countedWhenAsked = (
  description: string,
): { fields: (c: ConnectionFields) => { totalCount: ReturnType<ConnectionFields["int"]> } } => ({
  fields: (c) => ({
    totalCount: c.int({
      description,
      resolve: (connection) => (connection as Partial<CountedWhenAsked>).count?.() ?? 0,
    }),
  }),
});
