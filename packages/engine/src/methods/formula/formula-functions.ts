import { cmp, max, min, neg, type Rational, ratio, toExactString } from "../../rational.js";

/** A reason a formula has no value for one unit (missing input, division by zero, …). */
export class FormulaFailure extends Error {
  override readonly name = "FormulaFailure";
}

export interface FormulaFunction {
  minArgs: number;
  maxArgs: number;
  signature: string;
  apply(args: readonly Rational[]): Rational;
}

function absValue(x: Rational): Rational {
  return x.n < 0n ? neg(x) : x;
}

function floor(x: Rational): Rational {
  const q = x.n / x.d; // bigint division truncates toward zero
  return ratio(x.n < 0n && q * x.d !== x.n ? q - 1n : q);
}

function ceil(x: Rational): Rational {
  const q = x.n / x.d;
  return ratio(x.n > 0n && q * x.d !== x.n ? q + 1n : q);
}

/**
 * The functions a formula may call, over exact values. `round` is not here: its second
 * argument must be a literal, so the compiler builds it. A Map, so that names such as
 * "constructor" or "__proto__" can never resolve to something inherited.
 */
export const FORMULA_FUNCTIONS: ReadonlyMap<string, FormulaFunction> = new Map<string, FormulaFunction>([
  ["min", { minArgs: 1, maxArgs: Infinity, signature: "min(a, b, …)", apply: (a) => a.reduce(min) }],
  ["max", { minArgs: 1, maxArgs: Infinity, signature: "max(a, b, …)", apply: (a) => a.reduce(max) }],
  ["abs", { minArgs: 1, maxArgs: 1, signature: "abs(x)", apply: (a) => absValue(a[0]!) }],
  ["floor", { minArgs: 1, maxArgs: 1, signature: "floor(x)", apply: (a) => floor(a[0]!) }],
  ["ceil", { minArgs: 1, maxArgs: 1, signature: "ceil(x)", apply: (a) => ceil(a[0]!) }],
  [
    "clamp",
    {
      minArgs: 3,
      maxArgs: 3,
      signature: "clamp(x, lo, hi)",
      apply: ([x, lo, hi]) => {
        if (cmp(lo!, hi!) > 0)
          throw new FormulaFailure(
            `clamp: lower bound ${toExactString(lo!)} exceeds upper bound ${toExactString(hi!)}`,
          );
        return min(max(x!, lo!), hi!);
      },
    },
  ],
]);

/** Names listed in messages, `round` included. */
export const FUNCTION_SIGNATURES: readonly string[] = [
  ...[...FORMULA_FUNCTIONS.values()].map((f) => f.signature),
  "round(x, n)",
];

/** x^e for a small whole e; a power of a fraction in lowest terms needs no reduction. */
export function power(x: Rational, e: number): Rational {
  const p = BigInt(e);
  return { n: x.n ** p, d: x.d ** p };
}
