import type { DecimalValue } from "../dataset/dataset.js";
import { unknownId } from "../exact-id.js";
import { InputError } from "../input-error.js";
import { knownOptions } from "../known-options.js";
import { parseDecimal, toNumber } from "../rational.js";
import { keepTotalPlan, proposer } from "./keep-total-proposals.js";
import { samplerDefaults } from "./sampler-defaults.js";
import { seededRandom } from "./seeded-random.js";

/** How category points are drawn for each sample. */
export type WeightSampler =
  | {
      kind: "uniform";
      /** Per category [low, high]; categories not listed get nominal × (1 ± spread). */
      bounds?: Record<string, [DecimalValue, DecimalValue]>;
      /** Default 0.5 (±50%). */
      spread?: number;
      /**
       * Draw only points that sum to the scheme's total, each still within its bounds (default
       * true, `samplerDefaults.keepTotal`); false draws each category on its own.
       */
      keepTotal?: boolean;
    }
  | {
      /** Dirichlet around the nominal shares (total kept); higher concentration = closer to nominal. */
      kind: "dirichlet";
      concentration: number;
    };

/**
 * The smallest Dirichlet shape whose log-gamma draw stays finite: a shape below 1 adds
 * ln(u) / shape, and u is at least 2^−32 (the generator's step), so |ln u| ≤ 32 ln 2.
 */
const MIN_SHAPE = (32 * Math.LN2) / Number.MAX_VALUE;

/** A seeded draw of category points into `out`, per the sampler's kind. */
export function sampler(
  w: WeightSampler,
  ids: string[],
  nominal: Float64Array,
  T: number,
  seed: number,
): (out: Float64Array) => void {
  const rnd = seededRandom(seed);
  const C = ids.length;
  const kind = (w as { kind?: unknown } | null)?.kind;
  if (kind !== "uniform" && kind !== "dirichlet")
    throw new InputError("scenario", [
      { path: ["weights", "kind"], message: 'must be "uniform" or "dirichlet"' },
    ]);
  // A key the kind does not read (bounds beside a Dirichlet's concentration) would be dropped
  // without a word.
  knownOptions(
    w,
    kind === "dirichlet" ? ["kind", "concentration"] : ["kind", "bounds", "spread", "keepTotal"],
    ["weights"],
  );
  if (w.kind === "dirichlet") {
    // Text or a list would be read as a number ("50", [50]), and an object whose toString is
    // no function (JSON can give one) throws a TypeError when multiplied: checked first.
    const concentration = typeof w.concentration === "number" ? w.concentration : Number.NaN;
    const alpha = Float64Array.from(nominal, (p) => (concentration * p) / T);
    // A non-finite shape never leaves the gamma sampler's loop.
    if (!(concentration > 0 && Number.isFinite(concentration)))
      throw new InputError("scenario", [
        { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
      ]);
    // A finite concentration past ~10^306 times a share still overflows to an infinite shape.
    if (!alpha.every(Number.isFinite))
      throw new InputError("scenario", [
        { path: ["weights", "concentration"], message: "is too large to draw with in doubles" },
      ]);
    // A shape below MIN_SHAPE can take every category's log-gamma to −Infinity, and such a
    // sample falls back to the nominal points (below): 5e-324 drew nothing else.
    if (alpha.some((a, k) => nominal[k]! > 0 && a < MIN_SHAPE))
      throw new InputError("scenario", [
        { path: ["weights", "concentration"], message: "is too small to draw with in doubles" },
      ]);
    // Gamma draws normalised in logarithms: with a small concentration the draws themselves
    // underflow to 0, and a sample of all zeros would fall back to the nominal points, the
    // one place a diffuse Dirichlet never lands.
    const logs = new Float64Array(C);
    return (out) => {
      let top = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < C; k++) {
        const l = alpha[k]! > 0 ? rnd.logGamma(alpha[k]!) : Number.NEGATIVE_INFINITY;
        logs[k] = l;
        if (l > top) top = l;
      }
      if (top === Number.NEGATIVE_INFINITY) {
        out.set(nominal);
        return;
      }
      let sum = 0;
      for (let k = 0; k < C; k++) sum += out[k] = Math.exp(logs[k]! - top);
      for (let k = 0; k < C; k++) out[k] = (out[k]! / sum) * T;
    };
  }
  const { lo, hi, keepTotal } = uniformOptions(w, ids, nominal);
  if (keepTotal) return keepingTotal(lo, hi, T, rnd);
  return (out) => {
    for (let k = 0; k < C; k++) out[k] = lo[k]! + rnd.next() * (hi[k]! - lo[k]!);
  };
}

