import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { loadConfig, startServer } from "@pingyi/gateway";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  errorTypenames,
  type GraphQLResponse,
  loadQuery,
  QUERY_DIR,
  queryNames,
  runQuery,
} from "./queries.js";

// A real gateway on port 0 over an in-memory PGlite database holding the seed year.
const SECRET = "analyst-queries-test-secret-that-is-long-enough-for-hs256";
let server: Awaited<ReturnType<typeof startServer>>;
let token: string;

beforeAll(async () => {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    PINGYI_JWT_SECRET: SECRET,
    PINGYI_RATE_LIMIT: "0",
    PINGYI_DATA_DIR: "memory://",
  });
  server = await startServer({ config, seed: true });
  token = await server.gateway.services.tokens.sign!({ role: "analyst", subject: "analyst-queries" }, "1h");
}, 60_000);

afterAll(async () => {
  await server?.close(2000);
});

// Answers are checked by shape, field by field (tests may use `any`, see biome.json).
type Data = any;
const edges = (connection: { edges: { node: Data }[] }) => connection.edges.map((e) => e.node);

/** A total's change in whole hundredths, exact: the seed's totals have two decimals. */
function hundredths(delta: string): bigint {
  expect(delta).toMatch(/^-?\d+(\.\d{1,2})?$/);
  const [whole, fraction = ""] = delta.replace("-", "").split(".");
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, "0"));
  return delta.startsWith("-") ? -value : value;
}

