import { isSecretVote } from "@pingyi/engine";
import { atLeast } from "../auth/roles.js";
import type { Context } from "../context.js";
import { GraphQLError } from "../graphql.js";
import type { BallotFilter, Cycle } from "../store/index.js";
import { declared } from "./scheme-filter.js";

/**
 * The vote categories of the cycle's scheme version that are secret (`vote.secret`, 无记名投票),
 * read from the stored document as the other filters read it.
 */
export async function secretVoteCategories(
  ctx: Pick<Context, "store" | "loaders">,
  cycle: Cycle,
): Promise<string[]> {
  const categories = await declared(ctx, cycle, "categories");
  return categories.filter((c) => isSecretVote(c.method)).map((c) => String(c.id));
}

/**
 * The ballots a caller may list. In a secret vote, one voter's ballots read side by side say how
 * that voter scored each unit, which the engine's explanations no longer say; only an
 * administrator, who records and corrects them, lists them. Anyone else asking for a secret
 * category is refused by name; asking for none, they get the other categories' ballots.
 */
export async function ballotsVisibleTo(
  ctx: Pick<Context, "store" | "loaders" | "principal">,
  cycle: Cycle,
  filter: BallotFilter,
): Promise<BallotFilter> {
  const role = ctx.principal?.role;
  if (atLeast(role, "admin")) return filter;
  const secret = await secretVoteCategories(ctx, cycle);
  if (secret.length === 0) return filter;
  if (filter.category === undefined) return { ...filter, withoutCategories: secret };
  if (!secret.includes(filter.category)) return filter;
  throw new GraphQLError(
    `category "${filter.category}" is a secret vote (vote.secret in scheme ${cycle.schemeId} v${cycle.schemeVersion}, which cycle '${cycle.id}' uses): only an admin lists its ballots; a unit's breakdown gives the values of its ballots`,
    { extensions: { code: "FORBIDDEN", ...(role ? { role } : {}), needed: "admin" } },
  );
}
