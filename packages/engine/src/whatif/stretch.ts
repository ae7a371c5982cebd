import { cmp, type Rational } from "../rational.js";

/** A stretch of a swept range with exact ends, saying whether it holds each of them. */
export interface ExactStretch {
  from: Rational;
  to: Rational;
  includesFrom: boolean;
  includesTo: boolean;
}

/** Whether a stretch holds the point x. */
export function holds(s: ExactStretch, x: Rational): boolean {
  return holdsBetween(cmp(s.from, x), cmp(x, s.to), s.includesFrom, s.includesTo);
}

/**
 * The same from the signs of from − x and x − to alone: a sweep's walk compares bound indices,
 * which order as the points do, without making the points.
 */
export function holdsBetween(
  fromMinusX: number,
  xMinusTo: number,
  includesFrom: boolean,
  includesTo: boolean,
): boolean {
  return (
    (fromMinusX < 0 || (fromMinusX === 0 && includesFrom)) && (xMinusTo < 0 || (xMinusTo === 0 && includesTo))
  );
}
