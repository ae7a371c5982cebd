import type { Context } from "../context.js";
import type { Page } from "../store/index.js";
import { type CountedWhenAsked, type ListInfo, offsetConnection, type PageArgs } from "./pages.js";

/** How one of a cycle's stored lists is read: a page of it, and how many rows pass the filter. */
export interface StoredList<T, F> {
  list: (filter: F & Page) => Promise<T[]>;
  count: (filter: F) => Promise<number>;
}

/**
 * A page of a cycle's stored records (findings, scores, ballots, survey tallies), paged in the
 * database: a province year has 300,000 findings and 200,000 ballots. The cycle's audit revision
 * is the list's, so a page asked for after a write refuses the older cursors as stale. The rows
 * are counted once, and only when `last` pages back from the end or the client asks for
 * `totalCount` (`countedWhenAsked`).
 */
export async function cycleRecordsPage<T, F extends object>(
  ctx: Pick<Context, "store">,
  cycleId: string,
  request: { args: PageArgs; info: ListInfo },
  filter: F,
  stored: StoredList<T, F>,
) {
  const { args, info } = request;
  const revision = JSON.stringify(await ctx.store.audit.revision(cycleId));
  const owner = { kind: "cycle", id: cycleId, revision };
  let counting: Promise<number> | undefined;
  const count = () => {
    counting ??= stored.count(filter);
    return counting;
  };
  const fromEnd = args.last != null && args.before == null ? { totalCount: await count() } : {};
  const page = await offsetConnection({ args, info, owner, ...fromEnd }, ({ limit, offset }) =>
    stored.list({ ...filter, limit, offset }),
  );
  const counted: CountedWhenAsked = { count };
  return { ...page, ...counted };
}