/** A uniform sampler's options read and checked: each category's range, and where it came from. */
export interface UniformOptions {
  lo: Float64Array;
  hi: Float64Array;
  /** bounded[k]: category k's range is its bounds as given, not nominal × (1 ± spread). */
  bounded: boolean[];
  spread: number;
  keepTotal: boolean;
}

/** Reads a uniform sampler's options, each problem named under `weights`. */
export function uniformOptions(
  w: Extract<WeightSampler, { kind: "uniform" }>,
  ids: readonly string[],
  nominal: Float64Array,
): UniformOptions {
  const C = ids.length;
  const lo = new Float64Array(C);
  const hi = new Float64Array(C);
  const spread = w.spread ?? samplerDefaults.spread;
  // Read as numbers, "" and false would be a spread of 0, "0.2" one of 0.2; a null is left out.
  const issue = (key: string, message: string) =>
    new InputError("scenario", [{ path: ["weights", key], message }]);
  if (typeof spread !== "number") throw issue("spread", "must be a number between 0 and 1");
  if (!(spread >= 0 && spread <= 1)) throw issue("spread", "must be between 0 and 1");
  if (w.keepTotal != null && typeof w.keepTotal !== "boolean")
    throw issue("keepTotal", "must be true or false");
  // Bounds of 5 or true have no category keys: every category would take the spread instead.
  if (w.bounds != null && (typeof w.bounds !== "object" || Array.isArray(w.bounds)))
    throw issue("bounds", "must be an object of [low, high] by category");
  const bound = (id: string, b: readonly unknown[], end: 0 | 1): number => {
    const issue = (message: string) =>
      new InputError("scenario", [{ path: ["weights", "bounds", id, end], message }]);
    let x: number;
    try {
      x = toNumber(parseDecimal(b[end] as DecimalValue));
    } catch (e) {
      throw issue((e as Error).message);
    }
    // Draws are doubles: a decimal beyond them would draw infinite points, and rank on those.
    if (!Number.isFinite(x)) throw issue("is too large to draw points with");
    return x;
  };
  const bounded = ids.map(() => false);
  ids.forEach((id, k) => {
    const b: unknown = w.bounds?.[id];
    if (b !== undefined && !(Array.isArray(b) && b.length === 2))
      throw new InputError("scenario", [
        { path: ["weights", "bounds", id], message: "must be a pair [low, high]" },
      ]);
    if (!b) {
      // In order and not negative without a check: the scheme's points are not negative and
      // the spread is within 0 to 1.
      lo[k] = nominal[k]! * (1 - spread);
      hi[k] = nominal[k]! * (1 + spread);
      return;
    }
    bounded[k] = true;
    // The end at fault, not the pair: a caller that wrote low and high apart (the gateway's
    // { category, low, high }) can point at the one to change without working out which.
    lo[k] = bound(id, b, 0);
    hi[k] = bound(id, b, 1);
    if (lo[k]! < 0)
      throw new InputError("scenario", [
        { path: ["weights", "bounds", id, 0], message: "must not be negative" },
      ]);
    if (hi[k]! < lo[k]!)
      throw new InputError("scenario", [
        { path: ["weights", "bounds", id, 1], message: "must not be below low" },
      ]);
  });
  for (const id of Object.keys(w.bounds ?? {}))
    if (!ids.includes(id))
      throw new InputError("scenario", [
        { path: ["weights", "bounds", id], message: unknownId("category", id, new Set(ids), true) },
      ]);
  // Every sample would give every category 0 points: every unit 1st in every sample, and
  // "excellent" wherever the first grade admits it. A scheme of 0 points is refused too.
  if (hi.every((h) => h === 0))
    throw issue("bounds", "allow 0 points to every category: no sample could score any unit");
  return { lo, hi, bounded, spread, keepTotal: w.keepTotal ?? samplerDefaults.keepTotal };
}

/**
 * The least share of proposals kept that a sampler draws from: about 10,000 proposals a sample
 * at most on average, some ten million for a run of 1,000 samples.
 */
const MIN_ACCEPT = 1e-4;

/**
 * Uniform over the points within their bounds that sum to T. Rescaling a draw from the box
 * to the total moved categories out of their bounds (20, 30, 30 within 20–40, 10–30, 30–60
 * became 25, 37.5, 37.5: the second above its 30); instead a point is proposed uniformly over a
 * region holding every point that keeps the total, and proposals outside them are drawn again
 * (keepTotalPlan: within the reaches, or the slack above their lows or the shortfall below their
 * highs split by a flat Dirichlet draw, whichever is kept most often). Either way the draw is
 * uniform over the points that keep the total.
 *
 * A category's reach is the part of its bounds some point keeping the total has: at least
 * T less the others' highs, at most T less the others' lows. Drawing there rather than in the
 * whole bounds leaves the draw uniform (no point that keeps the total is left out) and keeps
 * bounds that only just reach the total drawable: 29.9–45 for two of three categories and
 * 40.1999–60 for the third accepted one draw in ~10^11, and now every one.
 *
 * Bounds whose points keeping the total are fewer than one proposal in 10,000 (MIN_ACCEPT) are
 * refused before any draw: whether they are drawable does not depend on the seed or the number
 * of samples (it did, when a sample gave up after 100,000 proposals). A sample tries 60 times
 * the proposals it needs on average, so that one fails with a chance of e^−60, that is never.
 */
