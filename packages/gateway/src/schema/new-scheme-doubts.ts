import { closestField, schemeChanges } from "@pingyi/engine";
import type { SchemesApi, ValidationIssue } from "../store/index.js";

/**
 * What a scheme says of itself rather than how it scores: a copy under a new id is renamed,
 * and may be retitled, but scores alike.
 */
const LABELS = new Set(["id", "name", "description"]);

/** Whether two scheme documents score alike, whatever they are called. */
const scoresAlike = (a: unknown, b: unknown) => schemeChanges(a, b).every((c) => LABELS.has(c.path));

/**
 * Why creating scheme `schemeId` with `document` (basedOn: null) is most likely a mistake, at the
 * field that shows it; none for a scheme that exists (publishing says how to build on it, or
 * answers a creation sent twice). Its id a close spelling of another scheme's (as a misspelt field
 * is told of: case, a letter or two, two letters swapped, one id inside the other), or its rules
 * those of another scheme's latest version: versions are never deleted, so a scheme published
 * under a typo stays on offer, in every list of schemes and to every createCycle, for good.
 * `newScheme: true` confirms it.
 */
export async function newSchemeDoubts(
  schemes: SchemesApi,
  schemeId: string,
  document: unknown,
): Promise<ValidationIssue[]> {
  const there = await schemes.list();
  if (there.some((s) => s.schemeId === schemeId)) return [];
  const create = (what: string) => `to create '${schemeId}'${what} beside it, pass newScheme: true`;
  const doubts: ValidationIssue[] = [];
  const near = closestField(
    schemeId,
    there.map((s) => s.schemeId),
  );
  const nearest = there.find((s) => s.schemeId === near);
  if (nearest)
    doubts.push({
      path: "input.schemeId",
      message: `a scheme '${nearest.schemeId}' exists (at version ${nearest.latestVersion}): to publish a new version of it, pass schemeId "${nearest.schemeId}" and basedOn: ${nearest.latestVersion}; ${create("")}`,
    });
  const latest = await schemes.getMany(
    there.map((s) => ({ schemeId: s.schemeId, version: s.latestVersion })),
  );
  // By id, so that the scheme named is the same whichever order the database answers in.
  const twin = latest
    .sort((a, b) => (a.schemeId < b.schemeId ? -1 : a.schemeId > b.schemeId ? 1 : 0))
    .find((v) => scoresAlike(v.document, document));
  if (twin)
    doubts.push({
      path: "input.document",
      message: `the rules are those of scheme '${twin.schemeId}' version ${twin.version}, its latest (id, name and description aside): a scheme's rules copied under a new id are most often a publication under a mistaken id; ${create(" with them")}`,
    });
  return doubts;
}
