import { builder } from "../builder.js";
import type { BallotCount } from "../store/index.js";
import { ballotsVisibleTo } from "./ballot-secrecy.js";
import { CycleRef } from "./refs.js";
import { declared } from "./scheme-filter.js";

/**
 * Where a cycle's ballots are, by category. A forced move leaves a dropped or renamed vote's
 * ballots in a category the version no longer declares: no list of the version's categories
 * names it, and paging through every ballot was the only way to find them before deleting them.
 */

interface BallotCategory extends BallotCount {
  declared: boolean;
}

const BallotCategoryRef = builder.objectRef<BallotCategory>("BallotCategory").implement({
  description: "A category the cycle has ballots in, and how many.",
  fields: (t) => ({
    category: t.exposeString("category"),
    ballots: t.exposeInt("ballots", { description: "The cycle's ballots in the category, at least 1." }),
    declared: t.exposeBoolean("declared", {
      description:
        "Whether the cycle's scheme version declares the category a vote. False: a forced move left these ballots in a category the version drops, renames or scores by another method; the ranking fails until `deleteBallots` deletes them.",
    }),
  }),
});

builder.objectField(CycleRef, "ballotCategories", (t) =>
  t.field({
    type: [BallotCategoryRef],
    description:
      "Each category the cycle has ballots in, with how many, by category: how an admin finds the ballots a forced move left in a category the scheme version no longer declares as a vote (`declared: false`), to list them (`ballots(category:)`) and delete them (`deleteBallots`). Below admin, only the named votes of the cycle's scheme version are counted, as `ballots` lists only theirs: not a secret vote's (`vote.secret`, 无记名投票), nor a forced move's leftovers. Empty when the cycle has no ballots.",
    authScopes: { viewer: true },
    resolve: async (c, _a, ctx) => {
      const [held, categories] = await Promise.all([
        ballotsVisibleTo(ctx, c, {}).then((filter) => ctx.store.records.ballotCategories(c.id, filter)),
        declared(ctx, c, "categories"),
      ]);
      const votes = new Set(categories.filter((d) => d.method?.kind === "vote").map((d) => String(d.id)));
      return held.map((h) => ({ ...h, declared: votes.has(h.category) }));
    },
  }),
);
