import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { changingGateway, staleCursorResponse } from "./_test-paged-gateway";
import { memorySessionStorage } from "./_test-session-storage";
import {
  defaultSweepRange,
  readSweepBounds,
  runLeaveOneOut,
  runSweep,
  runUncertainty,
  sortUncertainty,
  type UncertaintyUnit,
} from "./robustness-api";

/** The variables of every request, answered with one empty page; `queries`, their text. */
function recordVariables(queries: string[] = []) {
  const sent: Record<string, unknown>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: { body: string }) => {
      const body = JSON.parse(init.body);
      sent.push(body.variables);
      queries.push(body.query);
      const units = { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] };
      return new Response(JSON.stringify({ data: { weightSweep: { __typename: "WeightSweep", units } } }));
    }),
  );
  return sent;
}

// Signed out: gql reads no token from an empty store.
beforeEach(() => {
  memorySessionStorage();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("runSweep", () => {
  it("leaves an emptied sweep bound out, so the gateway's default applies (an empty string is refused)", async () => {
    const sent = recordVariables();
    const sweep = {
      cycleId: "2018",
      category: "work",
      others: "FIXED",
      group: null,
      scenarioId: null,
    } as const;
    await runSweep({ ...sweep, from: "", to: " " });
    await runSweep({ ...sweep, from: "0", to: "50" });
    expect(sent.map((v) => [v.from, v.to])).toEqual([
      [undefined, undefined],
      ["0", "50"],
    ]);
  });
});

describe("a transfer sweep", () => {
  it("names its donor to the gateway, and only a transfer names one (the gateway refuses a donor otherwise)", async () => {
    const queries: string[] = [];
    const sent = recordVariables(queries);
    const sweep = {
      cycleId: "2018",
      category: "public",
      from: "20",
      to: "60",
      group: null,
      scenarioId: null,
    } as const;
    await runSweep({ ...sweep, others: "TRANSFER", donor: "organ" });
    await runSweep({ ...sweep, others: "FIXED" });
    expect(sent.map((v) => [v.others, v.donor])).toEqual([
      ["TRANSFER", "organ"],
      ["FIXED", undefined],
    ]);
    // Declared and passed on: a variable the query does not use would be dropped unread.
    expect(queries[0]).toMatch(/\$donor: ID\b/);
    expect(queries[0]).toMatch(/weightSweep\([^)]*\bdonor: \$donor\b/);
  });
});

describe("a result whose units change while they are read", () => {
  it("is swept again from the first page, with the summary of the sweep the units come from", async () => {
    const sent = changingGateway(1200, (units, revision) => ({
      weightSweep: {
        __typename: "WeightSweep",
        category: "work",
        nominal: revision === 0 ? "30" : "32",
        from: "10",
        to: "50",
        breakpointCount: revision === 0 ? 7 : 9,
        units,
      },
    }));
    const sweep = await runSweep({
      cycleId: "2018",
      category: "work",
      from: "10",
      to: "50",
      others: "FIXED",
      group: "g",
      scenarioId: null,
    });
    expect(sent.map((v) => v.after ?? null)).toEqual([null, "500", null, "500", "1000"]);
    expect(sweep.units).toHaveLength(1200);
    expect(new Set(sweep.units.map((u) => u.name))).toEqual(new Set(["revision 1"]));
    expect([sweep.breakpointCount, sweep.nominal]).toEqual([9, "32"]);
  });

  it("is drawn again from the first page, saying whether the new run reproduces the official ranks", async () => {
    // The old data's run did not reproduce them; the new data's does, on every page.
    const sent = changingGateway(1200, (units, revision) => ({
      uncertainty: { __typename: "Uncertainty", nominalReproduced: revision === 1, units },
    }));
    const mc = await runUncertainty({ cycleId: "2018", seed: 1, group: "g", scenarioId: null });
    expect(sent.map((v) => v.after ?? null)).toEqual([null, "500", null, "500", "1000"]);
    expect(mc.units).toHaveLength(1200);
    expect(new Set(mc.units.map((u) => u.name))).toEqual(new Set(["revision 1"]));
    expect(mc.nominalReproduced).toBe(true);
  });
});

describe("the group on screen", () => {
  it("is the only group the gateway sweeps or samples; with none, every group is", async () => {
    const sent = recordVariables();
    const sweep = {
      cycleId: "2018",
      category: "work",
      others: "FIXED",
      from: "",
      to: "",
      scenarioId: null,
    } as const;
    await runSweep({ ...sweep, group: "g2" });
    await runSweep({ ...sweep, group: null });
    await runUncertainty({ cycleId: "2018", seed: 1, group: "g2", scenarioId: null }).catch(() => undefined);
    await runUncertainty({ cycleId: "2018", seed: 1, group: null, scenarioId: null }).catch(() => undefined);
    expect(sent.map((v) => [v.groups, v.group])).toEqual([
      [["g2"], "g2"],
      [undefined, null],
      [["g2"], "g2"],
      [undefined, null],
    ]);
  });
});

describe("a saved scenario", () => {
  it("is what all three analyses run under, declared and passed on, and each result says which one it ran under", async () => {
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    const empty = { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const body = JSON.parse(init.body);
        sent.push(body);
        const scenarioId = body.variables.scenarioId;
        const data = body.query.includes("weightSweep(")
          ? { weightSweep: { __typename: "WeightSweep", scenarioId, units: empty } }
          : body.query.includes("uncertainty(")
            ? {
                uncertainty: { __typename: "Uncertainty", scenarioId, nominalReproduced: true, units: empty },
              }
            : { leaveOneOut: { __typename: "LeaveOneOut", scenarioId, rescale: false, categories: [] } };
        return Response.json({ data });
      }),
    );
    const sweep = await runSweep({
      cycleId: "2018",
      category: "public",
      from: "",
      to: "",
      others: "FIXED",
      group: null,
      scenarioId: "s1",
    });
    const mc = await runUncertainty({ cycleId: "2018", seed: 1, group: null, scenarioId: "s1" });
    const loo = await runLeaveOneOut({ cycleId: "2018", rescale: false, group: null, scenarioId: "s1" });
    expect([sweep.scenarioId, mc.scenarioId, loo.scenarioId]).toEqual(["s1", "s1", "s1"]);
    expect(sent.map((r) => r.variables.scenarioId)).toEqual(["s1", "s1", "s1"]);
    // Declared and passed on: a variable the query does not use would be dropped unread.
    for (const [{ query }, field] of sent.map(
      (r, i) => [r, ["weightSweep", "uncertainty", "leaveOneOut"][i]] as const,
    )) {
      expect(query).toMatch(/\$scenarioId: ID\b/);
      expect(query).toMatch(new RegExp(`${field}\\([^)]*\\bscenarioId: \\$scenarioId\\b`));
    }

    // None: the cycle as it stands, sent as null.
    sent.length = 0;
    const plain = await runUncertainty({ cycleId: "2018", seed: 1, group: null, scenarioId: null });
    expect(plain.scenarioId).toBeNull();
    expect(sent[0]!.variables.scenarioId).toBeNull();
  });
});

