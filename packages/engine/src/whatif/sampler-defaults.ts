/**
 * What a uniform weight sampler takes for what its caller leaves out, for a caller that shows
 * the parameters a Monte-Carlo run used (the gateway echoes them, and keys its cache on them).
 * weight-sampler.ts and monteCarlo read them from here.
 */
export const samplerDefaults: { readonly spread: number; readonly keepTotal: boolean } = Object.freeze({
  /** Categories without bounds are drawn within nominal × (1 ± spread). */
  spread: 0.5,
  /** Draws need not add up to the scheme's total. */
  keepTotal: false,
});
