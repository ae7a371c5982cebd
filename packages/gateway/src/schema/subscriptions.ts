import type { IncomingMessage } from "node:http";
import { utc } from "../auth/tokens.js";
import { builder } from "../builder.js";
import { clientAddress } from "../client-address.js";
import { type Context, type PubSub, type RankingEvent, renewForEvent } from "../context.js";
import { GraphQLError } from "../graphql.js";
import { OpenStreams, releasedAtEnd } from "../open-streams.js";
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
        // Through the event's loaders (renewForEvent): a refused evaluation is told as the
        // subscriber may read it, a secret vote's ballots named to an admin only.
        const scored = await ctx.loaders.evaluation.load(e.cycleId);
        return { scored, evaluation: scored.evaluation, group: null, scenarioId: null, revision: scored.key };
      },
    }),
  }),
});

/** The streams open on each gateway, which its pubsub stands for (one per process). */
const streams = new WeakMap<PubSub, OpenStreams>();

function openStreams(ctx: Context): OpenStreams {
  const known = streams.get(ctx.pubsub);
  if (known) return known;
  const created = new OpenStreams({
    perClient: ctx.config.PINGYI_MAX_STREAMS_PER_CLIENT,
    perSubject: ctx.config.PINGYI_MAX_STREAMS_PER_SUBJECT,
  });
  streams.set(ctx.pubsub, created);
  return created;
}

/** The last event of a stream whose token expired: it is sent as an error, and the stream ends. */
class TokenExpired {
  constructor(readonly at: Date) {}
}

builder.subscriptionField("rankingUpdated", (t) =>
  t.field({
    type: RankingUpdateRef,
    description:
      "Fires when a cycle's data or rules change (Server-Sent Events at /graphql). An unknown cycle is refused (`NOT_FOUND`), and so is a stream over the number one client address or token subject may hold open (`RATE_LIMITED`; PINGYI_MAX_STREAMS_PER_CLIENT, PINGYI_MAX_STREAMS_PER_SUBJECT). When the token it was opened with expires, the stream sends one error (`UNAUTHENTICATED`, reason `ERR_JWT_EXPIRED`) and ends: subscribe again with a new token.",
    authScopes: { rankings: true },
    args: { cycleId: t.arg.id({ required: true }) },
    subscribe: async (_r, args, ctx) => {
      const cycleId = String(args.cycleId);
      // Refused as every field naming a cycle refuses an unknown one (NOT_FOUND): a stream to a
      // cycle that does not exist was held open for good, hearing nothing.
      await ctx.store.cycles.get(cycleId);
      // yoga's context carries the HTTP request the stream came on.
      const req = (ctx as { req?: IncomingMessage }).req;
      const release = openStreams(ctx).open(
        req ? clientAddress(req, ctx.config.PINGYI_TRUST_PROXY) : null,
        ctx.principal?.subject ?? null,
      );
      const events = ctx.pubsub.subscribe("rankingUpdated", cycleId);
      // Ended when a request with the token would first be refused; said with its own `exp`,
      // as a request's refusal says it.
      const { expiresAt, acceptedUntil = expiresAt } = ctx.principal ?? {};
      return releasedAtEnd(
        expiresAt && acceptedUntil
          ? untilTokenExpires(events, acceptedUntil, new TokenExpired(expiresAt))
          : events,
        release,
      );
    },
    resolve: (event, _a, ctx) => {
      // Events of one stream run one at a time, each before any field under it.
      renewForEvent(ctx);
      if (event instanceof TokenExpired)
        throw new GraphQLError(
          `the token this subscription was opened with expired at ${utc(event.at.getTime() / 1000)}: subscribe again with a new token`,
          { extensions: { code: "UNAUTHENTICATED", reason: "ERR_JWT_EXPIRED" } },
        );
      return event;
    },
  }),
);
