import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";
import { ValidationError, type ValidationIssue } from "./store/errors.js";
import { unstorableText } from "./unstorable-text.js";

/**
 * How deep lists and objects may nest inside one argument (the argument itself is level 1). The
 * example schemes nest 6 deep and a scenario with records about as much; what reads an argument
 * after this check (zod, the engine, JSON.stringify into jsonb and cache keys) recurses, and
 * would run out of stack on the thousands of levels a 200 KB body can hold.
 */
export const MAX_ARGUMENT_DEPTH = 64;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
  /** An object key to check for NUL and lone surrogates, when this value was reached through one. */
  key?: string;
}

/**
 * PostgreSQL text cannot hold NUL (U+0000): an argument with one would fail deep in the driver
 * and reach the client as "Unexpected error."; nor a lone surrogate, which would be stored as
 * U+FFFD (see unstorableText). Nor can an argument nest deeper than
 * MAX_ARGUMENT_DEPTH. This Pothos plugin checks every argument of every field (strings, list
 * items, JSON values and object keys) before the resolver runs and raises a ValidationError
 * naming each field. It is listed after the errors plugin, so fields with typed errors return it
 * as their ValidationError result.
 *
 * The walk keeps its own stack, not the call stack: it is what meets a too-deep argument first.
 * Issues come in document order.
 */
export function argumentIssues(args: object): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const pending: Pending[] = Object.entries(args)
    .map(([k, value]): Pending => ({ value, path: k, depth: 1, key: k }))
    .reverse();
  const tooDeep = new Set<string>();
  for (let at = pending.pop(); at; at = pending.pop()) {
    const { value, path, depth } = at;
    const inKey = at.key === undefined ? undefined : unstorableText(at.key);
    if (inKey) out.push({ path, message: `${inKey} (in a key)` });
    if (typeof value === "string") {
      const problem = unstorableText(value);
      if (problem) out.push({ path, message: problem });
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) continue; // a File, a Date: not text
    if (depth > MAX_ARGUMENT_DEPTH) {
      // Once per argument: the first place says what to fix, and a wide one could hold thousands.
      const argument = /^[^.[]*/.exec(path)![0];
      if (!tooDeep.has(argument))
        out.push({
          path,
          message: `nests lists and objects more than ${MAX_ARGUMENT_DEPTH} levels deep; no scheme, scenario or record needs that many`,
        });
      tooDeep.add(argument);
      continue;
    }
    const children: Pending[] = Array.isArray(value)
      ? value.map((v, i) => ({ value: v, path: `${path}[${i}]`, depth: depth + 1 }))
      : Object.entries(value).map(([k, v]) => ({ value: v, path: `${path}.${k}`, depth: depth + 1, key: k }));
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return out;
}

export class NoNulPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types["Context"], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, context, info) => {
      const issues = argumentIssues(args);
      if (issues.length) throw new ValidationError(issues);
      return resolver(parent, args, context, info);
    };
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types["Context"], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types["Context"], object> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, context, info) => {
      const issues = argumentIssues(args);
      if (issues.length) throw new ValidationError(issues);
      return subscribe(parent, args, context, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      noNul: NoNulPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin("noNul", NoNulPlugin);

/** The plugin's name, for the builder's `plugins` list. */
export const NO_NUL_PLUGIN = "noNul" as const;
