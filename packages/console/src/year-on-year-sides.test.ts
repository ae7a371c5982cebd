import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradeNamer, sideGradeNamer } from "./grade-names";
import type { Cycle } from "./queries";
import type { SchemeDocument, WhatIfUnit } from "./whatif-api";
import type { OneSidedUnit } from "./year-on-year-api";
import {
  cycleName,
  earlierCycle,
  movesOf,
  oneSidedListed,
  sideNames,
  withCategoriesOf,
} from "./year-on-year-sides";

const cycle = (id: string, year: number): Cycle => ({
  id,
  name: `${year}年度`,
  year,
  status: "OPEN",
  schemeId: "city-review",
  schemeVersion: 1,
});
// As the gateway lists them: newest year first.
const cycles = [cycle("2020", 2020), cycle("2019", 2019), cycle("2018", 2018)];

describe("earlierCycle", () => {
  it("is the URL's cycle when it is one of the list", () => {
    expect(earlierCycle(cycles, "2018", cycles[0]!)?.id).toBe("2018");
    // Even later than the compared one: the analyst asked for it.
    expect(earlierCycle(cycles, "2020", cycles[2]!)?.id).toBe("2020");
  });

  it("defaults to the newest cycle of a year before the compared one's: the two newest by default", () => {
    expect(earlierCycle(cycles, null, cycles[0]!)?.id).toBe("2019");
    expect(earlierCycle(cycles, "gone", cycles[1]!)?.id).toBe("2018");
    // Nothing older: none, not a later one (the year read backwards).
    expect(earlierCycle(cycles, null, cycles[2]!)).toBeNull();
    expect(earlierCycle([cycle("2019a", 2019), cycle("2019b", 2019)], null, cycle("2019b", 2019))).toBeNull();
    expect(earlierCycle([cycles[0]!], null, cycles[0]!)).toBeNull();
    expect(earlierCycle([], null, null)).toBeNull();
  });

  it("never takes the compared cycle as its own base, even named: the default instead", () => {
    expect(earlierCycle(cycles, "2019", cycles[1]!)?.id).toBe("2018");
    expect(earlierCycle(cycles, "2018", cycles[2]!)).toBeNull();
    expect(earlierCycle(cycles, "2020", cycles[0]!)?.id).toBe("2019");
  });

  it("is the newest cycle of an earlier year, or none when no cycle is older; never the compared one", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1990, max: 2200 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (years, at) => {
          const list = years.map((y) => cycle(String(y), y));
          const later = list[at % list.length]!;
          const earlier = earlierCycle(list, later.id, later);
          const older = years.filter((y) => y < later.year);
          expect(earlier?.year ?? null).toBe(older.length > 0 ? Math.max(...older) : null);
        },
      ),
    );
  });
});

const scheme2018: SchemeDocument = {
  categories: [
    { id: "work", name: "业务工作", points: 30 },
    { id: "organ", name: "机关建设", points: 30 },
    { id: "public", name: "公众评议", points: 40 },
  ],
  groups: [{ id: "g", name: "组" }],
  grades: {
    rules: [
      { id: "excellent", name: "优秀（旧）" },
      { id: "old", name: "旧等次" },
    ],
  },
};
const scheme2019: SchemeDocument = {
  categories: [
    { id: "work", name: "业务工作", points: 30 },
    { id: "public", name: "公众评议", points: 50 },
    { id: "service", name: "服务", points: 20 },
  ],
  groups: [{ id: "g", name: "组" }],
  grades: { rules: [{ id: "excellent", name: "优秀" }], fallback: { id: "fair", name: "一般" } },
};

describe("withCategoriesOf", () => {
  it("names the categories of both schemes, the later scheme's first and as it names them", () => {
    expect(withCategoriesOf(scheme2019, scheme2018).categories.map((c) => c.id)).toEqual([
      "work",
      "public",
      "service",
      "organ",
    ]);
  });
});

describe("gradeNamer", () => {
  it("names a grade as the first scheme that has it does", () => {
    const grade = gradeNamer(scheme2019, scheme2018);
    expect([grade("excellent"), grade("old"), grade("fair"), grade("unknown"), grade(null)]).toEqual([
      "优秀",
      "旧等次",
      "一般",
      "unknown",
      "—",
    ]);
  });
});

describe("sideGradeNamer", () => {
  // A unit merged away is listed with its grade as its base cycle's scheme names it (the
  // gateway's gradeName): the table's base column must read a grade alike.
  it("names each side's grade by the scheme it was given under, the other's where that one names none", () => {
    const grade = sideGradeNamer(scheme2018, scheme2019);
    expect([grade("excellent", "baseline"), grade("excellent", "scenario")]).toEqual(["优秀（旧）", "优秀"]);
    expect([grade("old", "scenario"), grade("fair", "baseline")]).toEqual(["旧等次", "一般"]);
    expect([grade("unknown", "baseline"), grade(null, "scenario")]).toEqual(["unknown", "—"]);
  });
});

describe("sideNames", () => {
  it("names the cycles by year, or by id when both are of one year", () => {
    expect(sideNames(cycles[1]!, cycles[0]!)).toEqual({ baseline: "2019", scenario: "2020" });
    expect(sideNames(cycle("2019a", 2019), cycle("2019b", 2019))).toEqual({
      baseline: "2019a",
      scenario: "2019b",
    });
  });
});

