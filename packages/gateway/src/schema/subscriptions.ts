import { utc } from "../auth/tokens.js";
import { builder } from "../builder.js";
import type { RankingEvent } from "../context.js";
import { GraphQLError } from "../graphql.js";
import { RankingRef } from "./refs.js";
import { untilTokenExpires } from "./until-token-expires.js";

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

/** The last event of a stream whose token expired: it is sent as an error, and the stream ends. */
class TokenExpired {
  constructor(readonly at: Date) {}
}

builder.subscriptionField("rankingUpdated", (t) =>
  t.field({
    type: RankingUpdateRef,
    description:
      "Fires when a cycle's data or rules change (Server-Sent Events at /graphql). When the token it was opened with expires, the stream sends one error (`UNAUTHENTICATED`, reason `ERR_JWT_EXPIRED`) and ends: subscribe again with a new token.",
    authScopes: { rankings: true },
    args: { cycleId: t.arg.id({ required: true }) },
    subscribe: (_r, args, ctx) => {
      const events = ctx.pubsub.subscribe("rankingUpdated", String(args.cycleId));
      const expiresAt = ctx.principal?.expiresAt;
      return expiresAt ? untilTokenExpires(events, expiresAt, new TokenExpired(expiresAt)) : events;
    },
    resolve: (event) => {
      if (event instanceof TokenExpired)
        throw new GraphQLError(
          `the token this subscription was opened with expired at ${utc(event.at.getTime() / 1000)}: subscribe again with a new token`,
          { extensions: { code: "UNAUTHENTICATED", reason: "ERR_JWT_EXPIRED" } },
        );
      return event;
    },
  }),
);
