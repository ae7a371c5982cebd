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
 * An issue's path as the engine writes it (`bounds[1].high`, `input.patch.categories.publik`):
 * `path` under `head`, an index in brackets, a key after a dot. Every issue the gateway builds
 * uses it, so a client reads one style whoever checked the argument.
 */
export function issuePath(head: string, path: readonly PropertyKey[]): string {
  const at = path.map((p) => (typeof p === "number" ? p : String(p)));
  if (at.length === 0) return head;
  if (!head) return formatPath(at);
  return `${head}${typeof at[0] === "number" ? "" : "."}${formatPath(at)}`;
}

/**
 * The engine reports bad schemes, datasets and scenarios as InputError; clients see them as the
 * same typed ValidationError the store raises, with one path per problem.
 */
export function toClientError(err: unknown, prefix: IssuePrefix = {}): unknown {
  if (err instanceof InputError) {
    const head = prefix[err.subject] ?? err.subject;
    return new ValidationError(
      err.issues.map((i) => ({ path: issuePath(head, i.path), message: i.message })),
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
