import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import ErrorsPlugin from "@pothos/plugin-errors";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { atLeast, neededRole } from "./auth/roles.js";
import type { Context } from "./context.js";
import { forbidden, unauthenticated } from "./errors.js";
import { NO_NUL_PLUGIN } from "./no-nul.js";
import { noteTypedError } from "./request-log.js";
import { StoreError } from "./store/index.js";

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { viewer: boolean; analyst: boolean; admin: boolean; rankings: boolean };
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date };
    File: { Input: File; Output: never };
    Seed: { Input: number; Output: number };
  };
  DefaultFieldNullability: false;
}>({
  // Scope auth first so it wraps outermost: a refused caller never reaches a resolver. NUL checks
  // inside the errors plugin, so their ValidationError becomes the field's typed result.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, NO_NUL_PLUGIN, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      viewer: atLeast(ctx.principal?.role, "viewer"),
      analyst: atLeast(ctx.principal?.role, "analyst"),
      admin: atLeast(ctx.principal?.role, "admin"),
      rankings: ctx.config.PINGYI_PUBLIC_RANKINGS || atLeast(ctx.principal?.role, "viewer"),
    }),
    unauthorizedError: (_parent, ctx, info, result) =>
      ctx.principal ? forbidden(ctx.principal.role, info, neededRole(result.failure)) : unauthenticated(),
    // Otherwise a subscription without a token is held open and refused only when an event comes.
    authorizeOnSubscribe: true,
  },
  // StoreError as the default keeps driver errors (not StoreErrors) out of results: they are masked.
  errors: { defaultTypes: [StoreError], directResult: true, onResolvedError: noteTypedError },
  relay: { clientMutationId: "omit", cursorType: "String" },
});
