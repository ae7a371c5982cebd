import type { SchemeChange } from "./rules-api";

// Test support, not part of the console.

/** A scheme diff's entry as the gateway answers it: what a test leaves out is null. */
export const change = (c: Partial<SchemeChange> & Pick<SchemeChange, "path" | "kind">): SchemeChange => ({
  before: null,
  after: null,
  renamedTo: null,
  renamedFrom: null,
  ...c,
});
