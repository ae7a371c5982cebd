/**
 * What a weight sweep is charged against a request's work budget: the crossings the engine
 * estimates it will step through in the range asked, not its group's size. The cycle is the
 * review's: 1,400 units in one ranked group whose scores tie a lot, so that many pairs meet at
 * each breakpoint. Priced by size (2.5 work units per pair) every range of it cost 4,901,000 of
 * the 5,000,000, and swept to 999,999 it took 10.5 s, holding up every other request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORK_PER_REQUEST } from "../src/limits.js";
import { crossingScheme, loadCrossingCycle } from "./crossing-cycle.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";

const UNITS = 1400;

interface Refusal {
  __typename: "ValidationError";
  issues: { path: string; message: string }[];
}

const REFUSED =
  /^this sweep is too large for one request \(estimated ([\d,]+) work units, ([\d,]+) left of 5,000,000\): ask for less, or split it over several requests$/;

const scheme = crossingScheme("ties", UNITS);

describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend });
    // Many pairs of the 1,400 units meet at one point.
    await loadCrossingCycle(t, scheme, UNITS);
  }, 180_000);
  afterAll(() => t?.close());

  const sweep = (name: string, args: string) =>
    `${name}: weightSweep(cycleId: "ties", category: "work"${args}) { __typename
      ... on WeightSweep { breakpointCount } ... on ValidationError { issues { path message } } }`;

  it("refuses the group swept far before it runs, saying its estimate and what is left", async () => {
    const baselines = t.gateway.services.baselines;
    baselines.clear();
    const runs = baselines.analysisRuns;
    const { body } = await t.gql(`{ ${sweep("far", `, to: "999999"`)} }`, {}, { as: "analyst" });
    expect(body.errors).toBeUndefined();
    const refusal: Refusal = body.data.far;
    expect(refusal.__typename).toBe("ValidationError");
    expect(refusal.issues).toHaveLength(1);
    expect(refusal.issues[0]!.path).toBe("category");
    const [, estimate, left] = REFUSED.exec(refusal.issues[0]!.message) ?? [];
    expect(Number(left!.replaceAll(",", ""))).toBe(WORK_PER_REQUEST);
    // ~485,000 crossings: more than a request may spend (by size it was 4,901,000).
    expect(Number(estimate!.replaceAll(",", ""))).toBeGreaterThan(WORK_PER_REQUEST);
    expect(baselines.analysisRuns).toBe(runs);
  }, 60_000);

  it("prices a narrow range by its few crossings: it and the default range fit one request", async () => {
    // By size each cost 4,901,000, so the second was refused whatever its range.
    const { body } = await t.gql(
      `{ ${sweep("narrow", `, from: "59", to: "61"`)} ${sweep("whole", "")} }`,
      {},
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.narrow.__typename).toBe("WeightSweep");
    expect(body.data.whole.__typename).toBe("WeightSweep");
    expect(body.data.narrow.breakpointCount).toBeGreaterThan(0);
    expect(body.data.whole.breakpointCount).toBeGreaterThan(body.data.narrow.breakpointCount);
  }, 120_000);

  it("prices a page of a sweep already run as the sweep, from its kept estimate", async () => {
    // The default range spelled out is the same sweep (and estimate): two of it pass the budget.
    const { body } = await t.gql(
      `{ ${sweep("a", "")} ${sweep("b", `, from: "0.0", to: "100"`)} }`,
      {},
      { as: "analyst" },
    );
    expect(body.errors).toBeUndefined();
    const answers = [body.data.a, body.data.b];
    expect(answers.map((a) => a.__typename).sort()).toEqual(["ValidationError", "WeightSweep"]);
    const refusal: Refusal = answers.find((a) => a.__typename === "ValidationError");
    const [, estimate, left] = REFUSED.exec(refusal.issues[0]!.message) ?? [];
    // What the first was charged is what the second would be.
    expect(Number(estimate!.replaceAll(",", "")) + Number(left!.replaceAll(",", ""))).toBe(WORK_PER_REQUEST);
  }, 60_000);

  it("prices a sweep under a quota over all ranked units with the walk over all of them, whatever groups", async () => {
    // A second ranked group of one unit, and a quota over both groups: its grades take one
    // more walk over all 1,400 units, whichever groups are swept. With two quotas that is the
    // walk of every unit; with one from the top, the walk along its boundary, priced as that.
    const quota = { id: "excellent", name: "excellent", quota: { percent: 30, scope: "overall" } };
    const last = { id: "last", name: "last", quota: { count: 0, from: "bottom", scope: "overall" } };
    const groups = [...scheme.groups, { id: "h", name: "one", ranked: true }];
    for (const [version, rules] of [
      [2, [quota]],
      [3, [quota, last]],
    ] as const)
      await t.store.schemes.publish("test", {
        schemeId: "ties",
        basedOn: version - 1,
        document: { ...scheme, version, groups, grades: { rules } },
        reason: "quota over all",
      });
    const move = async (version: number) =>
      (
        await t.gql(
          `mutation { setCycleScheme(cycleId: "ties", schemeId: "ties", version: ${version}) { __typename } }`,
          {},
          { as: "admin" },
        )
      ).body.data.setCycleScheme.__typename;
    const regroup = async (group: string) =>
      (
        await t.gql(
          `mutation($u: UnitInput!) { upsertUnit(cycleId: "ties", input: $u) { __typename } }`,
          { u: { id: "U1399", name: "Unit 1399", group } },
          { as: "admin" },
        )
      ).body.data.upsertUnit.__typename;
    // The unit moves to the group the new versions add, and back before the cycle's first version.
    expect(await move(2)).toBe("Cycle");
    expect(await regroup("h")).toBe("Unit");
    try {
      for (const version of [2, 3]) {
        expect(await move(version)).toBe("Cycle");
        // The group of one unit swept alone: by its size nearly free, but it pays for the walk
        // over all 1,400 units' ~350,000 crossings, and is refused before it runs.
        const { body } = await t.gql(`{ ${sweep("one", `, groups: ["h"]`)} }`, {}, { as: "analyst" });
        expect(body.errors).toBeUndefined();
        const refusal: Refusal = body.data.one;
        expect(refusal.issues).toEqual([
          {
            path: "category",
            message: expect.stringMatching(
              /^this sweep \(its grade quota over all ranked units walks all 1,400 of them together\) is too large for one request \(estimated [\d,]+ work units, 5,000,000 left of 5,000,000\)/,
            ),
          },
        ]);
        // Over a range where fewer of them cross, it runs.
        const narrow = await t.gql(
          `{ ${sweep("one", `, groups: ["h"], from: "59", to: "61"`)} }`,
          {},
          {
            as: "analyst",
          },
        );
        expect(narrow.body.data.one.__typename).toBe("WeightSweep");
      }
    } finally {
      expect(await regroup("g")).toBe("Unit");
      expect(await move(1)).toBe("Cycle");
    }
  }, 120_000);
});
