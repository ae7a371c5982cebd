/** One page of a GraphQL connection, as the gateway returns every list. */
export interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

/** The GraphQL selection `Page` needs, for a connection's `{ … }`. */
export const PAGE_INFO = "pageInfo { hasNextPage endCursor }";

/**
 * Every row of a connection: `load(after)` fetches the page after the cursor (null: the first).
 * A list is never cut at one page: what the console leaves out, the reader cannot know is there.
 */
export async function everyPage<T>(load: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await load(after);
    rows.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return rows;
    after = page.pageInfo.endCursor;
  }
}