describe("cycleName", () => {
  it("names a cycle by its year, or by its id when another listed cycle is of that year", () => {
    expect(cycleName(cycles, cycles[1]!)).toBe("2019");
    const twins = [cycle("2019a", 2019), cycle("2019b", 2019), cycles[2]!];
    expect([cycleName(twins, twins[0]!), cycleName(twins, twins[2]!)]).toEqual(["2019a", "2018"]);
  });
});

const row = (rankDelta: number | null, grades: [string | null, string | null]): WhatIfUnit => {
  const standing = (grade: string | null) => ({
    group: "g",
    total: "80",
    rank: 1,
    rankedInGroup: 1,
    grade,
    eligibleForExcellence: true,
    eligibleForAward: true,
  });
  return {
    unitId: "U",
    name: "U",
    baseline: standing(grades[0]),
    scenario: standing(grades[1]),
    totalDelta: "0",
    rankDelta,
    parts: [],
  };
};

describe("movesOf", () => {
  it("counts a negative rankDelta as a rise, a positive one as a fall, and grade changes apart", () => {
    expect(
      movesOf([
        row(-5, ["good", "good"]),
        row(2, ["excellent", "good"]),
        row(0, [null, "fair"]),
        row(null, ["fair", "fair"]),
        row(1, ["good", "good"]),
      ]),
    ).toEqual({ rose: 1, fell: 2, grades: 2, movedGroup: 0 });
  });

  it("counts a unit whose group differs between the sides apart, neither risen, fallen nor still", () => {
    const regrouped = (delta: number | null) => {
      const u = row(delta, ["good", "good"]);
      return { ...u, scenario: { ...u.scenario, group: "g-new" } };
    };
    expect(movesOf([regrouped(null), regrouped(null), row(-1, ["good", "good"])])).toEqual({
      rose: 1,
      fell: 0,
      grades: 0,
      movedGroup: 2,
    });
    // Whatever a delta says, ranks of two groups are not a move.
    expect(movesOf([regrouped(-3)])).toEqual({ rose: 0, fell: 0, grades: 0, movedGroup: 1 });
  });
});

describe("oneSidedListed", () => {
  const unit = (unitId: string, group: string, rank: number | null): OneSidedUnit => ({
    unitId,
    name: unitId,
    standing: { group, rank, rankedInGroup: 3, total: null, grade: null, gradeName: null },
  });

  it("lists every unit: the studied group's first, then by group, by rank, those without one last", () => {
    const units = [
      unit("A", "g", null),
      unit("B", "h", 1),
      unit("C", "g", 2),
      unit("X", "unranked", null),
      unit("D", "g", null),
      unit("G", "gone", 1),
      unit("E", "g", 1),
    ];
    const groups = ["h", "g", "unranked"];
    expect(oneSidedListed(units, "g", groups).map((u) => u.unitId)).toEqual([
      "E",
      "C",
      "A",
      "D",
      "B",
      "X",
      "G",
    ]);
    expect(oneSidedListed(units, "h", groups).map((u) => u.unitId)).toEqual([
      "B",
      "E",
      "C",
      "A",
      "D",
      "X",
      "G",
    ]);
    // A group the compared scheme no longer has, or none studied: every unit still listed.
    expect(oneSidedListed(units, "other", groups).map((u) => u.unitId)).toEqual([
      "B",
      "E",
      "C",
      "A",
      "D",
      "X",
      "G",
    ]);
    expect(oneSidedListed(units, null, groups)).toHaveLength(7);
  });

  it("lists each unit once, a group's together, the studied one's first, by rank, and leaves its input as it was", () => {
    const groupIds = ["g", "h", "u", "gone"];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...groupIds), fc.option(fc.integer({ min: 1, max: 5 }), { nil: null })),
        ),
        fc.constantFrom<string | null>(null, ...groupIds),
        fc.shuffledSubarray(groupIds),
        (rows, studied, groups) => {
          const units = rows.map(([g, r], i) => unit(`U${i}`, g, r));
          const copy = [...units];
          const listed = oneSidedListed(units, studied, groups);
          expect(units).toEqual(copy);
          expect(listed.map((u) => u.unitId).sort()).toEqual(units.map((u) => u.unitId).sort());
          const order = listed.map((u) => u.standing.group).filter((g, i, all) => all.indexOf(g) === i);
          // Each group's units side by side, the studied one's first, the scheme's in its order.
          expect(listed.map((u) => u.standing.group)).toEqual(
            order.flatMap((g) => listed.filter((u) => u.standing.group === g).map(() => g)),
          );
          if (studied !== null && order.includes(studied)) expect(order[0]).toBe(studied);
          const known = order.filter((g) => g !== studied && groups.includes(g));
          expect(known).toEqual([...known].sort((a, b) => groups.indexOf(a) - groups.indexOf(b)));
          for (const g of order) {
            const ranks = listed.filter((u) => u.standing.group === g).map((u) => u.standing.rank);
            const ranked = ranks.filter((r): r is number => r !== null);
            expect(ranks).toEqual([...[...ranked].sort((a, b) => a - b), ...ranks.filter((r) => r === null)]);
          }
        },
      ),
    );
  });
});
