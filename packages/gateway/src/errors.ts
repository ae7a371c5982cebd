import { formatPath, InputError, SweepNotLinearError } from "@pingyi/engine";
import { GraphQLError, type GraphQLErrorType } from "./graphql.js";
import { StoreError, ValidationError } from "./store/index.js";

/** The engine cannot run this analysis on this scheme (e.g. a sweep whose totals are not linear). */
export class NotSupportedError extends StoreError {
  override readonly code = "NOT_SUPPORTED";
}

/**
 * Where engine issues point in the client's input: by default `<subject>.<path>`
 * (`scheme.categories[2].points`, `scenario.patch.categories.publik`); a field whose
 * arguments are the engine's options names its own prefix ("" for top-level arguments).
 */
export type IssuePrefix = Partial<Record<InputError["subject"], string>>;

/**
 * The engine reports bad schemes, datasets and scenarios as InputError; clients see them as the
 * same typed ValidationError the store raises, with one path per problem.
 */
export function toClientError(err: unknown, prefix: IssuePrefix = {}): unknown {
  if (err instanceof InputError) {
    const head = prefix[err.subject] ?? err.subject;
    return new ValidationError(
      err.issues.map((i) => ({
        path:
          i.path.length === 0
            ? head
            : head
              ? `${head}${typeof i.path[0] === "number" ? "" : "."}${formatPath(i.path)}`
              : formatPath(i.path),
        message: i.message,
      })),
    );
  }
  if (err instanceof SweepNotLinearError) return new NotSupportedError(err.message);
  return err;
}

/** Runs engine code and translates its input errors. */
export function engineCall<T>(fn: () => T, prefix?: IssuePrefix): T {
  try {
    return fn();
  } catch (err) {
    throw toClientError(err, prefix);
  }
}

export const unauthenticated = (): GraphQLErrorType =>
  new GraphQLError("a valid bearer token is required", {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  });

export const forbidden = (message = "your role may not do this"): GraphQLErrorType =>
  new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
