import { uniformOptions, type WeightSampler } from "./weight-sampler.js";

/** One category's range in a uniform draw, and what set it. */
export interface CategoryRange {
  category: string;
  /** The points were drawn within [low, high] (before `keepTotal`, which keeps within it too). */
  low: number;
  high: number;
  /** "bounds": the caller's bounds for the category; "spread": nominal × (1 ± spread). */
  from: "bounds" | "spread";
}

/**
 * How a Monte-Carlo run drew its points, defaults filled in and nothing claimed that was not
 * applied: a spread that no category was drawn with (every one has bounds) is null, not the
 * default 0.5 it would have been.
 */
export type AppliedWeights =
  | {
      kind: "uniform";
      /** The spread the categories without bounds were drawn with; null when every category has bounds. */
      spread: number | null;
      keepTotal: boolean;
      /** Every category's range, in the scheme's order. */
      ranges: CategoryRange[];
    }
  | {
      kind: "dirichlet";
      concentration: number;
    };

/**
 * The sampler `w` as applied to the categories `ids` at their `nominal` points. Reads the options
 * as `sampler` does (and refuses what it refuses), so it says what the draws used.
 */
export function appliedWeights(
  w: WeightSampler,
  ids: readonly string[],
  nominal: Float64Array,
): AppliedWeights {
  if (w.kind === "dirichlet") return { kind: "dirichlet", concentration: w.concentration };
  const { lo, hi, bounded, spread, keepTotal } = uniformOptions(w, ids, nominal);
  return {
    kind: "uniform",
    spread: bounded.every(Boolean) ? null : spread,
    keepTotal,
    ranges: ids.map((category, k) => ({
      category,
      low: lo[k]!,
      high: hi[k]!,
      from: bounded[k] ? "bounds" : "spread",
    })),
  };
}
