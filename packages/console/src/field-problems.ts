import { ApiError } from "./api";

/**
 * A refusal split by the boxes of a form (or of a list's filters): the gateway's messages for each
 * box it named, and whether anything it said names none of them, which is then shown whole. Writes
 * name a box as `input.<field>`; a list's filters, and the store's own checks, by the bare name.
 */
export function fieldProblems<F extends string>(
  error: Error | null,
  fields: readonly F[],
): { fields: Partial<Record<F, string>>; elsewhere: boolean } {
  const found: Partial<Record<F, string>> = {};
  if (!error) return { fields: found, elsewhere: false };
  const issues = error instanceof ApiError ? error.issues : [];
  let elsewhere = issues.length === 0;
  for (const issue of issues) {
    const name = /^(?:input\.)?(\w+)$/.exec(issue.path)?.[1];
    if (name !== undefined && (fields as readonly string[]).includes(name)) {
      const field = name as F;
      found[field] = found[field] ? `${found[field]}; ${issue.message}` : issue.message;
    } else elsewhere = true;
  }
  return { fields: found, elsewhere };
}