describe("readSweepBounds", () => {
  it("names the box that is not a number, is negative, or is a to not above from", () => {
    expect(readSweepBounds({ from: "abc", to: "60" }).problems).toEqual({
      from: { problem: "notNumber", range: "≥ 0" },
    });
    expect(readSweepBounds({ from: "-5", to: "60" }).problems).toEqual({
      from: { problem: "outOfRange", range: "≥ 0" },
    });
    expect(readSweepBounds({ from: "30", to: "30.0" }).problems).toEqual({
      to: { problem: "outOfRange", range: "> 30" },
    });
    expect(readSweepBounds({ from: "30", to: "x" }).problems).toEqual({
      to: { problem: "notNumber", range: "> 30" },
    });
  });

  it("leaves an empty box to the gateway's default: from 0, so to must be above 0", () => {
    expect(readSweepBounds({ from: "", to: "" })).toEqual({ values: { from: "", to: "" }, problems: {} });
    expect(readSweepBounds({ from: " ", to: "0" }).problems).toEqual({
      to: { problem: "outOfRange", range: "> 0" },
    });
    expect(readSweepBounds({ from: " 20 ", to: "" })).toEqual({
      values: { from: "20", to: "" },
      problems: {},
    });
  });

  it("with to left empty, names a from at or above the scheme's total at its box", () => {
    const total = { total: "100" };
    expect(readSweepBounds({ from: "100", to: "" }, total).problems).toEqual({
      from: { problem: "outOfRange", range: "< 100" },
    });
    expect(readSweepBounds({ from: "100.000000001", to: " " }, total).problems).toEqual({
      from: { problem: "outOfRange", range: "< 100" },
    });
    expect(readSweepBounds({ from: "99.999999999", to: "" }, total)).toEqual({
      values: { from: "99.999999999", to: "" },
      problems: {},
    });
    // Below 0 it is that limit the box names.
    expect(readSweepBounds({ from: "-1", to: "" }, total).problems).toEqual({
      from: { problem: "outOfRange", range: "≥ 0" },
    });
    // A to of its own is what from is checked against; the others fixed, it may pass the total.
    expect(readSweepBounds({ from: "100", to: "120" }, total).problems).toEqual({});
    expect(readSweepBounds({ from: "100", to: "120" }, { ...total, others: "FIXED" }).problems).toEqual({});
  });

  it("with the others rescaled, names a to above the scheme's total at its box", () => {
    const rescaled = { total: "100", others: "RESCALE" } as const;
    expect(readSweepBounds({ from: "20", to: "100.000000001" }, rescaled).problems).toEqual({
      to: { problem: "outOfRange", range: "≤ 100" },
    });
    expect(readSweepBounds({ from: "20", to: "100" }, rescaled)).toEqual({
      values: { from: "20", to: "100" },
      problems: {},
    });
    // Not above from: that is named first, as without a total.
    expect(readSweepBounds({ from: "30", to: "30" }, rescaled).problems).toEqual({
      to: { problem: "outOfRange", range: "> 30" },
    });
    expect(readSweepBounds({ from: "100", to: "" }, rescaled).problems).toEqual({
      from: { problem: "outOfRange", range: "< 100" },
    });
  });

  it("with a transfer, holds to at the category's and the donor's points together, not the total", () => {
    // public 40 and organ 30 of 100: organ's 30 are all it can give.
    const transfer = { total: "100", others: "TRANSFER", donorSum: "70" } as const;
    expect(readSweepBounds({ from: "20", to: "70.000000001" }, transfer).problems).toEqual({
      to: { problem: "outOfRange", range: "≤ 70" },
    });
    expect(readSweepBounds({ from: "20", to: "80" }, transfer).problems).toEqual({
      to: { problem: "outOfRange", range: "≤ 70" },
    });
    expect(readSweepBounds({ from: "20", to: "70" }, transfer)).toEqual({
      values: { from: "20", to: "70" },
      problems: {},
    });
    // An empty to is that sum: a from at or above it leaves nothing to sweep.
    expect(readSweepBounds({ from: "70", to: "" }, transfer).problems).toEqual({
      from: { problem: "outOfRange", range: "< 70" },
    });
    expect(readSweepBounds({ from: "69.9", to: "" }, transfer).problems).toEqual({});
    // The sum not known (points that do not read): left to the gateway, as the total is.
    expect(readSweepBounds({ from: "20", to: "150" }, { total: "100", others: "TRANSFER" }).problems).toEqual(
      {},
    );
    // The donor's sum is only the limit of a transfer.
    expect(
      readSweepBounds({ from: "20", to: "90" }, { total: "100", others: "RESCALE", donorSum: "70" }).problems,
    ).toEqual({});
  });

  it("leaves the total to the gateway while it is not known", () => {
    expect(readSweepBounds({ from: "150", to: "" }).problems).toEqual({});
    expect(readSweepBounds({ from: "20", to: "150" }, { others: "RESCALE" }).problems).toEqual({});
  });

  it("checks to against 0 when from cannot be read", () => {
    expect(readSweepBounds({ from: "abc", to: "-1" }).problems.to).toEqual({
      problem: "outOfRange",
      range: "> 0",
    });
  });
});

