/**
 * What the lines of a total besides its categories are called wherever a total is split into
 * parts (effective weights, a what-if's change): one wording, so the two read alike.
 */
export const ADJUSTMENT_NAMES = {
  bonus: "bonuses on the total",
  deductions: "deductions from the total",
  rest: "roll-ups, the total's floor at zero and rounding",
} as const;
