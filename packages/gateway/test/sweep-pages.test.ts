/**
 * A sweep's pages are bounded by the segments they hold, not only by their rows: a unit's
 * segments grow with the units it crosses, and one page of 2,000 units of a group of 1,000 swept
 * to 1,000,000 held 375,000 of them (36 MB). Here 400 units of one group, swept to 1,000,000,
 * have about 65,000 segments: more than one request's pages may hold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SWEEP_SEGMENTS_PER_REQUEST } from "../src/limits.js";
import { crossingScheme, loadCrossingCycle } from "./crossing-cycle.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const UNITS = 400;

interface SweepUnit {
  unitId: string;
  segments?: unknown[];
  breakpoints?: string[];
}
interface SweepPage {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  edges: { node: SweepUnit }[];
}

const PAGE_INFO = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";
const sweep = (units: string) =>
  `weightSweep(cycleId: "crowd", category: "public", to: "1000000") { __typename ... on WeightSweep { ${units} } }`;

const segmentsOf = (page: SweepPage) => page.edges.reduce((n, e) => n + (e.node.segments?.length ?? 0), 0);

describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend });
    await loadCrossingCycle(t, crossingScheme("crowd", UNITS), UNITS);
  }, 180_000);
  afterAll(() => t?.close());

  /** Every unit of the sweep read forwards, `first` at a time, as the console reads them. */
  async function readForwards(first: number): Promise<{ pages: SweepPage[]; units: SweepUnit[] }> {
    const pages: SweepPage[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await t.gql(
        `query($after: String) { ${sweep(`units(first: ${first}, after: $after) { ${PAGE_INFO}
          edges { node { unitId breakpoints segments { from to rank grade } } } }`)} }`,
        { after },
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const page: SweepPage = body.data.weightSweep.units;
      pages.push(page);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages.length).toBeLessThan(UNITS);
    }
    return { pages, units: pages.flatMap((p) => p.edges.map((e) => e.node)) };
  }

  it("ends a page before the unit whose segments would pass the request's, and pages on from there", async () => {
    const { pages, units } = await readForwards(500);
    const everySegment = units.reduce((n, u) => n + (u.segments?.length ?? 0), 0);
    expect(everySegment).toBeGreaterThan(SWEEP_SEGMENTS_PER_REQUEST);
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, page] of pages.entries()) {
      expect(segmentsOf(page)).toBeLessThanOrEqual(SWEEP_SEGMENTS_PER_REQUEST);
      expect(page.totalCount).toBe(UNITS);
      expect(page.pageInfo.endCursor).not.toBeNull();
      // A page is cut only where the next unit would not have fitted.
      if (i < pages.length - 1) {
        const next = pages[i + 1]!.edges[0]!.node.segments!.length;
        expect(segmentsOf(page) + next).toBeGreaterThan(SWEEP_SEGMENTS_PER_REQUEST);
      }
    }
    // Every unit once, in the dataset's order, as a page that asks for no segments lists them.
    const { body } = await t.gql(
      `{ ${sweep(`units(first: 500) { ${PAGE_INFO} edges { node { unitId } } }`)} }`,
      {},
      { as: "analyst" },
    );
    const plain: SweepPage = body.data.weightSweep.units;
    expect(plain.edges).toHaveLength(UNITS);
    expect(plain.pageInfo.hasNextPage).toBe(false);
    expect(units.map((u) => u.unitId)).toEqual(plain.edges.map((e) => e.node.unitId));
    // Smaller pages read the same units.
    const smaller = await readForwards(150);
    expect(smaller.units).toEqual(units);
  }, 120_000);

  it("shares the bound among every sweep page of a request, and gives each page a unit at least", async () => {
    // Pages of every unit, three of them within the query's static cost.
    const page = `units(first: ${UNITS}) { ${PAGE_INFO} edges { node { unitId ...breaks } } }`;
    const { body } = await t.gql(
      `{ a: ${sweep(page)} b: ${sweep(page)} c: ${sweep(page.replace("first", "last"))} }
      fragment breaks on UnitSweep { breakpoints segments { from } }`,
      {},
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    const pages: SweepPage[] = ["a", "b", "c"].map((k) => body.data[k].units);
    const together = pages.reduce((n, p) => n + segmentsOf(p), 0);
    // Each page holds a unit even once the request has none left; the rest fit in the bound.
    const firsts = pages.reduce((n, p) => n + p.edges[0]!.node.segments!.length, 0);
    expect(together).toBeLessThanOrEqual(SWEEP_SEGMENTS_PER_REQUEST + firsts);
    for (const p of pages) expect(p.edges.length).toBeGreaterThanOrEqual(1);
    expect(pages.filter((p) => p.edges.length < UNITS).length).toBeGreaterThanOrEqual(2);
    expect(pages[0]!.pageInfo.hasNextPage).toBe(true);
    // Under `last`, the page keeps the units nearest its end and says more lie before them.
    const last = pages[2]!;
    expect(last.edges.at(-1)!.node.unitId).toBe(`U0${UNITS - 1}`);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    expect(last.pageInfo.hasNextPage).toBe(false);
  }, 120_000);

  it("pages backwards from a cut under last, to the first unit", async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(UNITS);
      const { body } = await t.gql(
        `query($before: String) { ${sweep(`units(last: 500, before: $before) { ${PAGE_INFO}
          edges { node { unitId segments { from } } } }`)} }`,
        { before },
        { as: "analyst" },
      );
      expect(body.errors).toBeUndefined();
      const page: SweepPage = body.data.weightSweep.units;
      expect(segmentsOf(page)).toBeLessThanOrEqual(SWEEP_SEGMENTS_PER_REQUEST);
      seen.unshift(...page.edges.map((e) => e.node.unitId));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(seen).toEqual(Array.from({ length: UNITS }, (_, i) => `U${String(i).padStart(4, "0")}`));
  }, 120_000);
});
