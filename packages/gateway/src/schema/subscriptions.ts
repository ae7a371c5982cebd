import { builder } from "../builder.js";
import type { RankingEvent } from "../context.js";
import { RankingRef } from "./refs.js";

const RankingUpdateRef = builder.objectRef<RankingEvent>("RankingUpdate").implement({
  description: "A cycle's data or rules changed; `ranking` is the fresh table.",
  fields: (t) => ({
    cycleId: t.exposeID("cycleId"),
    reason: t.exposeString("reason", {
      description: "What changed: score, finding, import, scheme, unit, finalised, …",
    }),
    ranking: t.field({
      type: RankingRef,
      resolve: async (e, _a, ctx) => {
        const scored = await ctx.evaluations.get(e.cycleId);
        return { scored, evaluation: scored.evaluation, group: null, scenarioId: null, revision: scored.key };
      },
    }),
  }),
});

builder.subscriptionField("rankingUpdated", (t) =>
  t.field({
    type: RankingUpdateRef,
    description: "Fires when a cycle's data or rules change (Server-Sent Events at /graphql).",
    authScopes: { rankings: true },
    args: { cycleId: t.arg.id({ required: true }) },
    subscribe: (_r, args, ctx) => ctx.pubsub.subscribe("rankingUpdated", String(args.cycleId)),
    resolve: (event) => event,
  }),
);
