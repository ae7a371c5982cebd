import type { DecimalValue } from "../dataset/dataset.js";
import { InputError } from "../input-error.js";
import { parseDecimal, toNumber } from "../rational.js";
import { seededRandom } from "./seeded-random.js";

/** How category points are drawn for each sample. */
export type WeightSampler =
  | {
      kind: "uniform";
      /** Per category [low, high]; categories not listed get nominal × (1 ± spread). */
      bounds?: Record<string, [DecimalValue, DecimalValue]>;
      /** Default 0.5 (±50%). */
      spread?: number;
      /** Rescale each draw so the points sum to the scheme's total. Default false. */
      keepTotal?: boolean;
    }
  | {
      /** Dirichlet around the nominal shares (total kept); higher concentration = closer to nominal. */
      kind: "dirichlet";
      concentration: number;
    };

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
  if (w.kind === "dirichlet") {
    const alpha = Float64Array.from(nominal, (p) => (w.concentration * p) / T);
    // A non-finite shape never leaves the gamma sampler's loop.
    if (!(w.concentration > 0) || !alpha.every(Number.isFinite))
      throw new InputError("scenario", [
        { path: ["weights", "concentration"], message: "must be a finite number greater than 0" },
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
  const lo = new Float64Array(C);
  const hi = new Float64Array(C);
  const spread = w.spread ?? 0.5;
  if (!(spread >= 0 && spread <= 1))
    throw new InputError("scenario", [{ path: ["weights", "spread"], message: "must be between 0 and 1" }]);
  ids.forEach((id, k) => {
    const b = w.bounds?.[id];
    lo[k] = b ? toNumber(parseDecimal(b[0])) : nominal[k]! * (1 - spread);
    hi[k] = b ? toNumber(parseDecimal(b[1])) : nominal[k]! * (1 + spread);
    if (lo[k]! < 0 || hi[k]! < lo[k]!)
      throw new InputError("scenario", [
        { path: ["weights", "bounds", id], message: "must be 0 ≤ low ≤ high" },
      ]);
  });
  for (const id of Object.keys(w.bounds ?? {}))
    if (!ids.includes(id))
      throw new InputError("scenario", [
        { path: ["weights", "bounds", id], message: `unknown category "${id}"` },
      ]);
  return (out) => {
    let sum = 0;
    for (let k = 0; k < C; k++) sum += out[k] = lo[k]! + rnd.next() * (hi[k]! - lo[k]!);
    if (w.keepTotal && sum > 0) for (let k = 0; k < C; k++) out[k] = (out[k]! / sum) * T;
  };
}
