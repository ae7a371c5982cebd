import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import type { GraphQLFieldResolver } from "graphql";
import { ValidationError, type ValidationIssue } from "./store/errors.js";

/**
 * PostgreSQL text cannot hold NUL (U+0000): an argument with one would fail deep in the driver
 * and reach the client as "Unexpected error.". This Pothos plugin checks every argument of every
 * field (strings, list items, JSON values and object keys) before the resolver runs and raises a
 * ValidationError naming each field. It is listed after the errors plugin, so fields with typed
 * errors return it as their ValidationError result.
 */
export function nulIssues(value: unknown, path: string, out: ValidationIssue[] = []): ValidationIssue[] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) out.push({ path, message: "must not contain NUL characters" });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) nulIssues(v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return out; // a File, a Date: not text
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (k.includes("\u0000")) out.push({ path: at, message: "must not contain NUL characters (in a key)" });
      nulIssues(v, at, out);
    }
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
      const issues = nulIssues(args, "");
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
      const issues = nulIssues(args, "");
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
