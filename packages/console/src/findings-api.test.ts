import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { staleCursorResponse } from "./_test-paged-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import { listQuery, listVariables } from "./cycle-list-page";
import { deleteRefusal } from "./delete-refusal";
import { fieldProblems } from "./field-problems";
import {
  deleteFinding,
  FILTER_FIELDS,
  FINDINGS_LIST,
  type Finding,
  type FindingFilter,
  FORM_FIELDS,
  loadFindingsPage,
  passes,
  RECTIFICATION_FIELDS,
  recordFinding,
  rectificationInput,
} from "./findings-api";

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const none: FindingFilter = { unitId: null, type: null, rectification: null };

const finding = (id: string, patch: Partial<Finding> = {}): Finding => ({
  id,
  unitId: "U01",
  type: "unannounced-visit",
  level: "city",
  rectification: "NOT_RECTIFIED",
  repeated: false,
  note: null,
  deadline: null,
  rectifiedOn: null,
  ...patch,
});

describe("listQuery and listVariables of the findings", () => {
  it("sends only the filters that are set, and pages by first and after", () => {
    expect(listVariables(FINDINGS_LIST, "2019", none, 25, null)).toEqual({
      id: "2019",
      first: 25,
      after: null,
    });
    expect(
      listVariables(
        FINDINGS_LIST,
        "2019",
        { unitId: "U07", type: "public-complaint", rectification: "PENDING" },
        10,
        "c",
      ),
    ).toEqual({
      id: "2019",
      unitId: "U07",
      type: "public-complaint",
      rectification: "PENDING",
      first: 10,
      after: "c",
    });
    const query = listQuery(FINDINGS_LIST, "totalCount");
    expect(query).toContain(
      "findings(unitId: $unitId, type: $type, rectification: $rectification, first: $first, after: $after) { totalCount }",
    );
    // The cycle's status comes with every page: a cycle finalised meanwhile is read-only at once.
    expect(query).toMatch(/\.\.\. on Cycle \{ status findings/);
  });
});

/**
 * A gateway of `rows` findings (F-000 …) whose data changes once `changeAt` requests have been
 * answered (null: never): from then on, a cursor issued before is refused as stale. Cursors are
 * "<revision>:<offset>"; returns every request's variables and selection.
 */
function findingsGateway(rows: () => number, changeAt: number | null = null) {
  let revision = 0;
  const sent: { variables: Record<string, unknown>; selection: string }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body);
      const selection = /after: \$after\) \{ (.*) \} \} \} \}$/s.exec(query)?.[1] ?? "";
      sent.push({ variables, selection });
      if (changeAt !== null && sent.length > changeAt) revision = 1;
      let offset = 0;
      if (variables.after != null) {
        const [rev, at] = String(variables.after).split(":");
        if (Number(rev) !== revision) return staleCursorResponse();
        offset = Number(at) + 1;
      }
      const total = rows();
      const to = Math.min(total, offset + Number(variables.first));
      const edges = Array.from({ length: to - offset }, (_, i) => ({
        cursor: `${revision}:${offset + i}`,
        node: finding(`F-${String(offset + i).padStart(3, "0")}`),
      }));
      const findings = {
        totalCount: total,
        pageInfo: { hasNextPage: to < total, endCursor: to > offset ? `${revision}:${to - 1}` : null },
        edges,
      };
      return new Response(
        JSON.stringify({ data: { cycle: { __typename: "Cycle", status: "OPEN", findings } } }),
      );
    }),
  );
  return sent;
}

const ids = (page: { rows: Finding[] }) => page.rows.map((f) => f.id);

