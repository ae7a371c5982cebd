import { createRequire } from "node:module";
import type * as GraphQL from "graphql";

/**
 * graphql-js through Node's own resolution. graphql 16 ships both index.js and index.mjs
 * without an exports map: Node (and so yoga, Pothos and armor) load the CommonJS copy, while
 * bundler-style resolvers (vitest) would hand our source the .mjs copy, and two copies break
 * every `instanceof GraphQLError` check. Requiring it pins the one copy everybody uses.
 *
 * Still needed after the vitest `conditions` fix: conditions only apply to packages with an
 * exports map, which graphql 16 lacks. Checked under vitest 4.1: a plain `import "graphql"` in a
 * test gives a different GraphQLError than the one yoga requires, and the security tests then
 * see INTERNAL_SERVER_ERROR instead of UNAUTHENTICATED/FORBIDDEN. (Plain `import` does work
 * under `pnpm start`, where Node resolves `main` for both.)
 */
const graphql = createRequire(import.meta.url)("graphql") as typeof GraphQL;

export const {
  astFromValue,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  isUnionType,
  lexicographicSortSchema,
  print,
  printSchema,
  validate,
  visit,
} = graphql;
export type { GraphQLError as GraphQLErrorType, GraphQLField, GraphQLSchema, ValueNode } from "graphql";
