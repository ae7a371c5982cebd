import { ApiError, ERROR_FIELDS, gql, unwrap } from "./api";
import { PAGE_INFO, type Page } from "./pages";

/*
 * One page at a time of a cycle's list that the gateway pages, filters and counts in the database
 * (Cycle.findings, Cycle.ballots, Cycle.surveyTallies): a province's year has hundreds of
 * thousands of such rows, so a list is never read whole.
 */

/** The page sizes offered. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** The gateway's largest page: how far one step of a walk to a page skips ahead. */
const MAX_PAGE = 2000;

/** As everyPage (pages.ts): a list changing under every read is being written faster than it is read. */
const FRESH_STARTS = 3;

/**
 * One of a cycle's paged lists: what the list is narrowed by is `F`, each filter an argument of
 * the Cycle field named as the filter is, null for "not narrowed by it".
 */
export interface CycleList<F> {
  /** The query's operation name. */
  operation: string;
  /** The Cycle field that lists it. */
  field: string;
  /** Each filter's GraphQL type, in the order the query declares them. */
  filters: { [K in keyof F]: string };
  /** The selection of one row. */
  node: string;
}

/**
 * One read of the list: `first` rows after the cursor, with the cycle's status and how many rows
 * pass the filters; `fields` is what is asked of the connection (a skip asks for its end only).
 */
export function listQuery<F>(list: CycleList<F>, fields: string): string {
  const names = Object.keys(list.filters) as (keyof F & string)[];
  const declared = names.map((n) => `$${n}: ${list.filters[n]}, `).join("");
  const args = names.map((n) => `${n}: $${n}, `).join("");
  return `query ${list.operation}($id: ID!, ${declared}$first: Int!, $after: String) {
  cycle(id: $id) { __typename ${ERROR_FIELDS}
    ... on Cycle { status ${list.field}(${args}first: $first, after: $after) { ${fields} } } } }`;
}

/** The variables of one read; a filter not set is left out, as the gateway reads "any". */
export function listVariables<F extends { [K in keyof F]: string | null }>(
  list: CycleList<F>,
  cycleId: string,
  filter: F,
  first: number,
  after: string | null,
): Record<string, unknown> {
  const set = (Object.keys(list.filters) as (keyof F & string)[]).filter((n) => filter[n]);
  return { id: cycleId, ...Object.fromEntries(set.map((n) => [n, filter[n]])), first, after };
}

/** One page of a cycle's list, as a page shows it. */
export interface ListPage<T> {
  /** OPEN or FINALISED, as read with the page: a finalised cycle's records no longer change. */
  status: string;
  /** Rows that pass the filters, on every page together. */
  totalCount: number;
  rows: T[];
  /** Which page this is (0: the first); less than asked for when the list got shorter. */
  index: number;
  /**
   * Cursors known from this read, by page index: the one this page was read after, and the next
   * page's when there is one. Of the data as it now stands, until the next write.
   */
  cursors: Map<number, string | null>;
  hasNextPage: boolean;
}

export interface PageRequest<F> {
  cycleId: string;
  filter: F;
  size: number;
  /** The page asked for (0: the first). */
  index: number;
  /** The cursor it starts after, when known (a Next or Previous click); undefined: not known. */
  after: string | null | undefined;
}

type Connection<T> = Page<T> & { totalCount?: number };

/** A list's reads for one request: `read` asks for `fields` of `first` rows after a cursor. */
interface Reader<T> {
  read(fields: string, first: number, after: string | null): Promise<{ status: string; list: Connection<T> }>;
  size: number;
  fields: string;
}

async function readPage<T>(r: Reader<T>, index: number, after: string | null): Promise<ListPage<T>> {
  const { status, list } = await r.read(r.fields, r.size, after);
  const cursors = new Map<number, string | null>([[index, after]]);
  if (list.pageInfo.hasNextPage && list.pageInfo.endCursor) cursors.set(index + 1, list.pageInfo.endCursor);
  return {
    status,
    totalCount: list.totalCount ?? 0,
    rows: list.edges.map((e) => e.node),
    index,
    cursors,
    hasNextPage: list.pageInfo.hasNextPage,
  };
}

const isStale = (err: unknown) => err instanceof ApiError && err.code === "STALE_CURSOR";

/**
 * The page asked for. A cursor issued before a write (this page's own, or a colleague's) is
 * refused by the gateway as stale; that is no error to the reader: the same page is found again
 * from the first page of the list as it now stands, skipping ahead up to the gateway's largest
 * page a read and asking only for where each skip ends, so no rows are loaded but the page's.
 * A list that got shorter meanwhile gives its last page. Only a list that changes under every
 * fresh start (an import running) is an error, STALE_CURSOR, which the views word as such.
 */
export async function loadListPage<F extends { [K in keyof F]: string | null }, T>(
  list: CycleList<F>,
  req: PageRequest<F>,
  signal?: AbortSignal,
): Promise<ListPage<T>> {
  const reader: Reader<T> = {
    size: req.size,
    fields: `totalCount ${PAGE_INFO} edges { node { ${list.node} } }`,
    read: async (fields, first, after) => {
      const data = await gql<{ cycle: { __typename: string; status: string } & Record<string, unknown> }>(
        listQuery(list, fields),
        listVariables(list, req.cycleId, req.filter, first, after),
        signal ? { signal } : {},
      );
      const cycle = unwrap(data.cycle, "Cycle");
      return { status: cycle.status, list: cycle[list.field] as Connection<T> };
    },
  };
  if (req.index === 0) return readPage(reader, 0, null);
  if (req.after !== undefined) {
    try {
      const page = await readPage(reader, req.index, req.after);
      // Nothing after the cursor: this page's rows went (the last of them deleted) and the cursor
      // was still taken; the walk gives the list's last page instead, as for a stale one.
      if (page.rows.length > 0) return page;
    } catch (err) {
      if (!isStale(err)) throw err;
    }
  }
  for (let start = 0; ; start++) {
    try {
      return await walkTo(reader, req.index);
    } catch (err) {
      if (!isStale(err) || start >= FRESH_STARTS) throw err;
    }
  }
}

async function walkTo<T>(r: Reader<T>, asked: number): Promise<ListPage<T>> {
  const first = await readPage(r, 0, null);
  const last = Math.max(0, Math.ceil(first.totalCount / r.size) - 1);
  const index = Math.min(asked, last);
  if (index === 0) return first;
  let after: string | null = null;
  for (let skipped = 0; skipped < index * r.size; ) {
    const step = Math.min(MAX_PAGE, index * r.size - skipped);
    const { list } = await r.read(PAGE_INFO, step, after);
    // Shorter than the count said: rows went between the two reads, and the page read after
    // this cursor is the list's last.
    if (!list.pageInfo.endCursor) break;
    after = list.pageInfo.endCursor;
    skipped += step;
    if (!list.pageInfo.hasNextPage) break;
  }
  return readPage(r, index, after);
}
