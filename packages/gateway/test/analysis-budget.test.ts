/**
 * What one token subject may spend on analyses in a minute (PINGYI_ANALYSIS_SECONDS_PER_MINUTE),
 * on a cycle of 1,000 units: a Monte-Carlo run of 4,000 samples is priced at 4,150,000 work units
 * (≈ 1.2 s), so a minute of 2 s holds one and refuses the second, whoever else runs theirs.
 * Reading a cached run's further pages runs nothing, and is not charged. A subject past its minute
 * is refused a run not made yet before the gateway estimates its price or checks its alternatives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crossingRecords } from "./crossing-cycle.js";
import { backends, startTestServer, type TestServer } from "./helpers.js";
import { importUnitsAndScores } from "./imported-cycle.js";
import { loadWideCycle, WIDE_UNITS } from "./wide-cycle.js";

const monteCarlo = (samples: number, seed: number) =>
  `{ uncertainty(cycleId: "wide", samples: ${samples}, seed: ${seed}) {
      __typename ... on ValidationError { issues { path message } } } }`;

/** `units(first: 500, after)`: one page of a run's units, as the console reads them. */
const unitsPage = (after: string | null) =>
  `units(first: 500, after: ${JSON.stringify(after)}) { pageInfo { endCursor } edges { node { unitId } } }`;

/** A page of a Monte-Carlo run's units. */
const monteCarloPage = (samples: number, seed: number, after: string | null) =>
  `{ uncertainty(cycleId: "wide", samples: ${samples}, seed: ${seed}) {
      __typename ... on Uncertainty { ${unitsPage(after)} } } }`;

/** A page of a sweep's units: `category` swept over the whole scheme, the others fixed. */
const sweepPage = (category: string, after: string | null) =>
  `{ weightSweep(cycleId: "wide", category: "${category}") {
      __typename ... on WeightSweep { ${unitsPage(after)} } } }`;

const leaveOneOut = `{ leaveOneOut(cycleId: "wide") { __typename ... on LeaveOneOut { rescale } } }`;

