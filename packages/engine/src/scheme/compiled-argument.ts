import { wrongArgument } from "../argument-kind.js";
import { type CompiledScheme, isCompiled } from "./compile-scheme.js";

/**
 * Throws the engine's InputError when a function that takes a compiled scheme is given anything
 * else (a scheme document most often): it would fail deep inside with a TypeError.
 */
export function checkCompiledArgument(
  compiled: unknown,
  parameter = "compiled",
): asserts compiled is CompiledScheme {
  if (!isCompiled(compiled))
    throw wrongArgument(parameter, "a compiled scheme from compileScheme(scheme)", compiled);
}
