import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { ApiError } from "./api";
import {
  carriedVetoes,
  deleteEvent,
  type EligibilityRow,
  fieldProblems,
  loadCarriedVetoes,
  loadCycleEvents,
  nextEventId,
  recordBonusEvent,
  recordVetoEvent,
} from "./events-api";

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A gateway answering with `answer(query, variables)`; returns every request's query and variables. */
function gateway(answer: (query: string, variables: Record<string, unknown>) => unknown) {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const { query, variables } = JSON.parse(init.body);
      sent.push({ query, variables });
      return new Response(JSON.stringify({ data: answer(query, variables) }));
    }),
  );
  return sent;
}

const page = <T>(nodes: T[], next: string | null) => ({
  pageInfo: { hasNextPage: next !== null, endCursor: next },
  edges: nodes.map((node) => ({ node })),
});

describe("loadCycleEvents", () => {
  it("reads every page of both lists, and the cycle's status as of the last page read", async () => {
    const veto = (id: string) => ({ id, unitId: "U01", type: "major-incident", reason: "r" });
    const sent = gateway((query, { after }) => {
      if (query.includes("vetoEvents"))
        return {
          cycle: {
            __typename: "Cycle",
            // Finalised between the two pages: the page is read-only now.
            status: after ? "FINALISED" : "OPEN",
            vetoEvents: after ? page([veto("V-2")], null) : page([veto("V-1")], "c1"),
          },
        };
      return {
        cycle: {
          __typename: "Cycle",
          bonusEvents: page([{ id: "B-1", unitId: "U02", type: "t", level: "city", note: null }], null),
        },
      };
    });
    const events = await loadCycleEvents("2019");
    expect(events.vetoes.map((v) => v.id)).toEqual(["V-1", "V-2"]);
    expect(events.bonuses.map((b) => b.id)).toEqual(["B-1"]);
    expect(events.status).toBe("FINALISED");
    expect(sent.map((s) => [s.variables.id, s.variables.after ?? null])).toEqual([
      ["2019", null],
      ["2019", "c1"],
      ["2019", null],
    ]);
  });

  it("says why when the gateway does not know the cycle", async () => {
    gateway(() => ({
      cycle: { __typename: "NotFoundError", code: "NOT_FOUND", message: "cycle '1999' not found" },
    }));
    await expect(loadCycleEvents("1999")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("carriedVetoes", () => {
  const row = (unitId: string, ...reasons: EligibilityRow["eligibility"]["reasons"]): EligibilityRow => ({
    unitId,
    name: `unit ${unitId}`,
    eligibility: { reasons },
  });
  const veto = (record: string, yearsAgo: number | null) => ({
    kind: "veto",
    record,
    yearsAgo,
    text: `veto ${record}`,
  });

  it("picks the reasons with a yearsAgo, however their record reads, nearest year first", () => {
    const rows = [
      row("U01", { kind: "last-ranked", record: null, yearsAgo: null, text: "last in group" }),
      // This year's own event whose id reads like a carried one's: it is in the register already.
      row("U02", veto("2018/V-1", null)),
      row("U09", veto("V-3", null), veto("2017/V-9", 2), veto("2018/V-1", 1)),
      row("U05", veto("2018/V-1", 1)),
    ];
    expect(carriedVetoes(rows)).toEqual([
      { unitId: "U05", name: "unit U05", record: "2018/V-1", yearsAgo: 1, text: "veto 2018/V-1" },
      { unitId: "U09", name: "unit U09", record: "2018/V-1", yearsAgo: 1, text: "veto 2018/V-1" },
      { unitId: "U09", name: "unit U09", record: "2017/V-9", yearsAgo: 2, text: "veto 2017/V-9" },
    ]);
    expect(carriedVetoes([row("U02", veto("V-1", null))])).toEqual([]);
  });
});

describe("loadCarriedVetoes", () => {
  it("reads no ranking for a cycle that follows none", async () => {
    const sent = gateway(() => ({ cycle: { __typename: "Cycle", previousCycle: null } }));
    expect(await loadCarriedVetoes("2018")).toEqual({ follows: null, vetoes: [] });
    expect(sent).toHaveLength(1);
  });

  it("reads every page of the ranking of a cycle that follows another", async () => {
    const follows = { id: "2018", year: 2018 };
    const unit = (unitId: string, yearsAgo: number | null) => ({
      unitId,
      name: unitId,
      eligibility: { reasons: [{ kind: "veto", record: "2018/V-1", yearsAgo, text: "t" }] },
    });
    const sent = gateway((query, { after }) => {
      if (!query.includes("ranking(")) return { cycle: { __typename: "Cycle", previousCycle: follows } };
      return {
        ranking: {
          __typename: "Ranking",
          cycle: { previousCycle: follows },
          entries: after ? page([unit("U05", 1)], null) : page([unit("U01", null)], "c1"),
        },
      };
    });
    const carried = await loadCarriedVetoes("2019");
    expect(carried.follows).toEqual(follows);
    expect(carried.vetoes.map((v) => v.unitId)).toEqual(["U05"]);
    expect(sent.slice(1).map((s) => [s.variables.cycleId, s.variables.after ?? null])).toEqual([
      ["2019", null],
      ["2019", "c1"],
    ]);
  });
});

describe("recording and deleting", () => {
  it("sends an emptied note as null, so a correction removes it rather than keeping the stored one", async () => {
    const sent = gateway((_q, { input }) => ({
      recordBonusEvent: { __typename: "BonusEvent", ...(input as object) },
    }));
    await recordBonusEvent("2019", { id: "B-1", unitId: "U01", type: "t", level: "city", note: "  " });
    await recordBonusEvent("2019", { id: "B-1", unitId: "U01", type: "t", level: "city", note: "award" });
    expect(sent.map((s) => (s.variables.input as { note: unknown }).note)).toEqual([null, "award"]);
  });

  it("throws the gateway's refusal with the fields it names", async () => {
    gateway(() => ({
      recordVetoEvent: {
        __typename: "ValidationError",
        code: "VALIDATION",
        message: 'input.unitId: unknown unit "U99"',
        issues: [{ path: "input.unitId", message: 'unknown unit "U99"' }],
      },
    }));
    const refused = await recordVetoEvent("2019", {
      id: "V-1",
      unitId: "U99",
      type: "major-incident",
      reason: "r",
    }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(fieldProblems(refused as Error)).toEqual({
      fields: { unitId: 'unknown unit "U99"' },
      elsewhere: false,
    });
  });

  it("deletes by the list's own mutation and says when the event is gone already", async () => {
    const sent = gateway((query) =>
      query.includes("deleteBonusEvent")
        ? { deleteBonusEvent: { __typename: "Cycle", id: "2019" } }
        : {
            deleteVetoEvent: {
              __typename: "NotFoundError",
              code: "NOT_FOUND",
              message: "veto event 'V-9' not found",
            },
          },
    );
    await deleteEvent("bonus", "2019", "B-1");
    await expect(deleteEvent("veto", "2019", "V-9")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "veto event 'V-9' not found",
    });
    expect(sent.map((s) => [/(delete\w+Event)\(/.exec(s.query)?.[1], s.variables.id])).toEqual([
      ["deleteBonusEvent", "B-1"],
      ["deleteVetoEvent", "V-9"],
    ]);
  });
});

describe("fieldProblems", () => {
  it("puts each problem at the form's field the gateway named, and the rest above the form", () => {
    const error = new ApiError("refused", "VALIDATION", [
      { path: "input.type", message: 'unknown veto type "x"' },
      { path: "input.type", message: "second" },
      { path: "cycleId", message: "finalised" },
    ]);
    expect(fieldProblems(error)).toEqual({
      fields: { type: 'unknown veto type "x"; second' },
      elsewhere: true,
    });
  });

  it("shows a refusal that names no field (a finalised cycle, a lost connection) whole", () => {
    expect(fieldProblems(new ApiError("cycle 2018 is finalised", "CYCLE_FINALISED"))).toEqual({
      fields: {},
      elsewhere: true,
    });
    expect(fieldProblems(null)).toEqual({ fields: {}, elsewhere: false });
  });
});

describe("nextEventId", () => {
  it("numbers after the highest id of its form, so a new event never replaces one", () => {
    expect(nextEventId("V-", [])).toBe("V-1");
    expect(nextEventId("V-", ["V-1", "V-7", "V-3", "V2018-001", "V-x", "V-0x20"])).toBe("V-8");
  });
});
