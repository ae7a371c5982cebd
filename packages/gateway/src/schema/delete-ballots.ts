import { z } from "zod";
import { builder } from "../builder.js";
import type { Cycle } from "../store/index.js";
import { WRITE_ERRORS } from "./common.js";
import { CycleRef } from "./refs.js";
import { check } from "./validate.js";

/**
 * A vote's ballots deleted together: what a forced move left in a category its version drops,
 * renames or rescores, or the ballots of a voter who should not have voted. deleteBallot takes
 * one at a time, and a province's vote has 200,000.
 */

// Trimmed, as recordBallot stores them. No longest length: whatever is stored must be deletable.
const name = z.string().trim().min(1, "must not be empty");
const which = z.object({ category: name, voter: name.nullish() });

interface DeletedBallots {
  cycle: Cycle;
  category: string;
  voter: string | null;
  ballots: number;
}

const DeletedBallotsRef = builder.objectRef<DeletedBallots>("DeletedBallots").implement({
  description: "The ballots `deleteBallots` took out, counted; the audit entry of the deletion lists each.",
  fields: (t) => ({
    cycle: t.field({
      type: CycleRef,
      description: "The cycle as it is after the deletion: its ranking no longer reads them.",
      resolve: (d) => d.cycle,
    }),
    category: t.exposeString("category"),
    voter: t.exposeString("voter", {
      nullable: true,
      description: "The voter whose ballots were deleted; null when every voter's of the category were.",
    }),
    ballots: t.exposeInt("ballots", { description: "Ballots deleted." }),
  }),
});

builder.mutationFields((t) => ({
  deleteBallots: t.field({
    type: DeletedBallotsRef,
    description:
      "Deletes every ballot of one category in an open cycle, or only one voter's there, in one transaction: the " +
      "ballots a forced move left in a category its scheme version drops, renames or scores by another method " +
      "(the category need not be one the version declares), or those of a voter who should not have voted; a " +
      "secret vote's too. One audit entry keeps them all (`delete`, entity `ballot`, `entityId` the category or " +
      "`category/voter`, its `before` listing every ballot deleted by unit then voter, with `reason`), rather " +
      "than one entry per ballot. `expectedBallots` confirms how many: another number stored (a ballot written " +
      "since the count was read, or `voter` left out by mistake, which would take every voter's) is refused at " +
      "`expectedBallots`, nothing deleted. Deleting nothing is refused, nothing written: at `category` when the " +
      "cycle has no ballots in it (the message lists the categories it has ballots in), else at `voter`. A " +
      "finalised cycle is refused (CycleFinalisedError). Subscribers of the cycle's ranking are sent one event " +
      "(`ballot`). On the embedded database a province's vote (200,000 ballots) takes some seconds; other " +
      "requests are answered meanwhile.",
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      cycleId: t.arg.id({ required: true }),
      category: t.arg.string({
        required: true,
        description: "Trimmed, as the writes store it: any category the cycle has ballots in.",
      }),
      voter: t.arg.string({
        description:
          "Only this voter's ballots of the category, trimmed as the writes store it. Left out (or null), every voter's.",
      }),
      expectedBallots: t.arg.int({
        required: true,
        description:
          "How many ballots this deletes, as the caller read it (`Cycle.ballotCategories`, or `ballots(category:, voter:)`'s `totalCount`): deleting is refused unless the cycle holds exactly that many.",
      }),
      reason: t.arg.string({
        description:
          "Why they are deleted (the forced move that left them, the voter who should not have voted), kept in the audit entry (`AuditEntry.reason`). Optional; said in words, at most 2,000 characters.",
      }),
    },
    resolve: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      const v = check(which, { category: args.category, voter: args.voter }, "");
      const voter = v.voter ?? null;
      const ballots = await ctx.store.records.deleteBallots(
        ctx.actor,
        cycleId,
        { category: v.category, ...(voter === null ? {} : { voter }) },
        { expected: args.expectedBallots, reason: args.reason ?? null },
      );
      await ctx.notify({ cycleId, reason: "ballot" });
      return { cycle: await ctx.store.cycles.get(cycleId), category: v.category, voter, ballots };
    },
  }),
}));
