import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AUDIT_ACTIONS as GATEWAY_ACTIONS,
  AUDIT_ENTITIES as GATEWAY_ENTITIES,
} from "../../gateway/src/store/types.js";
import { memorySessionStorage } from "./_test-session-storage";
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITIES,
  type AuditRow,
  auditVariables,
  dayIssues,
  dayStart,
  loadAuditEntry,
  loadHistoryPage,
} from "./history-api";
import { NO_FILTER } from "./history-filter";

beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the actions and records the filters offer", () => {
  it("are those the gateway's auditLog takes: one left out could not be asked for, one too many is refused", () => {
    expect([...AUDIT_ACTIONS]).toEqual([...GATEWAY_ACTIONS]);
    expect([...AUDIT_ENTITIES]).toEqual([...GATEWAY_ENTITIES]);
  });
});

describe("the days of the filter", () => {
  it("start at midnight in the browser's time zone, a year below 100 being that year", () => {
    expect(dayStart("2019-01-15")).toEqual(new Date(2019, 0, 15));
    expect(dayStart("2020-02-29")).toEqual(new Date(2020, 1, 29));
    const early = dayStart("0050-03-01")!;
    expect([early.getFullYear(), early.getMonth(), early.getDate(), early.getHours()]).toEqual([50, 2, 1, 0]);
  });

  it("are no day when the calendar has none, or they are not written YYYY-MM-DD", () => {
    for (const day of [
      "2019-02-29",
      "2019-02-30",
      "2019-13-01",
      "2019-00-10",
      "0000-01-01",
      "2019-1-5",
      "yesterday",
      "",
    ])
      expect(dayStart(day), day).toBeNull();
  });

  it("are refused at their box before anything is asked: no day, or a last day before the first", () => {
    expect(dayIssues({ from: "2019-02-30", to: "2019-01-01" })).toEqual({ from: "notDay" });
    expect(dayIssues({ from: null, to: "someday" })).toEqual({ to: "notDay" });
    expect(dayIssues({ from: "2019-02-01", to: "2019-01-31" })).toEqual({ to: "beforeFrom" });
    expect(dayIssues({ from: "2019-02-01", to: "2019-02-01" })).toEqual({});
  });

  it("are sent as the instants from the first day's start to the start of the day after the last", () => {
    expect(
      auditVariables({
        ...NO_FILTER,
        cycleId: "2019",
        actions: ["finalise"],
        from: "2019-01-15",
        to: "2019-01-31",
      }),
    ).toEqual({
      cycleId: "2019",
      actions: ["finalise"],
      since: new Date(2019, 0, 15).toISOString(),
      until: new Date(2019, 1, 1).toISOString(),
    });
    // Filters not set are left out, as the gateway reads "any".
    expect(auditVariables(NO_FILTER)).toEqual({});
  });
});

const row = (id: number): AuditRow => ({
  id: String(id),
  at: "2019-01-15T08:00:00.000Z",
  actor: "admin-1",
  action: "update",
  entity: "unit",
  entityId: `U${id}`,
  cycleId: "2019",
  reason: null,
});

/** Cursors as the gateway writes them: opaque to the console. */
const cursor = (id: number) => `c${id}`;

/**
 * A gateway holding entries 1 to `count`, paging them newest first as auditLog does (first/after
 * from the newest, last/before from the oldest). Returns every request's query and variables.
 */
function auditLogGateway(count: number) {
  const sent: { query: string; variables: Record<string, any> }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body);
      sent.push({ query, variables });
      const all = Array.from({ length: count }, (_, i) => count - i);
      const id = (c: string | undefined) => (c ? Number(c.slice(1)) : undefined);
      const after = id(variables.after);
      const before = id(variables.before);
      const inRange = all.filter(
        (n) => (after === undefined || n < after) && (before === undefined || n > before),
      );
      const fromOldest = variables.last !== undefined;
      const size = fromOldest ? variables.last : variables.first;
      const picked = fromOldest ? inRange.slice(-size) : inRange.slice(0, size);
      const more = inRange.length > size;
      const edges = picked.map((n) => ({ cursor: cursor(n), node: row(n) }));
      const pageInfo = {
        hasNextPage: fromOldest ? before !== undefined : more,
        hasPreviousPage: fromOldest ? more : after !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      };
      return new Response(JSON.stringify({ data: { auditLog: { edges, pageInfo } } }));
    }),
  );
  return sent;
}