describe("loadFindingsPage", () => {
  const req = { cycleId: "2019", filter: none, size: 10 };

  it("reads a page straight after its cursor, and says which cursors it now knows", async () => {
    const sent = findingsGateway(() => 19);
    const first = await loadFindingsPage({ ...req, index: 0, after: undefined });
    expect(ids(first)).toHaveLength(10);
    expect(first.totalCount).toBe(19);
    expect([...first.cursors]).toEqual([
      [0, null],
      [1, "0:9"],
    ]);
    const second = await loadFindingsPage({ ...req, index: 1, after: first.cursors.get(1) });
    expect(ids(second)).toEqual(Array.from({ length: 9 }, (_, i) => `F-${String(10 + i).padStart(3, "0")}`));
    expect(second.hasNextPage).toBe(false);
    expect(second.index).toBe(1);
    expect(sent).toHaveLength(2);
  });

  it("finds the same page again from the first when its cursor is stale, without an error", async () => {
    // The data changes after the first page is read (a write): page 3's cursor is of the old data.
    const sent = findingsGateway(() => 45, 1);
    const first = await loadFindingsPage({ ...req, index: 0, after: undefined });
    const third = await loadFindingsPage({ ...req, index: 2, after: "0:19" });
    expect(third.index).toBe(2);
    expect(ids(third)[0]).toBe("F-020");
    expect(third.cursors.get(2)).toBe("1:19");
    expect(first.cursors.get(1)).toBe("0:9");
    // The refused read, the first page again, one skip of 20 rows asking for its end only, the page.
    expect(sent.map((s) => [s.variables.first, s.variables.after])).toEqual([
      [10, null],
      [10, "0:19"],
      [10, null],
      [20, null],
      [10, "1:19"],
    ]);
    expect(sent[3]!.selection).toBe("pageInfo { hasNextPage endCursor }");
    expect(sent[4]!.selection).toContain("edges { node {");
  });

  it("skips ahead at most the gateway's largest page a read, loading no rows but the page's", async () => {
    const sent = findingsGateway(() => 5000);
    const page = await loadFindingsPage({ ...req, size: 100, index: 45, after: undefined });
    expect(ids(page)[0]).toBe("F-4500");
    expect(sent.map((s) => s.variables.first)).toEqual([100, 2000, 2000, 500, 100]);
    expect(sent.filter((s) => s.selection.includes("edges"))).toHaveLength(2);
  });

  it("gives the last page of a list that got shorter than the page asked for", async () => {
    let rows = 25;
    findingsGateway(() => rows, 0);
    rows = 12;
    const page = await loadFindingsPage({ ...req, index: 2, after: "0:19" });
    expect(page.index).toBe(1);
    expect(ids(page)).toEqual(["F-010", "F-011"]);
    // A first page is never stale: it has no cursor.
    const emptied = await loadFindingsPage({ ...req, index: 0, after: "0:0" });
    expect(emptied.index).toBe(0);
  });

  it("goes back a page when the one asked for came back empty after its cursor (its rows deleted)", async () => {
    // Never stale here: the cursor is taken, and only the empty page says the rows went.
    let rows = 21;
    const sent = findingsGateway(() => rows);
    const third = await loadFindingsPage({ ...req, index: 2, after: undefined });
    expect(ids(third)).toEqual(["F-020"]);
    rows = 20;
    const back = await loadFindingsPage({ ...req, index: 2, after: third.cursors.get(2) });
    expect(back.index).toBe(1);
    expect(ids(back)[0]).toBe("F-010");
    expect(back.cursors.get(1)).toBe("0:9");
    // The empty read, then the walk: the first page, one skip, the page.
    expect(sent.slice(3).map((s) => [s.variables.first, s.variables.after])).toEqual([
      [10, "0:19"],
      [10, null],
      [10, null],
      [10, "0:9"],
    ]);
  });

  it("reads a page named in a link (no cursor known) by walking to it", async () => {
    const sent = findingsGateway(() => 30);
    const page = await loadFindingsPage({ ...req, index: 2, after: undefined });
    expect(ids(page)[0]).toBe("F-020");
    expect(sent.map((s) => s.variables.after)).toEqual([null, null, "0:19"]);
  });

  it("gives up, as STALE_CURSOR, only on a list that changes under every fresh start", async () => {
    let calls = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        calls++;
        const { variables } = JSON.parse(init.body);
        if (variables.after != null) return staleCursorResponse();
        const findings = {
          totalCount: 30,
          pageInfo: { hasNextPage: true, endCursor: "x" },
          edges: [{ cursor: "x", node: finding("F-1") }],
        };
        return new Response(
          JSON.stringify({ data: { cycle: { __typename: "Cycle", status: "OPEN", findings } } }),
        );
      }),
    );
    await expect(loadFindingsPage({ ...req, index: 2, after: "old" })).rejects.toMatchObject({
      code: "STALE_CURSOR",
    });
    // The refused read, then four walks (the first and three fresh starts) of three reads each.
    expect(calls).toBe(1 + 4 * 3);
  });

  it("passes any other refusal on as it is", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              errors: [
                {
                  message: "unitId: unknown unit \"U99\" in cycle '2019'",
                  extensions: {
                    code: "VALIDATION",
                    issues: [{ path: "unitId", message: "unknown unit \"U99\" in cycle '2019'" }],
                  },
                },
              ],
            }),
          ),
      ),
    );
    const refused = await loadFindingsPage({
      ...req,
      filter: { ...none, unitId: "U99" },
      index: 0,
      after: null,
    }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(fieldProblems(refused as Error, FILTER_FIELDS)).toEqual({
      fields: { unitId: "unknown unit \"U99\" in cycle '2019'" },
      elsewhere: false,
    });
  });
});

