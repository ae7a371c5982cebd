import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from "./cycle-list-page";
import { href } from "./router";

/*
 * The History page's state in its link (`#/history?cycle=2019&actions=finalise`): a link shared,
 * bookmarked or put on another page (a cycle's, a scheme version's) opens the same entries.
 */

/** What the log is narrowed to; null (an empty list of actions): not narrowed by it. */
export interface HistoryFilter {
  cycleId: string | null;
  schemeId: string | null;
  actions: string[];
  entity: string | null;
  entityId: string | null;
  actor: string | null;
  /** The first day of the range, YYYY-MM-DD, in the browser's time zone. */
  from: string | null;
  /** The last day of the range, included, likewise. */
  to: string | null;
}

/** Which page: the newest, or the one after (older than) or before (newer than) an entry's cursor. */
export type HistoryCursor = { after: string } | { before: string } | null;

export interface HistoryState {
  filter: HistoryFilter;
  size: number;
  cursor: HistoryCursor;
}

export const NO_FILTER: HistoryFilter = {
  cycleId: null,
  schemeId: null,
  actions: [],
  entity: null,
  entityId: null,
  actor: null,
  from: null,
  to: null,
};

/** Each filter's parameter in the link. */
const PARAMS = {
  cycleId: "cycle",
  schemeId: "scheme",
  entity: "entity",
  entityId: "entityId",
  actor: "actor",
  from: "from",
  to: "to",
} as const satisfies Record<Exclude<keyof HistoryFilter, "actions">, string>;

/** The page's state as its link says it; what the link leaves out is not narrowed by. */
export function historyStateOf(params: URLSearchParams): HistoryState {
  const filter: HistoryFilter = { ...NO_FILTER };
  for (const [field, param] of Object.entries(PARAMS) as [keyof typeof PARAMS, string][])
    filter[field] = params.get(param) || null;
  filter.actions = (params.get("actions") ?? "").split(",").filter(Boolean);
  const size = Number(params.get("rows"));
  const after = params.get("after");
  const before = params.get("before");
  return {
    filter,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    cursor: after ? { after } : before ? { before } : null,
  };
}

/** The link's parameters for a filter (null: left out), as updateParams and href take them. */
export function filterParams(filter: Partial<HistoryFilter>): Record<string, string | null> {
  const params: Record<string, string | null> = {};
  for (const [field, param] of Object.entries(PARAMS) as [keyof typeof PARAMS, string][])
    if (field in filter) params[param] = filter[field] || null;
  if (filter.actions) params.actions = filter.actions.join(",") || null;
  return params;
}

/** The link's parameters for the whole state: the newest page's leaves the cursor out. */
export function historyParams(state: HistoryState): Record<string, string | null> {
  const { cursor } = state;
  return {
    ...filterParams(state.filter),
    rows: state.size === DEFAULT_PAGE_SIZE ? null : String(state.size),
    after: cursor && "after" in cursor ? cursor.after : null,
    before: cursor && "before" in cursor ? cursor.before : null,
  };
}

/** A link to the History page, narrowed to `filter` (a cycle's history, a scheme version's). */
export const historyHref = (filter: Partial<HistoryFilter>): string => href("history", filterParams(filter));