const ids = (rows: AuditRow[]) => rows.map((r) => Number(r.id));

describe("loadHistoryPage", () => {
  it("never asks for the records an entry keeps: a vote's ballots deleted at once are 13 MB", async () => {
    const sent = auditLogGateway(3);
    await loadHistoryPage(NO_FILTER, 25, null);
    const node = /node \{([^}]*)\}/.exec(sent[0]!.query)![1]!.split(/\s+/).filter(Boolean);
    expect(node).toEqual(["id", "at", "actor", "action", "entity", "entityId", "cycleId", "reason"]);
  });

  it("reads the newest page, then older ones after a cursor, and newer ones back before one", async () => {
    const sent = auditLogGateway(25);
    const newest = await loadHistoryPage({ ...NO_FILTER, actor: "admin-1" }, 10, null);
    expect(ids(newest.rows)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(newest).toMatchObject({ newer: null, older: { after: cursor(16) }, newest: true });
    expect(sent.at(-1)!.variables).toEqual({ actor: "admin-1", first: 10 });

    const second = await loadHistoryPage(NO_FILTER, 10, { after: cursor(16) });
    expect(ids(second.rows)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(second).toMatchObject({
      newer: { before: cursor(15) },
      older: { after: cursor(6) },
      newest: false,
    });
    const oldest = await loadHistoryPage(NO_FILTER, 10, { after: cursor(6) });
    expect(ids(oldest.rows)).toEqual([5, 4, 3, 2, 1]);
    expect(oldest).toMatchObject({ newer: { before: cursor(5) }, older: null, newest: false });

    const back = await loadHistoryPage(NO_FILTER, 10, { before: cursor(5) });
    expect(ids(back.rows)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(back).toMatchObject({ newer: { before: cursor(15) }, older: { after: cursor(6) }, newest: false });
    expect(sent.at(-1)!.variables).toEqual({ last: 10, before: cursor(5) });
  });

  it("shows a whole newest page when the newer entries reach the newest, not the few above the cursor", async () => {
    const sent = auditLogGateway(25);
    const back = await loadHistoryPage(NO_FILTER, 10, { before: cursor(20) });
    expect(ids(back.rows)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(back).toMatchObject({ newer: null, older: { after: cursor(16) }, newest: true });
    expect(sent.map((s) => s.variables)).toEqual([{ last: 10, before: cursor(20) }, { first: 10 }]);
  });

  it("shows the newest page for a cursor past the oldest entry that passes the filters", async () => {
    auditLogGateway(5);
    const page = await loadHistoryPage(NO_FILTER, 10, { after: cursor(1) });
    expect(ids(page.rows)).toEqual([5, 4, 3, 2, 1]);
    expect(page).toMatchObject({ newer: null, older: null, newest: true });
  });

  it("rejects with the gateway's refusal of a filter, its issues naming the box", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              data: { auditLog: null },
              errors: [
                {
                  message: 'actions[0]: unknown action "finalize"',
                  path: ["auditLog"],
                  extensions: {
                    code: "VALIDATION",
                    issues: [{ path: "actions[0]", message: 'unknown action "finalize"' }],
                  },
                },
              ],
            }),
          ),
      ),
    );
    await expect(loadHistoryPage({ ...NO_FILTER, actions: ["finalize"] }, 25, null)).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [{ path: "actions[0]", message: 'unknown action "finalize"' }],
    });
  });
});

describe("loadAuditEntry", () => {
  const answer = (auditEntry: unknown) => {
    const sent: Record<string, unknown>[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        sent.push(JSON.parse(init.body).variables);
        return new Response(JSON.stringify({ data: { auditEntry } }));
      }),
    );
    return sent;
  };

  it("reads one entry with the records it keeps", async () => {
    const entry = { __typename: "AuditEntry", ...row(7), before: { name: "A" }, after: { name: "B" } };
    const sent = answer(entry);
    expect(await loadAuditEntry("7")).toEqual(entry);
    expect(sent).toEqual([{ id: "7" }]);
  });

  it("rejects with the gateway's NotFound for an id no entry has", async () => {
    answer({ __typename: "NotFoundError", code: "NOT_FOUND", message: "audit entry '7' not found" });
    await expect(loadAuditEntry("7")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "audit entry '7' not found",
    });
  });
});