describe("fieldProblems", () => {
  const refusal = (...paths: string[]) =>
    new ApiError(
      "refused",
      "VALIDATION",
      paths.map((path) => ({ path, message: `bad ${path}` })),
    );

  it("puts each of a write's issues at the box it names, under input. or by the bare name", () => {
    expect(fieldProblems(refusal("input.rectifiedOn", "deadline"), RECTIFICATION_FIELDS)).toEqual({
      fields: { rectifiedOn: "bad input.rectifiedOn", deadline: "bad deadline" },
      elsewhere: false,
    });
    expect(fieldProblems(refusal("input.unitId", "input.unitId"), FORM_FIELDS).fields).toEqual({
      unitId: "bad input.unitId; bad input.unitId",
    });
  });

  it("says when a refusal names no box of the form, or none at all", () => {
    expect(fieldProblems(refusal("input.level", "dataset.findings[3]"), FORM_FIELDS)).toEqual({
      fields: { level: "bad input.level" },
      elsewhere: true,
    });
    // A box of another form is not this one's.
    expect(fieldProblems(refusal("input.unitId"), RECTIFICATION_FIELDS).elsewhere).toBe(true);
    expect(fieldProblems(new ApiError("finding 'x' not found", "NOT_FOUND"), RECTIFICATION_FIELDS)).toEqual({
      fields: {},
      elsewhere: true,
    });
    expect(fieldProblems(null, FORM_FIELDS)).toEqual({ fields: {}, elsewhere: false });
  });
});

describe("rectificationInput", () => {
  it("sends only the dates the edit changed, an emptied one as null", () => {
    const stored = finding("F-1", { deadline: "2019-06-30" });
    expect(
      rectificationInput(stored, {
        rectification: "ON_TIME",
        deadline: "2019-06-30",
        rectifiedOn: "2019-06-01",
      }),
    ).toEqual({ rectification: "ON_TIME", rectifiedOn: "2019-06-01" });
    expect(rectificationInput(stored, { rectification: "PENDING", deadline: " ", rectifiedOn: "" })).toEqual({
      rectification: "PENDING",
      deadline: null,
    });
  });

  it("clears the day rectified on of a finding set back to pending or not rectified", () => {
    const stored = finding("F-1", { rectification: "LATE", rectifiedOn: "2019-08-01" });
    // Kept in the box while the state is changed to and fro, but not sent.
    expect(
      rectificationInput(stored, { rectification: "NOT_RECTIFIED", deadline: "", rectifiedOn: "2019-08-01" }),
    ).toEqual({ rectification: "NOT_RECTIFIED", rectifiedOn: null });
    expect(
      rectificationInput(stored, { rectification: "LATE", deadline: "", rectifiedOn: "2019-08-01" }),
    ).toEqual({
      rectification: "LATE",
    });
  });
});

