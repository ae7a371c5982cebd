import { unknownId } from "../exact-id.js";
import { InputError } from "../input-error.js";
import type { Scheme } from "../scheme/scheme-schema.js";

/**
 * The `groups` option of an analysis that works group by group (a sweep, a Monte-Carlo run):
 * the groups asked for, each once, in the scheme's order; null when the option is left out
 * (every group). An empty list is refused rather than answered with no units, and every
 * unknown group is named by its place in the list.
 */
export function askedGroups(scheme: Scheme, asked: readonly string[] | undefined): string[] | null {
  if (asked === undefined) return null;
  const issue = (message: string) => new InputError("scenario", [{ path: ["groups"], message }]);
  if (!Array.isArray(asked)) throw issue("must be a list of group ids");
  if (asked.length === 0) throw issue("must name at least one group (leave it out for every group)");
  const known = new Set(scheme.groups.map((g) => g.id));
  // Only text is quoted: String() of an object whose toString is no function (JSON can give
  // one) throws a TypeError.
  const unknown = asked.flatMap((g, k) =>
    known.has(g)
      ? []
      : [
          {
            path: ["groups", k],
            message: typeof g === "string" ? unknownId("group", g, known, true) : "must be a group id",
          },
        ],
  );
  if (unknown.length > 0) throw new InputError("scenario", unknown);
  const wanted = new Set(asked);
  return scheme.groups.filter((g) => wanted.has(g.id)).map((g) => g.id);
}
