/** Roles are ordered: each one may do everything the roles before it may. */
export const ROLES = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (v: unknown): v is Role =>
  typeof v === "string" && (ROLES as readonly string[]).includes(v);

export const atLeast = (role: Role | undefined, needed: Role): boolean =>
  role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** The roles that may do what `needed` may: `needed` and every role after it. */
export const rolesFrom = (needed: Role): Role[] => ROLES.slice(ROLES.indexOf(needed));

/** Words as a sentence lists them: "viewer, analyst or admin". */
export const listed = (words: readonly string[]): string =>
  words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;

/** Who is calling: `subject` becomes the actor in the audit log. */
export interface Principal {
  subject: string;
  role: Role;
  /** The token's `exp` claim: when it expires, as messages say. */
  expiresAt?: Date;
  /**
   * When the gateway stops accepting the token: `expiresAt` plus the slack
   * PINGYI_JWT_CLOCK_TOLERANCE_SECONDS gives every request. A request is checked once, but a
   * subscription lives on: it is ended at this time, or it would go on delivering to a token
   * that expired.
   */
  acceptedUntil?: Date;
}

/** A Pothos scope-auth failure, as far as the roles it asked for go. */
export interface ScopeFailure {
  kind: string;
  scope?: string;
  failures?: ScopeFailure[];
}

/**
 * The least role that would have passed a failed scope check: of any-of scopes the least, of
 * all-of ones the greatest. `rankings` is a viewer's scope once anyone is signed in. Undefined
 * when no scope in the failure is a role.
 */
export function neededRole(failure: ScopeFailure): Role | undefined {
  if (failure.kind === "AuthScope") {
    const scope = failure.scope === "rankings" ? "viewer" : failure.scope;
    return isRole(scope) ? scope : undefined;
  }
  const needs = (failure.failures ?? []).map(neededRole).filter((r): r is Role => r !== undefined);
  if (needs.length === 0) return undefined;
  const ranks = needs.map((r) => ROLES.indexOf(r));
  return ROLES[failure.kind === "AllAuthScopes" ? Math.max(...ranks) : Math.min(...ranks)];
}