describe("recordFinding", () => {
  it("leaves empty optional boxes out rather than sending an empty date", async () => {
    const sent: Record<string, unknown>[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const { variables } = JSON.parse(init.body);
        sent.push(variables.input);
        return new Response(
          JSON.stringify({ data: { recordFinding: { __typename: "Finding", ...finding("N-1") } } }),
        );
      }),
    );
    const base = { id: "N-1", unitId: "U01", type: "t", level: "city", rectification: "PENDING" as const };
    await recordFinding("2019", { ...base, repeated: false, deadline: "", note: " " });
    await recordFinding("2019", { ...base, repeated: true, deadline: " 2019-12-31 ", note: "明察暗访" });
    expect(sent).toEqual([
      { ...base, repeated: false },
      { ...base, repeated: true, deadline: "2019-12-31", note: "明察暗访" },
    ]);
  });
});

describe("deleteFinding", () => {
  const replying = (reply: unknown) => {
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        sent.push(JSON.parse(init.body));
        return new Response(JSON.stringify({ data: { deleteFinding: reply } }));
      }),
    );
    return sent;
  };

  it("deletes the finding by its cycle and id, and takes the cycle back as done", async () => {
    const sent = replying({ __typename: "Cycle", id: "2019" });
    await deleteFinding("2019", "F2019-006");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).toMatch(/^mutation DeleteFinding\b/);
    expect(sent[0]!.variables).toEqual({ cycleId: "2019", id: "F2019-006" });
  });

  it("throws the gateway's refusal, which deleteRefusal tells apart", async () => {
    replying({ __typename: "NotFoundError", code: "NOT_FOUND", message: "finding 'F-1' not found" });
    const gone = await deleteFinding("2019", "F-1").catch((e: Error) => e);
    expect(gone).toMatchObject({ code: "NOT_FOUND", message: "finding 'F-1' not found" });
    expect(deleteRefusal(gone as Error)).toBe("gone");
    replying({
      __typename: "CycleFinalisedError",
      code: "CYCLE_FINALISED",
      message:
        "cycle '2019' is finalised (at 2020-01-15T00:00:00.000Z) and cannot be changed: a correction decided later goes in a new cycle of the same year",
    });
    const finalised = await deleteFinding("2019", "F-1").catch((e: Error) => e);
    expect(deleteRefusal(finalised as Error)).toBe("finalised");
  });

  it("leaves any other refusal, or a failure that is no refusal, to be shown as it is", () => {
    expect(deleteRefusal(new ApiError("not allowed", "FORBIDDEN"))).toBe("forbidden");
    expect(deleteRefusal(new ApiError("collided; send it again", "CONFLICT"))).toBeNull();
    expect(deleteRefusal(new ApiError("x", "STALE_CURSOR"))).toBeNull();
    // A TypeError whose code happens to read NOT_FOUND is not the gateway's.
    expect(deleteRefusal(Object.assign(new TypeError("Failed to fetch"), { code: "NOT_FOUND" }))).toBeNull();
  });
});

describe("passes", () => {
  it("tells whether a finding just written still shows under the filters", () => {
    const f = finding("F-1", { unitId: "U07", rectification: "ON_TIME" });
    expect(passes(none, f)).toBe(true);
    expect(passes({ ...none, rectification: "NOT_RECTIFIED" }, f)).toBe(false);
    expect(passes({ ...none, unitId: "U07", rectification: "ON_TIME" }, f)).toBe(true);
    expect(passes({ ...none, type: "public-complaint" }, f)).toBe(false);
  });
});
