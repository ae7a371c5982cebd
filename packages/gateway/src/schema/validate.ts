import { plainIssues } from "@pingyi/engine";
import type { z } from "zod";
import { issuePath } from "../errors.js";
import { ValidationError } from "../store/index.js";

/**
 * Checks arguments inside the resolver rather than with the validation plugin's `validate`
 * option: the plugin rejects before plugin-errors can turn the failure into the field's typed
 * ValidationError, and its escape hatch (`unsafelyHandleInputErrors`) would skip auth checks.
 */
export function check<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // In the engine's words ("must be at least 1"), not zod's ("Too small: expected number to be >=1").
  throw new ValidationError(
    plainIssues(value, result.error).map((i) => ({ path: issuePath(path, i.path), message: i.message })),
  );
}

/**
 * The id of a record to delete or read, as the record mutations stored it: trimmed, so that
 * " V1 " finds the event recordVetoEvent stored as "V1".
 */
export function storedId(id: string | number): string {
  return String(id).trim();
}

/**
 * The engine check and the store name a record's fields (`input.unit`, `previousCycleId`); a write
 * that takes one under another name (FindingInput's `unitId`) must point the client at the field it sent.
 */
export async function onArguments<T>(names: Record<string, string>, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(err.issues.map((i) => ({ ...i, path: names[i.path] ?? i.path })));
  }
}
