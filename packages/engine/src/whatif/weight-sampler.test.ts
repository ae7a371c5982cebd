import { describe, expect, it } from "vitest";
import { InputError } from "../input-error.js";
import { sampler, type WeightSampler } from "./weight-sampler.js";

const ids = ["business", "organ", "public"];
const nominal = Float64Array.of(30, 30, 40);

/** The issues an InputError lists, or the error itself when it is something else. */
function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof InputError ? e.issues : e;
  }
  return "no error";
}

describe("sampler", () => {
  it("keeps the total without leaving any category's bounds", () => {
    const bounds = { business: [20, 40], organ: [10, 30], public: [30, 60] } as Record<
      string,
      [number, number]
    >;
    const draw = sampler({ kind: "uniform", bounds, keepTotal: true }, ids, nominal, 100, 9);
    const out = new Float64Array(3);
    for (let s = 0; s < 2000; s++) {
      draw(out);
      expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(100, 9);
      ids.forEach((id, k) => {
        expect(out[k]!, `${id} in sample ${s}`).toBeGreaterThanOrEqual(bounds[id]![0] - 1e-9);
        expect(out[k]!, `${id} in sample ${s}`).toBeLessThanOrEqual(bounds[id]![1] + 1e-9);
      });
    }
  });

  it("keeps the default ±spread when it keeps the total", () => {
    const draw = sampler({ kind: "uniform", spread: 0.2, keepTotal: true }, ids, nominal, 100, 3);
    const out = new Float64Array(3);
    for (let s = 0; s < 2000; s++) {
      draw(out);
      nominal.forEach((p, k) => {
        expect(out[k]!).toBeGreaterThanOrEqual(p * 0.8 - 1e-9);
        expect(out[k]!).toBeLessThanOrEqual(p * 1.2 + 1e-9);
      });
    }
  });

  it("draws from bounds that only just reach the total, within them and at their total", () => {
    // The three lows add up to 99.9999: drawn in their whole bounds, one draw in ~10^11 kept the total.
    const bounds = { business: [29.9, 45], organ: [29.9, 45], public: [40.1999, 60] } as Record<
      string,
      [number, number]
    >;
    const draw = sampler({ kind: "uniform", bounds, keepTotal: true }, ids, nominal, 100, 4);
    const out = new Float64Array(3);
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < 2000; s++) {
      draw(out);
      expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(100, 9);
      ids.forEach((id, k) => {
        expect(out[k]!).toBeGreaterThanOrEqual(bounds[id]![0] - 1e-9);
        expect(out[k]!).toBeLessThanOrEqual(bounds[id]![1] + 1e-9);
      });
      lowest = Math.min(lowest, out[0]!);
      highest = Math.max(highest, out[0]!);
    }
    // Business reaches 29.9 to 29.9001 only; the draws spread over it.
    expect(lowest).toBeLessThan(29.90001);
    expect(highest).toBeGreaterThan(29.90009);
  });

  it("draws the one point that keeps the total when all categories but one are pinned", () => {
    const bounds = { business: [25.1, 25.1], public: [40, 40] } as Record<string, [number, number]>;
    const draw = sampler({ kind: "uniform", bounds, keepTotal: true }, ids, nominal, 100, 1);
    const out = new Float64Array(3);
    draw(out);
    expect(out[0]).toBe(25.1);
    expect(out[1]).toBeCloseTo(34.9, 9);
    expect(out[2]).toBe(40);
  });

  it("draws two categories as it did before it drew within reaches (the same seed, the same points)", () => {
    // Both reaches are equally wide; the wider bounds (public's) are solved for, as before.
    const draw = sampler(
      { kind: "uniform", keepTotal: true },
      ["business", "public"],
      Float64Array.of(40, 60),
      100,
      1,
    );
    const out = new Float64Array(2);
    draw(out);
    expect(Array.from(out)).toEqual([37.02599718235433, 62.97400281764567]);
  });

  it("stays uniform where only part of a category's bounds can keep the total", () => {
    // Two categories of 0 to 200 sharing 100: each is uniform on 0 to 100 (mean 50, and
    // a quarter of the draws in each quarter), though its bounds reach 200.
    const two = ["business", "public"];
    const bounds = { business: [0, 200], public: [0, 200] } as Record<string, [number, number]>;
    const draw = sampler({ kind: "uniform", bounds, keepTotal: true }, two, Float64Array.of(50, 50), 100, 11);
    const out = new Float64Array(2);
    const quarters = [0, 0, 0, 0];
    let sum = 0;
    const n = 4000;
    for (let s = 0; s < n; s++) {
      draw(out);
      sum += out[0]!;
      quarters[Math.min(3, Math.floor(out[0]! / 25))]!++;
    }
    // Standard error of the mean 28.9 / √4000 ≈ 0.46; of a quarter's count √(4000 · 3/16) ≈ 27.
    expect(Math.abs(sum / n - 50)).toBeLessThan(2);
    for (const q of quarters) expect(Math.abs(q - n / 4)).toBeLessThan(110);
  });

  it("draws many categories held near their lows for any seed and number of samples", () => {
    // Nine categories with 1.125 points between them above their lows: drawn in their widths,
    // one draw in 8! = 40,320 kept the total, and a run of 20 samples was refused where 10 were
    // not. The slack split by a flat Dirichlet draw keeps every draw.
    const nine = Array.from({ length: 9 }, (_, k) => `c${k}`);
    const points = Float64Array.of(11, 11, 11, 11, 11, 11, 11, 11, 12);
    const bounds = Object.fromEntries(
      nine.map((id, k) => [id, [points[k]! - 0.125, points[k]! + 20]]),
    ) as Record<string, [number, number]>;
    for (const seed of [1, 2, 3]) {
      const draw = sampler({ kind: "uniform", bounds }, nine, points, 100, seed);
      const out = new Float64Array(9);
      const sums = new Float64Array(9);
      const n = 4000;
      let offTotal = 0;
      let belowLow = 0;
      for (let s = 0; s < n; s++) {
        draw(out);
        offTotal = Math.max(offTotal, Math.abs(out.reduce((a, b) => a + b, 0) - 100));
        out.forEach((x, k) => {
          belowLow = Math.max(belowLow, points[k]! - 0.125 - x);
          sums[k]! += x;
        });
      }
      expect(offTotal).toBeLessThan(1e-9);
      expect(belowLow).toBeLessThan(1e-9);
      // Uniform on that corner, each category's mean is its low plus a ninth of the slack
      // (standard error ≈ 0.0016).
      sums.forEach((sum, k) => {
        expect(Math.abs(sum / n - points[k]!), `seed ${seed}, ${nine[k]}`).toBeLessThan(0.01);
      });
    }
  });

  it("draws categories held near their highs as it draws those near their lows", () => {
    // Nine categories of 10 that may lose half their points but gain 0.05: the lows' corner
    // reflected. Drawn in their widths one draw in 8! kept the total, and lows widened to 0
    // changed nothing; the shortfall below the highs split at random keeps every draw.
    const nine = Array.from({ length: 9 }, (_, k) => `c${k}`);
    const points = new Float64Array(9).fill(10);
    for (const low of ["5", "0"]) {
      const bounds = Object.fromEntries(nine.map((id) => [id, [low, "10.05"]])) as Record<
        string,
        [string, string]
      >;
      const draw = sampler({ kind: "uniform", bounds }, nine, points, 90, 1);
      const out = new Float64Array(9);
      const sums = new Float64Array(9);
      for (let s = 0; s < 2000; s++) {
        draw(out);
        out.forEach((x, k) => {
          sums[k]! += x;
        });
      }
      // Each is 0.45 below its high in all, a ninth of it on average: 10.
      sums.forEach((sum, k) => {
        expect(Math.abs(sum / 2000 - 10), `low ${low}, ${nine[k]}`).toBeLessThan(0.01);
      });
    }
  });

  it("decides twenty categories through the middle of their bounds once, for every seed", () => {
    // Twenty categories of 5 within 2.5 to 5.65: too many sets of widths to count, so the share
    // kept is estimated from a seed of the sampler's own. Every seed then draws, quickly: it was
    // refused at sample 3, 12 or 15 by seed, after seconds of 600,000 proposals a sample.
    const twenty = Array.from({ length: 20 }, (_, k) => `c${k}`);
    const points = new Float64Array(20).fill(5);
    const bounds = Object.fromEntries(twenty.map((id) => [id, ["2.5", "5.65"]])) as Record<
      string,
      [string, string]
    >;
    for (const seed of [1, 2, 3]) {
      const draw = sampler({ kind: "uniform", bounds }, twenty, points, 100, seed);
      const out = new Float64Array(20);
      for (let s = 0; s < 200; s++) draw(out);
      expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    }
  });

  it("keeps a total of 3·10^-300 in every draw", () => {
    // An absolute tolerance of 10^-9 took every draw to the lows' corner, summing to 2.5·10^-300.
    const draw = sampler({ kind: "uniform" }, ids, Float64Array.of(1e-300, 1e-300, 1e-300), 3e-300, 1);
    const out = new Float64Array(3);
    const seen = new Set<number>();
    for (let s = 0; s < 20; s++) {
      draw(out);
      expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(3e-300, 310);
      seen.add(out[0]!);
    }
    expect(seen.size).toBe(20);
  });

  it("refuses bounds that keep the total in fewer than one draw in 10,000, before any draw and for every seed", () => {
    // Twenty categories one point above their lows in all; every other one can take only 0.01
    // of it. About one point in 570,000 of either region proposals are drawn from keeps the total.
    const twenty = Array.from({ length: 20 }, (_, k) => `c${k}`);
    const points = new Float64Array(20).fill(5);
    const bounds = Object.fromEntries(
      twenty.map((id, k) => [id, [4.95, 4.95 + (k % 2 ? 0.01 : 1)]]),
    ) as Record<string, [number, number]>;
    const refusal = [
      {
        path: ["weights", "bounds"],
        message: expect.stringMatching(
          /^leave about one draw in 5\d\d,\d{3} that sums to the scheme's total of 100, fewer than the one in 10,000 a sampler draws from; widen them$/,
        ),
      },
    ];
    for (const seed of [1, 2, 3])
      expect(issuesOf(() => sampler({ kind: "uniform", bounds }, twenty, points, 100, seed))).toEqual(
        refusal,
      );
    // Twice the slack is drawable.
    const wider = Object.fromEntries(twenty.map((id, k) => [id, [4.9, 4.9 + (k % 2 ? 0.01 : 1)]])) as Record<
      string,
      [number, number]
    >;
    const draw = sampler({ kind: "uniform", bounds: wider }, twenty, points, 100, 1);
    const out = new Float64Array(20);
    for (let s = 0; s < 100; s++) draw(out);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });

  it("names bounds that cannot keep the total", () => {
    const w: WeightSampler = {
      kind: "uniform",
      bounds: { business: [40, 50], organ: [40, 50], public: [40, 50] },
      keepTotal: true,
    };
    expect(issuesOf(() => sampler(w, ids, nominal, 100, 1))).toEqual([
      {
        path: ["weights", "bounds"],
        message: expect.stringMatching(/^allow 120 to 150 points in all, never the scheme's total of 100/),
      },
    ]);
  });

  it("names a kind it does not know instead of drawing uniformly", () => {
    const w = { kind: "Dirichlet", concentration: 50 } as unknown as WeightSampler;
    expect(issuesOf(() => sampler(w, ids, nominal, 100, 1))).toEqual([
      { path: ["weights", "kind"], message: 'must be "uniform" or "dirichlet"' },
    ]);
  });

  it("names a key its kind does not read instead of dropping it", () => {
    const issues = (w: unknown) => issuesOf(() => sampler(w as WeightSampler, ids, nominal, 100, 1));
    expect(issues({ kind: "dirichlet", concentration: 50, spread: 0.1 })).toEqual([
      { path: ["weights", "spread"], message: "unknown option (misspelt?); known: kind, concentration" },
    ]);
    expect(issues({ kind: "uniform", keep_total: true })).toEqual([
      {
        path: ["weights", "keep_total"],
        message: "unknown option (misspelt?); known: kind, bounds, spread, keepTotal",
      },
    ]);
    expect(issues(null)).toEqual([
      { path: ["weights", "kind"], message: 'must be "uniform" or "dirichlet"' },
    ]);
  });

  it("names a spread, concentration, keepTotal or bounds of the wrong type instead of coercing it", () => {
    const issues = (w: unknown) => issuesOf(() => sampler(w as WeightSampler, ids, nominal, 100, 1));
    expect(issues({ kind: "uniform", spread: "" })).toEqual([
      { path: ["weights", "spread"], message: "must be a number between 0 and 1" },
    ]);
    expect(issues({ kind: "uniform", spread: "0.2" })).toEqual([
      { path: ["weights", "spread"], message: "must be a number between 0 and 1" },
    ]);
    expect(issues({ kind: "dirichlet", concentration: "50" })).toEqual([
      { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
    ]);
    expect(issues({ kind: "uniform", keepTotal: "false" })).toEqual([
      { path: ["weights", "keepTotal"], message: "must be true or false" },
    ]);
    expect(issues({ kind: "uniform", bounds: 5 })).toEqual([
      { path: ["weights", "bounds"], message: "must be an object of [low, high] by category" },
    ]);
    expect(issues({ kind: "uniform", spread: null, keepTotal: null, bounds: null })).toBe("no error");
  });

  it("refuses bounds that give every category 0 points, where every sample would rank every unit 1st", () => {
    const zero: Record<string, [string, string]> = {
      business: ["0", "0"],
      organ: ["0", "0"],
      public: ["0", "0"],
    };
    expect(issuesOf(() => sampler({ kind: "uniform", bounds: zero }, ids, nominal, 100, 1))).toEqual([
      {
        path: ["weights", "bounds"],
        message: "allow 0 points to every category: no sample could score any unit",
      },
    ]);
    // A range that only reaches 0, or one category left with points, still draws (with the
    // total free: neither reaches the scheme's 100).
    const draws = (bounds: Record<string, [string, string]>) =>
      issuesOf(() =>
        sampler({ kind: "uniform", bounds, keepTotal: false }, ids, nominal, 100, 1)(new Float64Array(3)),
      );
    expect(draws({ ...zero, public: ["0", "40"] })).toBe("no error");
    expect(draws({ business: ["0", "0"], organ: ["0", "0"] })).toBe("no error");
  });

  it("names a concentration that cannot be multiplied, instead of a TypeError", () => {
    const w: WeightSampler = { kind: "dirichlet", concentration: JSON.parse('{ "toString": 0 }') };
    expect(issuesOf(() => sampler(w, ids, nominal, 100, 1))).toEqual([
      { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
    ]);
  });

  it("names a concentration too small to draw with, instead of drawing the nominal points", () => {
    const draw = (concentration: number) => () =>
      sampler({ kind: "dirichlet", concentration }, ids, nominal, 100, 1)(new Float64Array(3));
    expect(issuesOf(draw(5e-324))).toEqual([
      { path: ["weights", "concentration"], message: "is too small to draw with in doubles" },
    ]);
    expect(issuesOf(draw(1e-300))).toBe("no error");
  });

  it("names a concentration too large to draw with as too large, not as not finite", () => {
    const draw = (concentration: number) => () =>
      sampler({ kind: "dirichlet", concentration }, ids, nominal, 100, 1)(new Float64Array(3));
    expect(issuesOf(draw(1e307))).toEqual([
      { path: ["weights", "concentration"], message: "is too large to draw with in doubles" },
    ]);
    expect(issuesOf(draw(Number.POSITIVE_INFINITY))).toEqual([
      { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
    ]);
    expect(issuesOf(draw(1e300))).toBe("no error");
  });

  it("names a bound that is not a decimal or not a pair", () => {
    const bad = (b: unknown) =>
      issuesOf(() =>
        sampler({ kind: "uniform", bounds: { organ: b } } as unknown as WeightSampler, ids, nominal, 100, 1),
      );
    expect(bad(["ten", 20])).toEqual([
      { path: ["weights", "bounds", "organ", 0], message: 'not a decimal number: "ten"' },
    ]);
    expect(bad(20)).toEqual([
      { path: ["weights", "bounds", "organ"], message: "must be a pair [low, high]" },
    ]);
    // Exact as a decimal, infinite as a double: every draw would be Infinity points.
    expect(bad(["10", "9".repeat(400)])).toEqual([
      { path: ["weights", "bounds", "organ", 1], message: "is too large to draw points with" },
    ]);
  });

  it("names the end of a pair that is out of order or negative, not the whole pair", () => {
    const bad = (b: unknown) =>
      issuesOf(() =>
        sampler({ kind: "uniform", bounds: { organ: b } } as unknown as WeightSampler, ids, nominal, 100, 1),
      );
    expect(bad(["30", "20"])).toEqual([
      { path: ["weights", "bounds", "organ", 1], message: "must not be below low" },
    ]);
    expect(bad(["-5", "20"])).toEqual([
      { path: ["weights", "bounds", "organ", 0], message: "must not be negative" },
    ]);
    // Negative and above high: the low end is at fault either way.
    expect(bad(["-5", "-10"])).toEqual([
      { path: ["weights", "bounds", "organ", 0], message: "must not be negative" },
    ]);
    expect(bad(["20", "20"])).toBe("no error");
  });
});

/** `n` draws of `w`, one Float64Array per category. */
function drawsOf(w: WeightSampler, nom: Float64Array, T: number, seed: number, n: number): Float64Array[] {
  const draw = sampler(w, ["a", "b", "c"].slice(0, nom.length), nom, T, seed);
  const cols = Array.from(nom, () => new Float64Array(n));
  const out = new Float64Array(nom.length);
  for (let s = 0; s < n; s++) {
    draw(out);
    out.forEach((x, k) => {
      cols[k]![s] = x;
    });
  }
  return cols;
}

/** Kolmogorov–Smirnov distance between the draws and a continuous CDF. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  });
  return d;
}

const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: Float64Array) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

// Bounds and sums hold for the nominal points too: a sampler that stopped drawing (every
// category at its midpoint) passed every check above. These compare the draws with the
// distribution each kind promises. The seeds are fixed, and the limits held for each of 200
// seeds, so a change of generator does not break them by chance. KS at 4000 draws: 1.95 / √n ≈ 0.031 is the 0.1% critical value.
const N = 4000;
const KS_LIMIT = 0.045;

describe("sampler draws", () => {
  const uniformCdf = (lo: number, hi: number) => (x: number) =>
    Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
  // The marginal of one coordinate of a point uniform on the simplex {x ≥ 0, Σx = T} in
  // three categories, and of Dirichlet(1, 1, 1) × T: Beta(1, 2).
  const simplexCdf = (T: number) => (x: number) => 1 - (1 - Math.min(T, Math.max(0, x)) / T) ** 2;

  it("are uniform over each category's ±spread without keepTotal", () => {
    const cols = drawsOf({ kind: "uniform", spread: 0.5, keepTotal: false }, nominal, 100, 11, N);
    nominal.forEach((p, k) => {
      const [lo, hi] = [p * 0.5, p * 1.5];
      expect(ksDistance(cols[k]!, uniformCdf(lo, hi)), `category ${k}`).toBeLessThan(KS_LIMIT);
      const ratio = variance(cols[k]!) / ((hi - lo) ** 2 / 12);
      expect(ratio, `category ${k}`).toBeGreaterThan(0.9);
      expect(ratio, `category ${k}`).toBeLessThan(1.1);
    });
  });

  it("are uniform over explicit bounds without keepTotal", () => {
    const bounds = { a: ["20", "40"], b: ["0", "5"], c: ["30", "60"] } as Record<string, [string, string]>;
    const cols = drawsOf({ kind: "uniform", bounds, keepTotal: false }, nominal, 100, 12, N);
    Object.values(bounds).forEach(([lo, hi], k) => {
      expect(ksDistance(cols[k]!, uniformCdf(Number(lo), Number(hi))), `category ${k}`).toBeLessThan(
        KS_LIMIT,
      );
    });
  });

  it("are uniform over the points that keep the total, not only within bounds", () => {
    // Bounds of [0, T] for every category make the points that keep the total the whole
    // simplex: every category's marginal is then Beta(1, 2) × T, the widest one included.
    const T = 90;
    const bounds = { a: ["0", "90"], b: ["0", "90"], c: ["0", "90"] } as Record<string, [string, string]>;
    const cols = drawsOf({ kind: "uniform", bounds, keepTotal: true }, nominal, T, 13, N);
    cols.forEach((xs, k) => {
      expect(ksDistance(xs, simplexCdf(T)), `category ${k}`).toBeLessThan(KS_LIMIT);
    });
  });

  it("are uniform over the points that keep the total where the split slack passes a bound and is drawn again", () => {
    // a and b within 0–100, c within 0–60, sharing 100: the flat Dirichlet proposal (the
    // triangle, area 5,000 beside the box's 6,000) lands beyond c's 60 in 16% of draws. Kept,
    // c's marginal has density ∝ 100 − c on 0–60; its mean 25.71, a's and b's 37.14.
    const bounds = { a: ["0", "100"], b: ["0", "100"], c: ["0", "60"] } as Record<string, [string, string]>;
    const cols = drawsOf({ kind: "uniform", bounds, keepTotal: true }, nominal, 100, 14, N);
    const cdf = (x: number) => (1 - (1 - Math.min(60, Math.max(0, x)) / 100) ** 2) / 0.84;
    expect(ksDistance(cols[2]!, cdf)).toBeLessThan(KS_LIMIT);
    expect(Math.max(...cols[2]!)).toBeLessThanOrEqual(60);
    expect(mean(cols[2]!)).toBeCloseTo(25.714, 0);
    expect(mean(cols[0]!)).toBeCloseTo(37.143, 0);
    expect(mean(cols[1]!)).toBeCloseTo(37.143, 0);
  });

  it("cover each category's whole range when keeping the total within tight bounds", () => {
    // Every end here is reachable while keeping 100: 40 + 30 + 30 and 20 + 20 + 60 both
    // sum to it, and so on for each category.
    const bounds = { a: ["20", "40"], b: ["10", "30"], c: ["30", "60"] } as Record<string, [string, string]>;
    for (const w of [
      { kind: "uniform", bounds, keepTotal: true },
      { kind: "uniform", spread: 0.2, keepTotal: true },
    ] as WeightSampler[]) {
      const cols = drawsOf(w, nominal, 100, 14, N);
      cols.forEach((xs, k) => {
        const [lo, hi] =
          w.kind === "uniform" && w.bounds
            ? Object.values(bounds)[k]!.map(Number)
            : [nominal[k]! * 0.8, nominal[k]! * 1.2];
        const width = hi! - lo!;
        const label = `${JSON.stringify(w)} category ${k}`;
        expect(Math.min(...xs) - lo!, label).toBeLessThan(0.05 * width);
        expect(hi! - Math.max(...xs), label).toBeLessThan(0.05 * width);
        // Each fifth of the range is drawn into, and none takes most of the draws.
        const fifths = [0, 0, 0, 0, 0];
        for (const x of xs) fifths[Math.min(4, Math.floor(((x - lo!) / width) * 5))]!++;
        for (const f of fifths) expect(f, label).toBeGreaterThan(N / 50);
        for (const f of fifths) expect(f, label).toBeLessThan(N / 2);
      });
    }
  });

  it("are Dirichlet around the nominal shares", () => {
    // Concentration 3 on equal shares is Dirichlet(1, 1, 1): uniform on the simplex.
    const T = 90;
    const equal = Float64Array.of(30, 30, 30);
    drawsOf({ kind: "dirichlet", concentration: 3 }, equal, T, 15, N).forEach((xs, k) => {
      expect(ksDistance(xs, simplexCdf(T)), `category ${k}`).toBeLessThan(KS_LIMIT);
    });
    // Unequal shares: mean at the nominal points, variance p(1 − p) T² / (c + 1).
    const c = 50;
    drawsOf({ kind: "dirichlet", concentration: c }, nominal, 100, 16, N).forEach((xs, k) => {
      const p = nominal[k]! / 100;
      expect(mean(xs), `category ${k}`).toBeCloseTo(nominal[k]!, 0);
      const ratio = variance(xs) / ((p * (1 - p) * 100 ** 2) / (c + 1));
      expect(ratio, `category ${k}`).toBeGreaterThan(0.9);
      expect(ratio, `category ${k}`).toBeLessThan(1.1);
    });
  });
});
