import { formatPath, InputError } from "@pingyi/engine";
import { GraphQLError, type GraphQLErrorType } from "./graphql.js";
import { ValidationError } from "./store/index.js";

/**
 * The engine reports bad schemes and datasets as InputError; clients see them as the same
 * typed ValidationError the store raises, with one path per problem.
 */
export function toClientError(err: unknown): unknown {
  if (err instanceof InputError) {
    return new ValidationError(
      err.issues.map((i) => ({ path: `${err.subject}.${formatPath(i.path)}`, message: i.message })),
    );
  }
  return err;
}

/** Runs engine code and translates its input errors. */
export function engineCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toClientError(err);
  }
}

export const unauthenticated = (): GraphQLErrorType =>
  new GraphQLError("a valid bearer token is required", {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  });

export const forbidden = (message = "your role may not do this"): GraphQLErrorType =>
  new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
