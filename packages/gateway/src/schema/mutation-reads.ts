import { type Context, renewLoaders } from "../context.js";
import type { GraphQLSchema } from "../graphql.js";

/**
 * A mutation document's fields run one after another, each answer read before the next field
 * starts, and each must see what the fields before it wrote. The request's loaders would keep
 * what an earlier field read before its write: a unit created by one `upsertUnit` stayed "not
 * found" as the `parent` of the next, and a `createCycle` after a `deleteCycle` of the same id
 * answered the deleted cycle's `previousScheme`. So every root mutation field reads through
 * fresh loaders, and its answer's selection through fresh ones again after its write: one
 * field's batching is kept, and nothing crosses a write. Queries keep one set of loaders for the
 * whole request, as they write nothing.
 */
export function freshReadsAcrossWrites(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve;
    if (!resolve) continue;
    field.resolve = async (source, args, ctx: Context, info) => {
      renewLoaders(ctx);
      try {
        return await resolve(source, args, ctx, info);
      } finally {
        renewLoaders(ctx);
      }
    };
  }
  return schema;
}
