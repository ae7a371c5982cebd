import { ApiError } from "./api";

/** One page of a GraphQL connection, as the gateway returns every list. */
export interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

/** The GraphQL selection `Page` needs, for a connection's `{ … }`. */
export const PAGE_INFO = "pageInfo { hasNextPage endCursor }";

/** The gateway's refusal of a cursor issued before its list's data changed (docs/graphql.md). */
const STALE_CURSOR = "STALE_CURSOR";

/**
 * How many times a list that changed while it was read is read again from its first page. One
 * change (a colleague's edit) is mended by one fresh start; a list that changes under every read
 * is being written faster than it can be read (an import running), and reading it again and again
 * would only load the gateway: the reader is shown the error and can try again later.
 */
const FRESH_STARTS = 3;

/**
 * Every row of a connection: `load(after)` fetches the page after the cursor (null: the first).
 * A list is never cut at one page: what the console leaves out, the reader cannot know is there.
 * Nor are pages of two versions of the data mixed: when the gateway refuses the next cursor as
 * stale, the rows read so far are dropped and the list is read again from its first page.
 */
export async function everyPage<T>(load: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
  const { rows } = await everyPageWithHeads(async (after) => ({ head: null, page: await load(after) }));
  return rows;
}

/**
 * As everyPage, for a connection inside a result that has fields of its own (a sweep's
 * breakpoint count, a ranking's groups): `load(after)` returns them as `head` beside the page.
 * The heads returned are those of the read that returned the rows, one a page, first page first:
 * a head kept from a read that was refused as stale would describe data the rows are not from.
 */
export async function everyPageWithHeads<H, T>(
  load: (after: string | null) => Promise<{ head: H; page: Page<T> }>,
): Promise<{ heads: [H, ...H[]]; rows: T[] }> {
  for (let start = 0; ; start++) {
    try {
      return await readPages(load);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === STALE_CURSOR) || start >= FRESH_STARTS) throw err;
    }
  }
}

async function readPages<H, T>(
  load: (after: string | null) => Promise<{ head: H; page: Page<T> }>,
): Promise<{ heads: [H, ...H[]]; rows: T[] }> {
  const first = await load(null);
  const heads: [H, ...H[]] = [first.head];
  const rows: T[] = [];
  let page = first.page;
  for (;;) {
    rows.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return { heads, rows };
    const next = await load(page.pageInfo.endCursor);
    heads.push(next.head);
    page = next.page;
  }
}
