import { toExactString } from "../rational.js";
import type { GradeQuota } from "../scheme/scheme-schema.js";
import { quotaShare } from "./grade-quota.js";

/**
 * How a percent quota became a number of places, in words: " (30% of 29 ranked units = 8.7,
 * rounded down)". "8" alone sent an auditor to work out 30% × 29 and the rounding, which a
 * scheme now chooses. A share that is whole needs no rounding, and a count no words at all.
 */
export function quotaBasis(quota: GradeQuota, population: number): string {
  if (quota.percent === undefined) return "";
  const of =
    quota.of === "admitted"
      ? `${quota.percent}% of the ${population} units the rule admits`
      : `${quota.percent}% of ${population} ranked units`;
  const share = quotaShare(quota, population);
  if (share.d === 1n) return ` (${of})`;
  return ` (${of} = ${toExactString(share)}, rounded ${quota.rounding ?? "down"})`;
}
