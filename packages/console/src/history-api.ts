import { ERROR_FIELDS, gql, unwrap } from "./api";
import type { HistoryCursor, HistoryFilter } from "./history-filter";

/**
 * The actions and records the audit log writes, as the gateway's auditLog filter takes them
 * (history-api.test.ts checks them against the gateway's lists): the filters offer these.
 */
export const AUDIT_ACTIONS = [
  "create",
  "update",
  "delete",
  "rectify",
  "copy-units",
  "import",
  "publish",
  "withdraw",
  "set-scheme",
  "set-scheme-forced",
  "set-previous-cycle",
  "finalise",
  "move",
] as const;

export const AUDIT_ENTITIES = [
  "cycle",
  "group",
  "unit",
  "score",
  "input",
  "ballot",
  "survey_forms",
  "finding",
  "veto_event",
  "bonus_event",
  "import",
  "scenario",
  "scheme_version",
  "database",
] as const;

/** One entry of the audit log as the list shows it: without the records it keeps. */
export interface AuditRow {
  id: string;
  /** An ISO instant. */
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  cycleId: string | null;
  reason: string | null;
}

/** One entry opened: with the record as it was and as it became (null: none). */
export interface AuditEntry extends AuditRow {
  before: unknown;
  after: unknown;
}

/** The list's fields. Not `before` and `after`: a delete of a vote's ballots keeps each of them (13 MB). */
const ROW_FIELDS = "id at actor action entity entityId cycleId reason";

/** The filters' boxes, as the gateway's refusals name them (`actions[0]` is the actions' box). */
export const FILTER_FIELDS = [
  "cycleId",
  "schemeId",
  "actions",
  "entity",
  "entityId",
  "actor",
  "since",
  "until",
] as const;

/** A day as typed (YYYY-MM-DD): its start in the browser's time zone, or null when it is no day. */
export function dayStart(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setFullYear: the Date constructor reads a year below 100 as 19xx.
  const date = new Date(2000, mo - 1, d);
  date.setFullYear(y, mo - 1, d);
  const real = y >= 1 && date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d;
  return real ? date : null;
}

/** The start of the day after `date`'s: the end, excluded, of a range that includes `date`'s day. */
const nextDay = (date: Date) => {
  const next = new Date(date);
  next.setDate(next.getDate() + 1);
  return next;
};

/**
 * What is wrong with the filter's days, by box, before anything is asked: a day that is no day
 * (a link typed by hand), or a last day before the first.
 */
export function dayIssues(filter: Pick<HistoryFilter, "from" | "to">): {
  from?: "notDay";
  to?: "notDay" | "beforeFrom";
} {
  const from = filter.from ? dayStart(filter.from) : null;
  const to = filter.to ? dayStart(filter.to) : null;
  return {
    ...(filter.from && !from ? { from: "notDay" as const } : {}),
    ...(filter.to && !to
      ? { to: "notDay" as const }
      : from && to && to < from
        ? { to: "beforeFrom" as const }
        : {}),
  };
}

/**
 * auditLog's arguments for a filter; one not set is left out, as the gateway reads "any". The
 * days are the browser's: from the start of the first to the start of the day after the last.
 */
export function auditVariables(filter: HistoryFilter): Record<string, unknown> {
  const from = filter.from ? dayStart(filter.from) : null;
  const to = filter.to ? dayStart(filter.to) : null;
  const vars: Record<string, unknown> = {
    cycleId: filter.cycleId,
    schemeId: filter.schemeId,
    actions: filter.actions.length ? filter.actions : null,
    entity: filter.entity,
    entityId: filter.entityId,
    actor: filter.actor,
    since: from?.toISOString() ?? null,
    until: to ? nextDay(to).toISOString() : null,
  };
  return Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== null));
}

/** One page of the log, newest first. */
export interface HistoryPage {
  rows: AuditRow[];
  /** The page of newer entries; null on the newest page. */
  newer: HistoryCursor;
  /** The page of older entries; null on the oldest. */
  older: HistoryCursor;
  /** Whether this is the newest page: its link names no cursor. */
  newest: boolean;
}

interface Connection {
  edges: { node: AuditRow }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const QUERY = `query History($cycleId: ID, $schemeId: ID, $actions: [String!], $entity: String,
  $entityId: String, $actor: String, $since: DateTime, $until: DateTime,
  $first: Int, $after: String, $last: Int, $before: String) {
  auditLog(cycleId: $cycleId, schemeId: $schemeId, actions: $actions, entity: $entity,
    entityId: $entityId, actor: $actor, since: $since, until: $until,
    first: $first, after: $after, last: $last, before: $before) {
    edges { node { ${ROW_FIELDS} } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

/**
 * The page the cursor names, `size` entries. The gateway's cursors hold an entry's id, so entries
 * written since shift no page and none goes stale: a link to a page shows the same entries later.
 * A page of newer entries that reaches the newest is the newest page, read from the newest entry
 * (a full page, not the few left above the cursor).
 */
export async function loadHistoryPage(
  filter: HistoryFilter,
  size: number,
  cursor: HistoryCursor,
  signal?: AbortSignal,
): Promise<HistoryPage> {
  const read = async (page: Record<string, unknown>) =>
    (
      await gql<{ auditLog: Connection }>(
        QUERY,
        { ...auditVariables(filter), ...page },
        signal ? { signal } : {},
      )
    ).auditLog;
  const older = (c: Connection): HistoryCursor =>
    c.pageInfo.hasNextPage && c.pageInfo.endCursor ? { after: c.pageInfo.endCursor } : null;
  if (cursor && "before" in cursor) {
    const list = await read({ last: size, before: cursor.before });
    const { hasPreviousPage, startCursor, endCursor } = list.pageInfo;
    if (hasPreviousPage && startCursor && endCursor)
      return {
        rows: list.edges.map((e) => e.node),
        newer: { before: startCursor },
        older: { after: endCursor },
        newest: false,
      };
  } else if (cursor) {
    const list = await read({ first: size, after: cursor.after });
    const start = list.pageInfo.startCursor;
    // Past the oldest entry (a link to a page of entries none of which pass a filter now): the newest.
    if (start)
      return {
        rows: list.edges.map((e) => e.node),
        newer: { before: start },
        older: older(list),
        newest: false,
      };
  }
  const list = await read({ first: size });
  return { rows: list.edges.map((e) => e.node), newer: null, older: older(list), newest: true };
}

/** One entry with its records, as its row opens. */
export async function loadAuditEntry(id: string, signal?: AbortSignal): Promise<AuditEntry> {
  const data = await gql<{ auditEntry: { __typename: string } & Partial<AuditEntry> }>(
    `query AuditEntry($id: ID!) { auditEntry(id: $id) { __typename ${ERROR_FIELDS}
      ... on AuditEntry { ${ROW_FIELDS} before after } } }`,
    { id },
    signal ? { signal } : {},
  );
  return unwrap(data.auditEntry, "AuditEntry") as AuditEntry;
}
