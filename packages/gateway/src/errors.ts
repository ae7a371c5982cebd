import { formatPath, InputError, SweepNotLinearError } from "@pingyi/engine";
import type { GraphQLResolveInfo } from "graphql";
import { listed, type Role, rolesFrom } from "./auth/roles.js";
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
  // Said in full: a first request without a token is how most people meet the API.
  new GraphQLError(
    "a bearer token is required: send the header `Authorization: Bearer <token>`; get a token from your administrator (in development the gateway prints an admin token when it starts, and `pingyi token <role> <subject>` mints others)",
    {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    },
  );

/**
 * A signed-in caller refused a field: the message names their role, the field and the least role
 * it needs (`viewer may not run weightSweep: it needs analyst or admin`); `extensions.role` and
 * `extensions.needed` say the same to programs. `needed` is unknown when the field's scopes are
 * not roles.
 */
export const forbidden = (role: Role, field: RefusedField, needed: Role | undefined): GraphQLErrorType => {
  const refused = `${role} may not ${fieldAction(field)}`;
  return new GraphQLError(needed ? `${refused}: it needs ${listed(rolesFrom(needed))}` : refused, {
    extensions: { code: "FORBIDDEN", role, ...(needed ? { needed } : {}) },
  });
};

/** The parts of a resolver's `info` that say which field was refused. */
export type RefusedField = Pick<GraphQLResolveInfo, "fieldName" | "parentType" | "schema">;

/** A root field is an operation the caller runs; any other is read from the object above it. */
function fieldAction({ fieldName, parentType, schema }: RefusedField): string {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  return roots.includes(parentType) ? `run ${fieldName}` : `read ${parentType.name}.${fieldName}`;
}