describe("defaultSweepRange", () => {
  it("is the category's points ± 20, exactly: never a float's 17.299999999999997", () => {
    expect(defaultSweepRange("37.3")).toEqual({ from: "17.3", to: "57.3" });
    // A scheme's points may come as JSON numbers: read as they print, as the gateway reads them.
    expect(defaultSweepRange(37.3)).toEqual({ from: "17.3", to: "57.3" });
    expect(defaultSweepRange("27.3")).toEqual({ from: "7.3", to: "47.3" });
    expect(defaultSweepRange("40")).toEqual({ from: "20", to: "60" });
    expect(defaultSweepRange("20.000000001")).toEqual({ from: "0.000000001", to: "40.000000001" });
  });

  it("holds from at 0", () => {
    expect(defaultSweepRange("10")).toEqual({ from: "0", to: "30" });
    expect(defaultSweepRange("20")).toEqual({ from: "0", to: "40" });
    expect(defaultSweepRange(12.7)).toEqual({ from: "0", to: "32.7" });
  });

  it("holds to at the scheme's total when the others are rescaled, and only then", () => {
    expect(defaultSweepRange("90", { total: "100", others: "RESCALE" })).toEqual({ from: "70", to: "100" });
    expect(defaultSweepRange("87.3", { total: "100", others: "RESCALE" })).toEqual({
      from: "67.3",
      to: "100",
    });
    expect(defaultSweepRange("80", { total: "100", others: "RESCALE" })).toEqual({ from: "60", to: "100" });
    expect(defaultSweepRange("40", { total: "100", others: "RESCALE" })).toEqual({ from: "20", to: "60" });
    expect(defaultSweepRange("90", { total: "100", others: "FIXED" })).toEqual({ from: "70", to: "110" });
    // The total not known yet: left to the gateway, as readSweepBounds leaves it.
    expect(defaultSweepRange("90", { others: "RESCALE" })).toEqual({ from: "70", to: "110" });
  });

  it("holds to at the category's and the donor's points together when the donor gives the points", () => {
    expect(defaultSweepRange("40", { total: "100", others: "TRANSFER", donorSum: "70" })).toEqual({
      from: "20",
      to: "60",
    });
    // A donor with 12.5 points to give: the category cannot go past 52.5.
    expect(defaultSweepRange("40", { total: "100", others: "TRANSFER", donorSum: "52.5" })).toEqual({
      from: "20",
      to: "52.5",
    });
    expect(defaultSweepRange("40", { total: "100", others: "FIXED", donorSum: "52.5" })).toEqual({
      from: "20",
      to: "60",
    });
  });

  it("leaves both boxes to the gateway's range when the points cannot be read digit by digit", () => {
    expect(defaultSweepRange(1e-7)).toEqual({ from: "", to: "" });
    expect(defaultSweepRange("abc")).toEqual({ from: "", to: "" });
  });

  it("is a range Run accepts, whichever mode, for any points up to the total", () => {
    const hundredths = (h: number) => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, "0")}`;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 6 }),
        fc.integer({ min: 1, max: 10 ** 6 }),
        fc.integer({ min: 1, max: 10 ** 6 }),
        fc.constantFrom("FIXED", "RESCALE", "TRANSFER" as const),
        (points, given, extra, others) => {
          // The donor has `given` of the points; the rest of the scheme, `extra` more.
          const total = points + given + extra;
          const text = (h: number) => hundredths(h).replace(/\.?0+$/, "") || "0";
          const sweep = { total: text(total), others, donorSum: text(points + given) } as const;
          const range = defaultSweepRange(hundredths(points), sweep);
          expect(readSweepBounds(range, sweep)).toEqual({ values: range, problems: {} });
          const from = Math.max(0, points - 2000);
          const most = { FIXED: Infinity, RESCALE: total, TRANSFER: points + given }[others];
          const to = Math.min(most, points + 2000);
          expect(range).toEqual({ from: text(from), to: text(to) });
        },
      ),
    );
  });
});

describe("the Monte-Carlo table", () => {
  it("names the grade the run's P(excellent) counts, as the gateway said it", async () => {
    const queries: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        queries.push(JSON.parse(init.body).query);
        const units = { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] };
        return new Response(
          JSON.stringify({
            data: {
              uncertainty: {
                __typename: "Uncertainty",
                nominalReproduced: true,
                excellentGrade: "excellent",
                units,
              },
            },
          }),
        );
      }),
    );
    const mc = await runUncertainty({ cycleId: "2018", seed: 1, group: null, scenarioId: null });
    expect(mc.excellentGrade).toBe("excellent");
    expect(queries[0]).toMatch(/\bpExcellent pLast\b/);
  });

  const unit = (
    unitId: string,
    nominalRank: number | null,
    pExcellent: number,
    pLast: number,
  ): UncertaintyUnit => ({
    unitId,
    name: unitId,
    group: "g",
    nominalRank,
    medianRank: nominalRank,
    p5Rank: nominalRank,
    p95Rank: nominalRank,
    pExcellent,
    pLast,
  });
  const units = [unit("A", 2, 0.4, 0), unit("B", 1, 0.9, 0), unit("C", null, 0, 0), unit("D", 3, 0.4, 0.7)];
  const ids = (us: UncertaintyUnit[]) => us.map((u) => u.unitId);

  it("sorts by a chance either way, ties in the official order", () => {
    expect(ids(sortUncertainty(units, "pExcellent", true))).toEqual(["B", "A", "D", "C"]);
    expect(ids(sortUncertainty(units, "pExcellent", false))).toEqual(["C", "A", "D", "B"]);
    expect(ids(sortUncertainty(units, "pLast", true))).toEqual(["D", "B", "A", "C"]);
  });

  it("puts a unit without a rank last, whichever way a rank column is sorted", () => {
    expect(ids(sortUncertainty(units, "nominalRank", false))).toEqual(["B", "A", "D", "C"]);
    expect(ids(sortUncertainty(units, "nominalRank", true))).toEqual(["D", "A", "B", "C"]);
    expect(ids(sortUncertainty(units, "name", true))).toEqual(["D", "C", "B", "A"]);
  });
});

describe("leave one category out", () => {
  type Shift = {
    unitId: string;
    rank: number | null;
    rankWithout: number | null;
    rankDelta: number | null;
    totalDelta: string | null;
    unit: { name: string; groupId: string } | null;
  };
  const shift = (
    unitId: string,
    groupId: string,
    rank: number | null,
    rankWithout: number | null,
  ): Shift => ({
    unitId,
    rank,
    rankWithout,
    rankDelta: rank === null || rankWithout === null ? null : rankWithout - rank,
    totalDelta: rank === null ? null : "-30",
    unit: { name: `unit ${unitId}`, groupId },
  });

  /**
   * A gateway answering leaveOneOut from `revisions[r]`, each category's shifts: every category,
   * or the one `category` names, each a page of the query's `first: n` from `after` (cursors are
   * row offsets). Its data changes whenever `changeAt`'s category is asked for from its cursor,
   * up to the last revision: that cursor is refused as STALE_CURSOR and every later answer is of
   * the next revision. Returns every request.
   */
  function leaveOneOutGateway(
    revisions: Record<string, Shift[]>[],
    changeAt?: { category: string; after: string },
  ) {
    let revision = 0;
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: { body: string }) => {
        const { query, variables } = JSON.parse(init.body);
        sent.push({ query, variables });
        if (!query.includes("leaveOneOut"))
          return new Response(
            JSON.stringify({ errors: [{ message: "this gateway answers leaveOneOut only" }] }),
          );
        if (
          variables.category === changeAt?.category &&
          variables.after === changeAt?.after &&
          revision < revisions.length - 1
        ) {
          revision++;
          return staleCursorResponse();
        }
        const first = Number(query.match(/shifts\(first: (\d+)/)![1]);
        const from = Number(variables.after ?? 0);
        const categories = Object.entries(revisions[revision]!)
          .filter(([category]) => variables.category == null || variables.category === category)
          .map(([category, shifts]) => ({
            category,
            meanAbsoluteRankShift: 1.5,
            unitsMoved: shifts.filter((s) => s.rankDelta).length,
            points: [{ category, points: "0" }],
            shifts: {
              pageInfo: { hasNextPage: from + first < shifts.length, endCursor: String(from + first) },
              edges: shifts.slice(from, from + first).map((node) => ({ node })),
            },
          }));
        return new Response(
          JSON.stringify({
            data: { leaveOneOut: { __typename: "LeaveOneOut", rescale: variables.rescale, categories } },
          }),
        );
      }),
    );
    return sent;
  }

  it("gives each unit of the group on screen both its ranks as the run gave them, with no ranking read beside", async () => {
    // Largest change first, as the gateway lists them; U3 is of another group.
    const sent = leaveOneOutGateway([
      {
        public: [
          shift("U1", "g", 1, 3),
          shift("U4", "g", 2, 1),
          shift("U3", "h", 1, 1),
          shift("U2", "g", null, null),
        ],
      },
    ]);
    const run = await runLeaveOneOut({ cycleId: "2018", rescale: true, group: "g", scenarioId: null });
    expect(run.rescale).toBe(true);
    expect(run.categories).toEqual([
      {
        category: "public",
        meanAbsoluteRankShift: 1.5,
        unitsMoved: 2,
        points: [{ category: "public", points: "0" }],
      },
    ]);
    expect(run.units).toEqual([
      {
        unitId: "U1",
        name: "unit U1",
        rank: 1,
        without: { public: { rankWithout: 3, rankDelta: 2, totalDelta: "-30" } },
      },
      {
        unitId: "U4",
        name: "unit U4",
        rank: 2,
        without: { public: { rankWithout: 1, rankDelta: -1, totalDelta: "-30" } },
      },
      // Unranked: last, and no rank without the category either.
      {
        unitId: "U2",
        name: "unit U2",
        rank: null,
        without: { public: { rankWithout: null, rankDelta: null, totalDelta: null } },
      },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.query).not.toMatch(/ranking/);
    expect(sent[0]!.variables).toMatchObject({ cycleId: "2018", rescale: true });
  });

  /** `n` units of group g, ranked in order, each falling one place without any category. */
  const many = (n: number, totalDelta = "-30") =>
    Array.from({ length: n }, (_, i) => ({ ...shift(`U${i}`, "g", i + 1, i + 2), totalDelta }));

  it("reads every shift of a category longer than one page, paging that category alone", async () => {
    const sent = leaveOneOutGateway([{ public: many(2500), organ: many(2500) }]);
    const run = await runLeaveOneOut({ cycleId: "2018", rescale: false, group: "g", scenarioId: null });
    expect(run.units).toHaveLength(2500);
    expect(run.units.at(-1)).toEqual({
      unitId: "U2499",
      name: "unit U2499",
      rank: 2500,
      without: {
        public: { rankWithout: 2501, rankDelta: 1, totalDelta: "-30" },
        organ: { rankWithout: 2501, rankDelta: 1, totalDelta: "-30" },
      },
    });
    // Every category with its first page at once, then each category's further pages on their own.
    expect(sent.map((r) => [r.variables.category ?? null, r.variables.after ?? null])).toEqual([
      [null, null],
      ["public", "1000"],
      ["public", "2000"],
      ["organ", "1000"],
      ["organ", "2000"],
    ]);
    // Pages the gateway's cost limit lets through.
    expect(sent.every((r) => /shifts\(first: 1000, after: \$after\)/.test(r.query))).toBe(true);
  });

  it("reads the whole run again when its data changed while a category was paged, so no two categories are of different data", async () => {
    // public is read whole before the write; organ's second page is refused: public is of the old data too.
    const sent = leaveOneOutGateway(
      [
        { public: many(1500, "-30"), organ: many(1500, "-30") },
        { public: many(1500, "-40"), organ: many(1500, "-40") },
      ],
      { category: "organ", after: "1000" },
    );
    const run = await runLeaveOneOut({ cycleId: "2018", rescale: false, group: "g", scenarioId: null });
    expect(run.units).toHaveLength(1500);
    const totals = new Set(run.units.flatMap((u) => Object.values(u.without).map((w) => w.totalDelta)));
    expect(totals).toEqual(new Set(["-40"]));
    expect(sent.map((r) => [r.variables.category ?? null, r.variables.after ?? null])).toEqual([
      [null, null],
      ["public", "1000"],
      ["organ", "1000"],
      [null, null],
      ["public", "1000"],
      ["organ", "1000"],
    ]);
  });

  it("gives up, saying the data keeps changing, when every read of the run is overtaken by a write", async () => {
    const revisions = Array.from({ length: 10 }, () => ({ public: many(1500) }));
    const sent = leaveOneOutGateway(revisions, { category: "public", after: "1000" });
    await expect(
      runLeaveOneOut({ cycleId: "2018", rescale: false, group: "g", scenarioId: null }),
    ).rejects.toMatchObject({
      code: "STALE_CURSOR",
    });
    // A few fresh starts, not one per write.
    expect(sent.filter((r) => r.variables.after == null)).toHaveLength(4);
  });
});
