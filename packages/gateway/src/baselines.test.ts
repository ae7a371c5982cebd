import { describe, expect, it } from "vitest";
import { BaselineCache } from "./baselines.js";
import type { Scored } from "./evaluations.js";

const scored = { key: "cycle 2024" } as Scored;

/** A run that is charged as it should be: `compute` counted in `computed`. */
const runOf = (value: string, computed: string[]) => ({
  beforeRun: () => {},
  compute: () => {
    computed.push(value);
    return value;
  },
});

/** A run whose charge is refused, as a subject past its minute is. */
const refusedRun = (refusal: Error) => ({
  beforeRun: () => {
    throw refusal;
  },
  compute: (): string => {
    throw new Error("a refused run must not be computed");
  },
});

describe("BaselineCache.analysis", () => {
  it("answers a refused charge to the request it was made for alone", async () => {
    const cache = new BaselineCache(2);
    const refusal = new Error("ann has spent her minute");
    const computed: string[] = [];
    const refused = cache.analysis(scored, "sweep", { category: "work" }, refusedRun(refusal));
    // Asked at once, before anything else runs: a refusal kept until a later tick would be
    // another subject's answer.
    const next = cache.analysis(scored, "sweep", { category: "work" }, runOf("bob's sweep", computed));
    await expect(refused).rejects.toBe(refusal);
    await expect(next).resolves.toBe("bob's sweep");
    expect(computed).toEqual(["bob's sweep"]);
  });

  it("keeps nothing for a refused charge: it evicts no run, and is counted as none", async () => {
    const cache = new BaselineCache(2);
    const computed: string[] = [];
    await cache.analysis(scored, "sweep", { category: "work" }, runOf("work", computed));
    await cache.analysis(scored, "sweep", { category: "public" }, runOf("public", computed));
    await expect(
      cache.analysis(scored, "monte-carlo", { samples: 4000 }, refusedRun(new Error("over its minute"))),
    ).rejects.toThrow("over its minute");
    expect(cache.analysisRuns).toBe(2);
    // Both runs are still kept, though the cache holds two: served, not made again.
    await cache.analysis(scored, "sweep", { category: "work" }, runOf("work again", computed));
    await cache.analysis(scored, "sweep", { category: "public" }, runOf("public again", computed));
    expect(computed).toEqual(["work", "public"]);
    expect(cache.analysisRuns).toBe(2);
    expect(cache.analysisHits).toBe(2);
  });

  it("charges a run when it is made, not when it is served", async () => {
    const cache = new BaselineCache(2);
    let charged = 0;
    const run = { beforeRun: () => void charged++, compute: () => "run" };
    for (let i = 0; i < 3; i++) await cache.analysis(scored, "leave-one-out", { rescale: false }, run);
    expect(charged).toBe(1);
  });
});

describe("BaselineCache under a saved scenario", () => {
  it("answers a refused charge to its request alone, and evicts no baseline for it", async () => {
    const cache = new BaselineCache(1);
    const refusal = new Error("too large for one request");
    const kept = { compiled: "kept" } as never;
    await cache.baselineUnder(scored, "scenario 1", { beforeRun: () => {}, compute: () => kept });
    await expect(cache.baselineUnder(scored, "scenario 2", refusedRun(refusal) as never)).rejects.toBe(
      refusal,
    );
    const misses = cache.misses;
    await expect(
      cache.baselineUnder(scored, "scenario 1", { beforeRun: () => {}, compute: () => ({}) as never }),
    ).resolves.toBe(kept);
    expect(cache.misses).toBe(misses);
    const evaluation = { totals: [] } as never;
    const refused = cache.evaluationUnder(scored, "scenario 2", refusedRun(refusal) as never);
    const next = cache.evaluationUnder(scored, "scenario 2", {
      beforeRun: () => {},
      compute: () => evaluation,
    });
    await expect(refused).rejects.toBe(refusal);
    await expect(next).resolves.toBe(evaluation);
  });
});
