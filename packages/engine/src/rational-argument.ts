import { InputError, received, shownBigint } from "./input-error.js";
import type { Rational } from "./rational.js";

/**
 * True for an exact value the helpers can work with: bigint parts and a denominator above 0.
 * Every rational the engine makes has d > 0, but one stored and read back, or built by hand,
 * can have any: with d = 0 `toExactString` never returns, and with d < 0 `cmp`, `toFixed` and
 * a ranking read the value with the wrong sign. Shared by the engine's modules, not part of the
 * package's API.
 */
export function isExactValue(value: unknown): value is Rational {
  const r = value as Partial<Rational> | null | undefined;
  return typeof r?.n === "bigint" && typeof r.d === "bigint" && r.d > 0n;
}

/**
 * Throws the engine's InputError when an exact-arithmetic helper is given other than an exact
 * value: a plain number would fail as "Cannot mix BigInt and other types" or "NaN cannot be
 * converted to a BigInt", which names neither the argument nor the way to make one.
 */
export function checkRationalArgument(value: unknown, parameter: string): asserts value is Rational {
  const message = notExactValue(value);
  if (message !== undefined) throw new InputError("argument", [{ path: [parameter], message }]);
}

/**
 * What is wrong with a value given where an exact one belongs, in one wording wherever the
 * engine takes one (a helper's argument, a formula's scope); undefined for an exact value.
 */
export function notExactValue(value: unknown): string | undefined {
  if (isExactValue(value)) return undefined;
  const r = value as Partial<Rational> | null | undefined;
  return typeof r?.n !== "bigint" || typeof r?.d !== "bigint"
    ? `expected an exact value ({ n, d } bigints) from parseDecimal("…") or ratio(n, d); got ${received(value)}`
    : `expected an exact value whose denominator d is above 0, as parseDecimal("…") and ratio(n, d) make it; got d = ${shownBigint(r.d, "n")}`;
}
