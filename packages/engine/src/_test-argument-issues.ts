import { expect } from "vitest";
import { InputError } from "./input-error.js";

/**
 * Test helper: each issue of the InputError `call` throws, as "path: message", after checking
 * the refusal is about an argument (what a caller passed, not a scheme or dataset). Fails the
 * test when `call` returns, or throws anything else.
 */
export function argumentIssues(call: () => unknown): string[] {
  try {
    call();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.subject).toBe("argument");
    return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  }
  throw new Error("expected an InputError");
}