function keepingTotal(
  lo: Float64Array,
  hi: Float64Array,
  T: number,
  rnd: ReturnType<typeof seededRandom>,
): (out: Float64Array) => void {
  const C = lo.length;
  let low = 0;
  let high = 0;
  for (let k = 0; k < C; k++) {
    low += lo[k]!;
    high += hi[k]!;
  }
  // Relative: an absolute 10^−9 took every draw of a total of 3·10^−300 to the lows' corner.
  const slack = 1e-9 * T;
  if (low > T + slack || high < T - slack)
    throw new InputError("scenario", [
      {
        // At the bounds, sent or not (keepTotal is on by default): they are what to change.
        path: ["weights", "bounds"],
        message: `allow ${low} to ${high} points in all, never the scheme's total of ${T}, which keepTotal (on unless false) holds every draw to: widen them, or set keepTotal: false for draws that need not add up to it`,
      },
    ]);
  // At either end of that range only one point keeps the total: no draw would land on it.
  const edge = T - low <= slack ? lo : high - T <= slack ? hi : null;
  const from = new Float64Array(C);
  const width = new Float64Array(C);
  let free = 0;
  for (let k = 0; k < C; k++) {
    const reachLo = Math.max(lo[k]!, T - (high - hi[k]!));
    const reachHi = Math.min(hi[k]!, T - (low - lo[k]!));
    from[k] = reachLo;
    width[k] = Math.max(0, reachHi - reachLo);
    // Ties go to the wider bounds, as before reaches were drawn in: with two categories both
    // reaches are equally wide, and with all but one category pinned every reach is a point,
    // where a pinned category solved for would miss its own value by an ulp every try.
    const wider = width[k]! - width[free]! || hi[k]! - lo[k]! - (hi[free]! - lo[free]!);
    if (wider > 0) free = k;
  }
  if (edge)
    return (out) => {
      let rest = T;
      for (let k = 0; k < C; k++) if (k !== free) rest -= out[k] = edge[k]!;
      out[free] = Math.min(hi[free]!, Math.max(lo[free]!, rest));
    };
  // The categories that move (a pinned one stays at its reach's low), and the slack above the
  // reaches' lows that they share.
  const moving: number[] = [];
  let S = T;
  for (let k = 0; k < C; k++) {
    S -= from[k]!;
    if (width[k]! > 0) moving.push(k);
  }
  const m = moving.length;
  const widths = Float64Array.from(moving, (k) => width[k]!);
  const at = moving.indexOf(free);
  let propose: (y: Float64Array) => boolean;
  let tries = 1;
  if (m >= 2 && S > 0) {
    const plan = keepTotalPlan(widths, S, at, seededRandom);
    if (plan.accept < MIN_ACCEPT) {
      const share =
        plan.accept === 0
          ? "no draw in 100,000 tried"
          : `about one draw in ${Math.round(1 / plan.accept).toLocaleString("en-US")}${plan.estimated ? " (estimated from 100,000 tried)" : ""}`;
      throw new InputError("scenario", [
        {
          path: ["weights", "bounds"],
          message: `leave ${share} that sums to the scheme's total of ${T}, fewer than the one in ${(1 / MIN_ACCEPT).toLocaleString("en-US")} a sampler draws from; widen them`,
        },
      ]);
    }
    propose = proposer(plan.proposal, widths, S, at, rnd);
    tries = Math.ceil(60 / plan.accept);
  }
  // One category moves (or none): it takes what the pinned ones leave of the total.
  else propose = () => true;
  const y = new Float64Array(m);
  return (out) => {
    for (let t = 0; t < tries; t++) {
      if (!propose(y)) continue;
      for (let k = 0; k < C; k++) out[k] = from[k]!;
      for (let j = 0; j < m; j++) if (moving[j] !== free) out[moving[j]!] = from[moving[j]!]! + y[j]!;
      // The sum kept in doubles: the free category takes what the others leave of T exactly.
      let rest = T;
      for (let k = 0; k < C; k++) if (k !== free) rest -= out[k]!;
      out[free] = rest;
      if (rest >= lo[free]! && rest <= hi[free]!) return;
    }
    throw new InputError("scenario", [
      {
        path: ["weights", "bounds"],
        message: `leave almost no draws that sum to the scheme's total of ${T}; widen them`,
      },
    ]);
  };
}
