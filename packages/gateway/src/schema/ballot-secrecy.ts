import { isSecretVote } from "@pingyi/engine";
import { atLeast } from "../auth/roles.js";
import type { Context } from "../context.js";
import { GraphQLError } from "../graphql.js";
import { isNamedVote } from "../named-vote.js";
import { type BallotFilter, type Cycle, ValidationError } from "../store/index.js";
import { categoryFilter, declared } from "./scheme-filter.js";

type Declared = Awaited<ReturnType<typeof declared>>[number];

/**
 * Why a reader is refused the ballots of a category the version declares (`categoryFilter` has
 * refused one it does not) and does not declare a named vote.
 */
function notNamed(cycle: Cycle, id: string, method: Declared["method"]): string {
  const version = `scheme ${cycle.schemeId} v${cycle.schemeVersion}, which cycle '${cycle.id}' uses`;
  if (isSecretVote(method))
    return `category "${id}" is a secret vote (vote.secret in ${version}): only an admin lists its ballots; a unit's breakdown gives the values of its ballots`;
  return `category "${id}" is a ${String(method?.kind)} category, not a vote, in ${version}: only an admin lists the ballots a version does not score as a named vote, and corrects them (an earlier version may have declared them secret)`;
}

/**
 * The ballots a caller may list. One voter's ballots read side by side say how that voter scored
 * each unit: below admin, only those of the named votes of the cycle's scheme version are
 * listed. A secret vote's (无记名投票) are an admin's, who records and corrects them; so are those
 * a forced move left in a category the version drops, renames or scores by another method, which
 * may have been a secret vote's. Naming such a category is refused by name (one the version does
 * not declare was refused as unknown before: `ballotCategoryFilter`); naming none gets the named
 * votes' ballots.
 */
export async function ballotsVisibleTo(
  ctx: Pick<Context, "store" | "loaders" | "principal">,
  cycle: Cycle,
  filter: BallotFilter,
): Promise<BallotFilter> {
  const role = ctx.principal?.role;
  if (atLeast(role, "admin")) return filter;
  const categories = await declared(ctx, cycle, "categories");
  if (filter.category === undefined)
    return {
      ...filter,
      onlyCategories: categories.filter((c) => isNamedVote(c.method)).map((c) => String(c.id)),
    };
  const { method } = categories.find((c) => c.id === filter.category) ?? {};
  if (isNamedVote(method)) return filter;
  throw new GraphQLError(notNamed(cycle, filter.category, method), {
    extensions: { code: "FORBIDDEN", ...(role ? { role } : {}), needed: "admin" },
  });
}

/**
 * The ballots list's `category`, refused as the other lists refuse a category the cycle's scheme
 * version does not declare, except to an admin when the cycle has ballots in it: a forced move
 * left them (a vote the version drops or renames), and they are the admin's to find, correct or
 * delete, which an "unknown category" answer left to paging through every ballot.
 */
export async function ballotCategoryFilter(
  ctx: Pick<Context, "store" | "loaders" | "principal">,
  cycle: Cycle,
  value: string | number | null | undefined,
): Promise<string | undefined> {
  try {
    return await categoryFilter(ctx, cycle, value);
  } catch (e) {
    if (!(e instanceof ValidationError) || value == null || !atLeast(ctx.principal?.role, "admin")) throw e;
    const category = String(value);
    if ((await ctx.store.records.countBallots(cycle.id, { category })) === 0) throw e;
    return category;
  }
}
