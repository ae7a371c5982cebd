/**
 * What a uniform weight sampler takes for what its caller leaves out, for a caller that shows
 * the parameters a Monte-Carlo run used (the gateway echoes them, and keys its cache on them).
 * weight-sampler.ts and monteCarlo read them from here.
 */
export const samplerDefaults: { readonly spread: number; readonly keepTotal: boolean } = Object.freeze({
  /** Categories without bounds are drawn within nominal × (1 ± spread). */
  spread: 0.5,
  /**
   * Draws add up to the scheme's total, as composite-indicator tools normalise their weights:
   * grades by threshold (85 / 75 / 60) and absolute deductions and bonuses are written for that
   * total, so draws free to add up to anything from half to one and a half times it measured the
   * size of each draw as much as a unit's standing (a 4th-placed unit excellent in 55% of the
   * samples under an 85-point line, where it was in all of them with the total kept).
   */
  keepTotal: true,
});
