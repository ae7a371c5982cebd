import { cmp, eq, parseDecimal, type Rational, toExactString } from "../../rational.js";
import type { VoteParams } from "../../scheme/scheme-schema.js";

/** A vote category's ballot validity rules. */
export type VoteValidity = VoteParams["validity"];

interface VoterTally {
  units: number;
  first: Rational;
  /** The row of the first value, to show it as the voter wrote it. */
  firstRow: number;
  uniform: boolean;
  high: number;
}

/**
 * Finds void ballots (废票). A ballot is all rows of one voter in one category, so a rule
 * that voids it voids every row of that voter:
 * - `rejectUniform`: the voter scored 2 or more units, all with the same value;
 * - `maxHighScores`: the voter gave more than `max` units a value ≥ `threshold`.
 * Values are ballot points (grades already mapped), parallel to `rows`; `written` shows row i's
 * value as the voter wrote it (a grade ballot's "好", not the 100 points it maps to).
 * Returns voter → reason, in words for the trace.
 */
export function findVoidVoters(
  rows: readonly { voter: string }[],
  values: readonly Rational[],
  validity: VoteValidity,
  written: (i: number) => string = (i) => toExactString(values[i]!),
): Map<string, string> {
  const high = validity.maxHighScores;
  const threshold = high ? parseDecimal(high.threshold) : undefined;
  const tallies = new Map<string, VoterTally>();
  for (let i = 0; i < rows.length; i++) {
    const voter = rows[i]!.voter;
    const value = values[i]!;
    const isHigh = threshold !== undefined && cmp(value, threshold) >= 0 ? 1 : 0;
    const t = tallies.get(voter);
    if (t === undefined) {
      tallies.set(voter, { units: 1, first: value, firstRow: i, uniform: true, high: isHigh });
      continue;
    }
    t.units++;
    t.high += isHigh;
    if (t.uniform && !eq(t.first, value)) t.uniform = false;
  }

  const voided = new Map<string, string>();
  for (const [voter, t] of tallies) {
    const reasons: string[] = [];
    if (validity.rejectUniform && t.units >= 2 && t.uniform)
      reasons.push(`gave each of the ${t.units} units it scored ${written(t.firstRow)}`);
    if (high && threshold && t.high > high.max)
      reasons.push(`scored ${t.high} units ≥ ${toExactString(threshold)}, more than the ${high.max} allowed`);
    if (reasons.length > 0) voided.set(voter, reasons.join("; "));
  }
  return voided;
}