describe.each(backends)("%s", (backend) => {
  let t: TestServer;

  /** POSTs `query` as `role` of `subject`, with the reply's Retry-After. */
  const ask = async (subject: string, query: string, role: "analyst" | "admin" = "analyst") => {
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await t.token(role, subject)}`,
      },
      body: JSON.stringify({ query }),
    });
    return { retryAfter: res.headers.get("retry-after"), body: await res.json() };
  };

  /** The units of a page `ask` answered, under `field`, and the cursor after them. */
  const pageOf = (answer: Awaited<ReturnType<typeof ask>>, field: string) => {
    expect(answer.body.errors).toBeUndefined();
    const units = answer.body.data[field].units;
    return {
      ids: units.edges.map((e: { node: { unitId: string } }) => e.node.unitId) as string[],
      after: units.pageInfo.endCursor as string,
    };
  };

  beforeAll(async () => {
    t = await startTestServer({ seed: false, backend, env: { PINGYI_ANALYSIS_SECONDS_PER_MINUTE: "2" } });
    await loadWideCycle(t.store, { groups: 1, versions: 2 });
  }, 180_000);
  afterAll(() => t?.close());

  it("refuses a subject's second heavy analysis in a minute with RATE_LIMITED, while another subject runs its own", async () => {
    expect((await ask("ann", monteCarlo(4000, 1))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
    const refused = await ask("ann", monteCarlo(4000, 2));
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors).toHaveLength(1);
    const [error] = refused.body.errors;
    expect(error.message).toMatch(
      /^this token's subject has spent 1\.2 s of the 2 s of estimated analysis work the gateway allows one subject a minute \(PINGYI_ANALYSIS_SECONDS_PER_MINUTE\), and this Monte-Carlo run is estimated at 1\.2 s: retry in \d+ s, or ask for less$/,
    );
    // Said to programs too, and in the header the console waits by; nothing else of the refusal
    // (yoga's `http`) reaches the client.
    expect(error.extensions).toEqual({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
    expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
    expect(error.extensions.retryAfter).toBeLessThanOrEqual(60);
    expect(error.message).toContain(`retry in ${error.extensions.retryAfter} s`);
    expect(refused.retryAfter).toBe(String(error.extensions.retryAfter));
    // Another subject has a minute of its own.
    expect((await ask("bob", monteCarlo(4000, 2))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
    // What was refused was not charged: a smaller run still fits ann's minute.
    expect((await ask("ann", monteCarlo(1000, 3))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
  });

  it("does not charge what one request's budget refuses", async () => {
    // 5,000 samples of 1,000 units is 5,150,000 work units, past a request's 5,000,000: refused
    // as too large, which leaves the whole minute to the run after it.
    expect((await ask("cy", monteCarlo(5000, 1))).body.data.uncertainty).toEqual({
      __typename: "ValidationError",
      issues: [{ path: "samples", message: expect.stringMatching(/is too large for one request/) }],
    });
    expect((await ask("cy", monteCarlo(4000, 4))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
  });

  it("does not charge the check a scheme move runs, which guards an administrator's write", async () => {
    // Runs of 4,150,000 and 2,150,000 leave dee 366,666 of the minute; the move's check of the
    // cycle under both versions is priced at 600,000.
    for (const [samples, seed] of [
      [4000, 5],
      [2000, 6],
    ])
      expect((await ask("dee", monteCarlo(samples!, seed!), "admin")).body).toEqual({
        data: { uncertainty: { __typename: "Uncertainty" } },
      });
    const moved = await ask(
      "dee",
      `mutation { setCycleScheme(cycleId: "wide", schemeId: "wide", version: 2) {
        __typename ... on Cycle { schemeVersion } } }`,
      "admin",
    );
    expect(moved.body).toEqual({ data: { setCycleScheme: { __typename: "Cycle", schemeVersion: 2 } } });
    // Had the check been charged, the move would have been refused; what it would have taken is
    // left: one more run of 250,000 fits, and no second one.
    expect((await ask("dee", monteCarlo(100, 7), "admin")).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
    const refused = await ask("dee", monteCarlo(100, 8), "admin");
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  it("charges a Monte-Carlo run once, not each page of it read from the cache", async () => {
    // 4,150,000 of eve's 6,666,666: a second page charged as the run would not fit.
    const first = pageOf(await ask("eve", monteCarloPage(4000, 21, null)), "uncertainty");
    const second = pageOf(await ask("eve", monteCarloPage(4000, 21, first.after)), "uncertainty");
    // Every unit of the run, each once, as the console reads them.
    expect(new Set([...first.ids, ...second.ids]).size).toBe(WIDE_UNITS);
    // A run not made yet is work to do, and does not fit what is left.
    const refused = await ask("eve", monteCarloPage(4000, 22, null));
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(refused.body.errors[0].message).toMatch(
      /has spent 1\.2 s of the 2 s .* and this Monte-Carlo run is estimated at 1\.2 s/,
    );
  });

  it("charges a weight sweep once, not each page of it read from the cache", async () => {
    // The sweep of work over the whole scheme is priced at 2,139,722 (the cycle is on version 2
    // by now) and the run after it at 4,150,000: 6,289,722 of fay's 6,666,666.
    const first = pageOf(await ask("fay", sweepPage("work", null)), "weightSweep");
    expect((await ask("fay", monteCarlo(4000, 23))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
    const second = pageOf(await ask("fay", sweepPage("work", first.after)), "weightSweep");
    expect(second.ids).toHaveLength(500);
    expect(second.ids).not.toContain(first.ids.at(-1));
    // Another category's sweep (2,193,566) is a run to make.
    const refused = await ask("fay", sweepPage("public", null));
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(refused.body.errors[0].message).toMatch(/and this sweep is estimated at 0\.7 s/);
  });

  it("charges leave-one-out once, not each read of it from the cache", async () => {
    // 300,000, then runs of 4,150,000 and 2,150,000: 6,600,000 of gus's 6,666,666.
    expect((await ask("gus", leaveOneOut)).body).toEqual({
      data: { leaveOneOut: { __typename: "LeaveOneOut", rescale: false } },
    });
    for (const [samples, seed] of [
      [4000, 24],
      [2000, 25],
    ])
      expect((await ask("gus", monteCarlo(samples!, seed!))).body).toEqual({
        data: { uncertainty: { __typename: "Uncertainty" } },
      });
    expect((await ask("gus", leaveOneOut)).body).toEqual({
      data: { leaveOneOut: { __typename: "LeaveOneOut", rescale: false } },
    });
    const refused = await ask("gus", leaveOneOut.replace("{ leaveOneOut(", "{ leaveOneOut(rescale: true, "));
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  /**
   * Runs of 4,150,000 and (1,000 × `second` + 150,000): by default 2,492,000, so 6,642,000 of
   * `subject`'s 6,666,666, 24,666 left.
   */
  const spendMinute = async (subject: string, seed: number, second = 2342) => {
    for (const samples of [4000, second])
      expect((await ask(subject, monteCarlo(samples, seed + samples))).body).toEqual({
        data: { uncertainty: { __typename: "Uncertainty" } },
      });
  };

  /** A refusal of a subject past its minute, with the reply's Retry-After. */
  const expectOverMinute = (answer: Awaited<ReturnType<typeof ask>>, price: RegExp) => {
    expect(answer.body.data).toBeNull();
    const [error] = answer.body.errors;
    expect(error.extensions).toEqual({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
    expect(error.message).toMatch(
      /^this token's subject has spent 2 s of the 2 s of estimated analysis work the gateway allows one subject a minute \(PINGYI_ANALYSIS_SECONDS_PER_MINUTE\), and /,
    );
    expect(error.message).toMatch(price);
    expect(answer.retryAfter).toBe(String(error.extensions.retryAfter));
  };

  it("charges a sweep's estimate when it is made: a subject past its minute has none made, and serves it one kept", async () => {
    const baselines = t.gateway.services.baselines;
    const sweep = (from: number) =>
      `{ weightSweep(cycleId: "wide", category: "work", from: "${from}", to: "90") {
        __typename ... on WeightSweep { from } } }`;
    const swept = (from: number) => ({
      data: { weightSweep: { __typename: "WeightSweep", from: String(from) } },
    });
    // Any sweep of the cycle's 1,000 units under 2 categories is priced at 25,000 or more.
    await spendMinute("hal", 26);
    expect((await ask("ivy", sweep(10))).body).toEqual(swept(10));
    const estimates = baselines.estimateRuns;
    const runs = baselines.analysisRuns;
    // A kept sweep is served, not charged.
    expect((await ask("hal", sweep(10))).body).toEqual(swept(10));
    // Each range not run yet would be estimated (~120 ms at province scale) only to be refused.
    for (const from of [11, 12, 13])
      expectOverMinute(
        await ask("hal", sweep(from)),
        /and this sweep's estimate is estimated at less than 0\.1 s: retry in \d+ s, or ask for less$/,
      );
    expect(baselines.estimateRuns).toBe(estimates);
    // Nothing of the refusals was kept, nor counted as a run.
    expect(baselines.analysisRuns).toBe(runs);
    expect((await ask("ivy", sweep(11))).body).toEqual(swept(11));
    expect([baselines.estimateRuns, baselines.analysisRuns]).toEqual([estimates + 1, runs + 1]);
  });

  it("charges each estimate made to a subject with room for it but not for the sweep, until none fits", async () => {
    const baselines = t.gateway.services.baselines;
    const sweep = (from: number) =>
      `{ weightSweep(cycleId: "wide", category: "public", from: "${from}", to: "90") {
        __typename ... on WeightSweep { from } } }`;
    // 6,566,000 spent: 100,666 left, four estimates of 25,000 and no sweep (about 2,000,000).
    await spendMinute("lou", 40, 2266);
    const estimates = baselines.estimateRuns;
    for (const from of [21, 22, 23, 24])
      expectOverMinute(await ask("lou", sweep(from)), /and this sweep is estimated at \d/);
    expect(baselines.estimateRuns).toBe(estimates + 4);
    // Spent on the four estimates: the fifth range is refused before its estimate is made.
    expectOverMinute(await ask("lou", sweep(25)), /and this sweep's estimate is estimated at/);
    expect(baselines.estimateRuns).toBe(estimates + 4);
  });

  it("refuses a subject past its minute a new Monte-Carlo run before checking its alternatives", async () => {
    const run = (seed: number, patch: string) =>
      `{ uncertainty(cycleId: "wide", samples: 1, seed: ${seed}, alternatives: [{ name: "other", patch: ${patch} }]) {
        __typename ... on ValidationError { issues { path } } } }`;
    const outOf = `{ categories: { work: { method: { kind: "direct", outOf: 101 } } } }`;
    const unknown = `{ categories: { nope: {} } }`;
    await spendMinute("jo", 28);
    // 301,000 each: what jo has left does not take it.
    expect((await ask("kim", run(30, outOf))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
    expect((await ask("kim", run(31, unknown))).body.data.uncertainty).toEqual({
      __typename: "ValidationError",
      issues: [{ path: expect.stringMatching(/^alternatives\[0\]/) }],
    });
    // A kept run is served (its alternatives were checked when it was made); one not run yet is
    // refused before they are checked.
    expect((await ask("jo", run(30, outOf))).body).toEqual({
      data: { uncertainty: { __typename: "Uncertainty" } },
    });
    expectOverMinute(
      await ask("jo", run(31, unknown)),
      /and this Monte-Carlo run is estimated at less than 0\.1 s:/,
    );
  });

  it("prices a comparison of a small cycle with a large one as the large one's, whose units it reads", async () => {
    // Ten of the wide cycle's units, a year before it.
    await t.store.cycles.create("test", {
      id: "few",
      year: 2023,
      name: "few",
      schemeId: "wide",
      schemeVersion: 1,
    });
    const { rows, scores } = crossingRecords(10, () => "g0");
    await importUnitsAndScores(t.store, "few", rows, scores);
    const compare = (before: string, after: string) =>
      `{ compareCycles(before: { cycleId: "${before}" }, after: { cycleId: "${after}" }, units: COMMON) {
        __typename ... on CycleComparison { onlyBefore { unitId } } } }`;
    // 24,666 left: room for a comparison of 10 units (1,500) and none of 1,000 (150,000), on
    // either side, which a price of the before side's units alone let through.
    await spendMinute("ned", 60);
    for (const [before, after] of [
      ["few", "wide"],
      ["wide", "few"],
    ])
      expectOverMinute(
        await ask("ned", compare(before!, after!)),
        /and this comparison is estimated at less than 0\.1 s: retry in \d+ s, or ask for less$/,
      );
    expect((await ask("ned", compare("few", "few"))).body).toEqual({
      data: { compareCycles: { __typename: "CycleComparison", onlyBefore: [] } },
    });
  });

  it("names the side that sets a comparison's price when a request has no room left for it", async () => {
    // 2,300 units: 345,000 work units a comparison with the wide cycle's 1,000, fourteen of them
    // 4,830,000 of the request's 5,000,000; the fifteenth alias is refused.
    await t.store.cycles.create("test", {
      id: "many",
      year: 2022,
      name: "many",
      schemeId: "wide",
      schemeVersion: 1,
    });
    const { rows, scores } = crossingRecords(2_300, () => "g0");
    await importUnitsAndScores(t.store, "many", rows, scores);
    const aliases = (before: string, after: string) =>
      `{ ${Array.from(
        { length: 15 },
        (
          _,
          i,
        ) => `c${i}: compareCycles(before: { cycleId: "${before}" }, after: { cycleId: "${after}" }, units: COMMON) {
          __typename ... on ValidationError { issues { path message } } }`,
      ).join("\n")} }`;
    for (const [before, after, side] of [
      ["many", "wide", "before"],
      ["wide", "many", "after"],
    ]) {
      const { body } = await ask("nia", aliases(before!, after!));
      expect(body.errors, `${before} → ${after}`).toBeUndefined();
      const answers = Object.values(body.data) as { __typename: string; issues?: unknown }[];
      expect(answers.slice(0, 14).map((a) => a.__typename)).toEqual(Array(14).fill("CycleComparison"));
      expect(answers[14], `${before} → ${after}`).toEqual({
        __typename: "ValidationError",
        issues: [
          { path: side, message: expect.stringMatching(/^this comparison is too large for one request/) },
        ],
      });
    }
  });

  it("charges a Monte-Carlo run refused for an alternative as the run it asked for", async () => {
    const run = (seed: number, patch: string) =>
      `{ uncertainty(cycleId: "wide", samples: 1, seed: ${seed}, alternatives: [{ name: "other", patch: ${patch} }]) {
        __typename ... on ValidationError { issues { path } } } }`;
    // 6,266,000 spent: 400,666 left, room for one run of 301,000.
    await spendMinute("max", 50, 1966);
    // Its alternative is checked over every unit of the cycle before it is refused: that is paid.
    expect((await ask("max", run(52, `{ categories: { nope: {} } }`))).body.data.uncertainty).toEqual({
      __typename: "ValidationError",
      issues: [{ path: expect.stringMatching(/^alternatives\[0\]/) }],
    });
    expectOverMinute(
      await ask("max", run(53, `{ categories: { work: { method: { kind: "direct", outOf: 101 } } } }`)),
      /and this Monte-Carlo run is estimated at less than 0\.1 s:/,
    );
  });
});
