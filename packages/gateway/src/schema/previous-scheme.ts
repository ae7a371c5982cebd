import DataLoader from "dataloader";
import { builder } from "../builder.js";
import { type Context, versionKey } from "../context.js";
import { previousSchemeVersions, type SchemeVersionKey } from "../store/scheme-moves.js";
import { CycleRef, SchemeVersionRef } from "./refs.js";

/**
 * One loader per set of loaders, which a request's query keeps throughout: a page of cycles
 * reads the log once. A mutation field's answer is read through fresh ones after its write
 * (mutation-reads.ts), so a second move in the same document answers the version the first
 * moved the cycle to.
 */
const perRequest = new WeakMap<object, DataLoader<string, SchemeVersionKey | null>>();

function previousOf(ctx: Pick<Context, "store" | "loaders">): DataLoader<string, SchemeVersionKey | null> {
  let loader = perRequest.get(ctx.loaders);
  if (loader === undefined) {
    loader = new DataLoader(async (ids) => {
      const found = await previousSchemeVersions(ctx.store.db, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}

builder.objectField(CycleRef, "previousScheme", (t) =>
  t.field({
    type: SchemeVersionRef,
    nullable: true,
    description:
      "The scheme version the cycle was scored under before its latest move to another (`setCycleScheme`, forced or not), as that move's audit entry keeps it: in `setCycleScheme`'s answer, the version just left, its `maximum` beside `scheme { maximum }` saying what the move changed. Null for a cycle never moved since it was created. A move to the version the cycle is on changes nothing, and leaves this as it was.",
    authScopes: { viewer: true },
    resolve: async (c, _a, ctx) => {
      const previous = await previousOf(ctx).load(c.id);
      if (previous === null) return null;
      return (
        (await ctx.loaders.schemeVersion.load(versionKey(previous.schemeId, previous.version))) ??
        // Never published (a database edited by hand): the store's NotFound, which says so.
        ctx.store.schemes.get(previous.schemeId, previous.version)
      );
    },
  }),
);
