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
  for (let start = 0; ; start++) {
    try {
      return await readPages(load);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === STALE_CURSOR) || start >= FRESH_STARTS) throw err;
    }
  }
}

async function readPages<T>(load: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await load(after);
    rows.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return rows;
    after = page.pageInfo.endCursor;
  }
}