/** One fact per question. A query without an entry here is still run and checked for errors. */
const checks: Record<string, (data: Data) => void | Promise<void>> = {
  ranking({ ranking }) {
    const rows = edges(ranking.entries);
    expect(rows).toHaveLength(29);
    expect(ranking.entries.pageInfo.hasNextPage).toBe(false);
    expect(rows.map((r: Data) => r.rank)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
    const u09 = rows.find((r: Data) => r.unitId === "U09");
    expect(u09).toMatchObject({
      rank: 9,
      name: "市市场监督管理局",
      total: "84.20",
      grade: { id: "excellent" },
    });
    expect(u09.categories.map((c: Data) => c.points)).toEqual(["26.40", "26.94", "30.86"]);
  },
  breakdown({ scoreBreakdown: u }) {
    expect(u).toMatchObject({ unitId: "U09", total: "84.20", rank: 9 });
    expect(u.categories.map((c: Data) => [c.category, c.points])).toEqual([
      ["business", "26.40"],
      ["organ", "26.94"],
      ["public", "30.86"],
    ]);
    for (const c of u.categories) expect(c.trace.length).toBeGreaterThan(0);
  },
  compare({ compare: c }) {
    expect(c.a).toMatchObject({ unitId: "U11", rank: 8, total: "84.52" });
    expect(c.b).toMatchObject({ unitId: "U09", rank: 9, total: "84.20" });
    expect(Number(c.totalDifference)).toBeCloseTo(0.32, 10);
  },
  "reform-what-if"({ whatIf }) {
    const [u09] = edges(whatIf.units).filter((u: Data) => u.unitId === "U09");
    expect(u09.baseline).toMatchObject({ total: "84.20", rank: 9, grade: "excellent" });
    expect(u09.scenario).toMatchObject({ total: "82.94", rank: 10, grade: "good" });
    expect(u09.rankDelta).toBe(1);
    expect(u09.parts.filter((p: Data) => p.delta !== "0").map((p: Data) => [p.part, p.delta])).toEqual([
      ["organ", "-8.98"],
      ["public", "7.72"],
    ]);
    expect(edges(whatIf.swaps)).toContainEqual(
      expect.objectContaining({ overtakerId: "U26", overtakenId: "U09" }),
    );
  },
  "weight-sweep"({ weightSweep: s }) {
    expect(s.breakpointCount).toBeGreaterThan(0);
    const [u09] = edges(s.unit);
    expect(u09.breakpoints.length).toBeGreaterThan(0);
    // 9th and excellent for public evaluation between about 35.67 and 46.20 points (others fixed).
    expect(u09.stability.fromApprox).toBeCloseTo(104470 / 2929, 6);
    expect(u09.stability.toApprox).toBeCloseTo(703800 / 15233, 6);
  },
  async uncertainty({ uncertainty: mc }) {
    expect(mc.parameters).toMatchObject({ samples: 200, seed: 2019 });
    const u09 = edges(mc.units).find((u: Data) => u.unitId === "U09");
    expect(u09.nominalRank).toBe(9);
    expect(u09.p5Rank).toBeLessThanOrEqual(u09.medianRank);
    expect(u09.medianRank).toBeLessThanOrEqual(u09.p95Rank);
    // Reproducible: the same seed gives the same answer.
    const again = await runQuery(server.url, token, loadQuery("uncertainty"));
    expect(again.data?.uncertainty).toEqual(mc);
  },
  "grade-depends-on-weights"({ uncertainty: mc, weightSweep: s }) {
    const unsettled = edges(mc.units).filter((u: Data) => u.pExcellent > 0 && u.pExcellent < 1);
    expect(unsettled.map((u: Data) => u.unitId)).toEqual(["U04", "U06", "U09", "U11", "U26"]);
    const grades = (u: Data) => [...new Set(u.segments.map((g: Data) => g.grade))];
    const regraded = edges(s.units).filter((u: Data) => grades(u).length > 1);
    expect(regraded.map((u: Data) => [u.unitId, grades(u)])).toEqual([
      ["U09", ["excellent", "good"]],
      ["U19", ["pass", "good"]],
      ["U26", ["good", "excellent"]],
    ]);
    // U11 keeps excellence on the whole path though it falls from 8th to 9th: its stability
    // interval (rank and grade together) ends where the grade does not.
    const u11 = edges(s.units).find((u: Data) => u.unitId === "U11");
    expect(u11.stability.toApprox).toBeCloseTo(75670 / 1707, 6);
    expect(u11.segments.every((g: Data) => g.grade === "excellent")).toBe(true);
  },
  "scheme-diff"({ schemeDiff }) {
    expect(schemeDiff.changes).toContainEqual({
      kind: "CHANGED",
      path: "categories[id=public].points",
      before: 40,
      after: 50,
    });
  },
  "year-on-year"({ rules, other }) {
    const published2018 = new Map(edges(other.units).map((u: Data) => [u.unitId, u.baseline]));
    // U02: 82.72 (15th) → 83.79 (12th) on its 2019 records under the 2018 rules, the data change
    // (+1.07); → 82.54 (10th) under the 2019 rules, the rule change (−1.25, rules' −totalDelta).
    const u02 = edges(rules.units).find((u: Data) => u.unitId === "U02");
    expect(published2018.get("U02")).toMatchObject({ exactTotal: "82.72", rank: 15 });
    expect(u02.scenario).toMatchObject({ exactTotal: "83.79", rank: 12 });
    expect(u02.baseline).toMatchObject({ exactTotal: "82.54", rank: 10 });
    expect([u02.totalDelta, u02.rankDelta]).toEqual(["1.25", 2]);
    // The other order: U26's rule change taken first, on 2018's records, is +0.74 (12th → 7th).
    const u26 = edges(other.units).find((u: Data) => u.unitId === "U26");
    expect([u26.totalDelta, u26.rankDelta]).toEqual(["0.74", -5]);
    // U02 rules first: −0.89 to the rules (15th → 12th), then its records 82.54 − 81.83 = +0.71.
    const o02 = edges(other.units).find((u: Data) => u.unitId === "U02");
    expect([o02.totalDelta, o02.rankDelta]).toEqual(["-0.89", -3]);
    expect(o02.scenario).toMatchObject({ exactTotal: "81.83", rank: 12 });
    // That data half by category, 2019's parts against the other middle's: organ construction only.
    const middleParts = new Map(o02.parts.map((p: Data) => [p.part, p.scenario]));
    const moved = u02.parts
      .filter((p: Data) => p.baseline !== middleParts.get(p.part))
      .map((p: Data) => p.part);
    expect(moved).toEqual(["organ"]);
    // The city is one page: nothing is cut off at 100.
    expect([rules.units.pageInfo.hasNextPage, other.units.pageInfo.hasNextPage]).toEqual([false, false]);
    // The organ vote cannot be taken back: the patch lists no organ method line.
    expect(rules.changes.map((c: Data) => c.path)).not.toContain("categories[id=organ].method.kind");
  },
  "compare-cycles"({ total, data, rules }) {
    const rows = (c: Data) => new Map(edges(c.analysis.units).map((u: Data) => [u.unitId, u]));
    const [t, d, r] = [rows(total), rows(data), rows(rules)];
    expect(t.size).toBe(29);
    // Both years hold the same 29 units: COMMON compares them all, and none is one-sided.
    expect([total.onlyBefore, total.onlyAfter, data.onlyBefore, data.onlyAfter]).toEqual([[], [], [], []]);
    // The middle cancels: per unit, the halves add up to the year's change exactly.
    for (const [unit, row] of t) {
      const halves = hundredths(d.get(unit).totalDelta) + hundredths(r.get(unit).totalDelta);
      expect(halves, unit).toBe(hundredths(row.totalDelta));
      expect(d.get(unit).rankDelta + r.get(unit).rankDelta, unit).toBe(row.rankDelta);
    }
    // U02: 82.72 (15th) → +1.07 on its records, all organ construction (12th) → −1.25 to the rules (10th).
    expect(t.get("U02")).toMatchObject({ totalDelta: "-0.18", rankDelta: -5 });
    expect(d.get("U02")).toMatchObject({ totalDelta: "1.07", rankDelta: -3 });
    expect(
      d
        .get("U02")
        .parts.filter((p: Data) => p.delta !== "0")
        .map((p: Data) => p.part),
    ).toEqual(["organ"]);
    expect(r.get("U02")).toMatchObject({ totalDelta: "-1.25", rankDelta: -2 });
    // U09's records did not change, yet U04 and U26 pass it on theirs.
    expect(d.get("U09").totalDelta).toBe("0");
    expect(edges(data.analysis.swaps)).toEqual(
      expect.arrayContaining([
        { overtakerId: "U04", overtakenId: "U09" },
        { overtakerId: "U26", overtakenId: "U09" },
      ]),
    );
    expect(data.analysis.groups).toMatchObject([{ unitsMoved: 16 }]);
    expect(rules.analysis.groups).toMatchObject([{ unitsMoved: 21 }]);
    // The middle is year-on-year's `back`, derived: what no patch takes back is organ's vote.
    const back = JSON.parse(readFileSync(join(QUERY_DIR, "year-on-year.variables.json"), "utf8")).back;
    expect(data.after).toMatchObject({ rulesOf: "2018", patch: back.patch });
    expect(data.after.rulesKept.map((c: Data) => c.path)).toContain("categories[id=organ].method.kind");
  },
  "leave-one-out"({ leaveOneOut }) {
    expect(leaveOneOut.categories.map((c: Data) => c.category)).toEqual(["public", "organ", "business"]);
  },
};

const names = queryNames();

describe("analyst queries", () => {
  it("every question is a commented .graphql file with its variables, and every check has its query", () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) {
      expect(existsSync(join(QUERY_DIR, `${name}.variables.json`)), `${name}.variables.json`).toBe(true);
      expect(readFileSync(join(QUERY_DIR, `${name}.graphql`), "utf8"), name).toMatch(/^#/);
    }
    expect(names).toEqual(expect.arrayContaining(Object.keys(checks)));
  });

  it.each(names)(
    "%s runs against a live gateway without errors",
    async (name) => {
      const body: GraphQLResponse = await runQuery(server.url, token, loadQuery(name));
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(body.data).toBeTruthy();
      expect(errorTypenames(body.data), JSON.stringify(body.data).slice(0, 500)).toEqual([]);
      await checks[name]?.(body.data);
    },
    20_000,
  );

  it("run.ts prints the answers as JSON", async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", tsx, join(QUERY_DIR, "run.ts"), server.url, token, "scheme-diff", "compare"],
        { encoding: "utf8" },
        (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["scheme-diff", "compare"]);
    expect(out.compare.data.compare.b.total).toBe("84.20");
  }, 20_000);
});
