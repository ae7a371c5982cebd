/**
 * A JSON object (not an array, not null): what a document, a patch, a record or a draft must be
 * for its members to be read.
 */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
