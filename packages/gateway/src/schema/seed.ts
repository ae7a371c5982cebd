/** The `Seed` scalar: a Monte-Carlo seed, every one the engine takes. */
import { builder } from "../builder.js";
import { GraphQLError, Kind, type ValueNode } from "../graphql.js";

/** The engine's largest seed, 2³² − 1: past GraphQL's Int, which stops at 2³¹ − 1. */
export const MAX_SEED = 2 ** 32 - 1;

const notNumber = (what: string) =>
  new GraphQLError(`a seed is a whole number from 0 to ${MAX_SEED}, written as a number, not ${what}`);

/**
 * Any number, in a query or a variable: whether it is a whole number in range is the resolver's
 * to say, as a ValidationError at `seed` (a scalar's refusal would name no argument). Only what
 * is no number at all (text, true) is refused here, as Int refuses it.
 */
const parseLiteral = (node: ValueNode): number => {
  if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
  throw notNumber(node.kind === Kind.STRING ? `text ${JSON.stringify(node.value.slice(0, 40))}` : node.kind);
};

builder.scalarType("Seed", {
  description: `A Monte-Carlo seed: a whole number from 0 to ${MAX_SEED} (2³² − 1), every seed the engine takes (GraphQL's Int stops at 2147483647). Written as a number, in the query (\`seed: 42\`) or in a variable declared \`Seed!\`.`,
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== "number")
      throw notNumber(typeof v === "string" ? `text ${JSON.stringify(v.slice(0, 40))}` : String(v));
    return v;
  },
  parseLiteral,
});
