import { InputError, received } from "./input-error.js";
import type { Rational } from "./rational.js";

/**
 * Throws the engine's InputError when an exact-arithmetic helper is given other than an exact
 * value: a plain number would fail as "Cannot mix BigInt and other types" or "NaN cannot be
 * converted to a BigInt", which names neither the argument nor the way to make one.
 */
export function checkRationalArgument(value: unknown, parameter: string): asserts value is Rational {
  const r = value as Partial<Rational> | null | undefined;
  if (typeof r?.n !== "bigint" || typeof r?.d !== "bigint")
    throw new InputError("argument", [
      {
        path: [parameter],
        message: `expected an exact value ({ n, d } bigints) from parseDecimal("…") or ratio(n, d); got ${received(value)}`,
      },
    ]);
}
