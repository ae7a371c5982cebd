import { ApiError, HttpError } from "./api";

/**
 * What asking the same again can come to, for a read that failed. *Try again* is offered only
 * where it can help: a refusal of what was asked answers the same the next time, and a button
 * that repeats it teaches a person to press it rather than to change what was asked.
 *
 * - `now`: the failure was of the way to the gateway or of the gateway itself (out of reach,
 *   failing, restarting) or of the data changing under the read; the next try may go through.
 * - `wait`: the gateway limits requests, and said for how many seconds: trying before they are
 *   over is refused again.
 * - `repeats`: refused for what was asked. `change` says what to change instead: `input`, what
 *   was sent (a ValidationError names it); `limit`, how much was asked at once (a request over the
 *   work budget or the query limits, a body too large); null, nothing the page can change (not
 *   found, not allowed, a state of the data), which its message says.
 */
export type RetryAdvice =
  | { kind: "now" }
  | { kind: "wait"; seconds: number }
  | { kind: "repeats"; change: "input" | "limit" | null };

/** Refusals of the gateway that a second try may not meet: its state, not the request, failed. */
const PASSING = new Set([
  // gql's own: no reply at all, or one cut off.
  "NETWORK",
  "UNAVAILABLE",
  "STALE_CURSOR",
  // The gateway's failure of its own, masked ("Unexpected error."), and its database's full disk.
  "INTERNAL_SERVER_ERROR",
  "STORAGE",
]);

/** Limits on one request: asking for less at a time goes through, asking again does not. */
const LIMITS = new Set(["QUERY_TOO_COSTLY", "REQUEST_ENTITY_TOO_LARGE"]);

/**
 * A request over the gateway's work budget is a ValidationError like a mistyped value, told apart
 * by its words (limits.ts's `overBudget`: "… is too large for one request (estimated …)").
 */
const OVER_BUDGET = "too large for one request";

export function retryAdvice(error: Error): RetryAdvice {
  if (!(error instanceof ApiError)) return { kind: "repeats", change: null };
  if (error.code === "RATE_LIMITED" || (error instanceof HttpError && error.status === 429))
    return error.retryAfter === null ? { kind: "now" } : { kind: "wait", seconds: error.retryAfter };
  if (error instanceof HttpError) {
    // 5xx: whatever stands in front of the gateway failed, or found the gateway down; 408: it
    // gave up waiting. 413 is a body too large; any other status is its refusal of the request.
    if (error.status >= 500 || error.status === 408) return { kind: "now" };
    return { kind: "repeats", change: error.status === 413 ? "limit" : null };
  }
  if (PASSING.has(error.code)) return { kind: "now" };
  if (LIMITS.has(error.code)) return { kind: "repeats", change: "limit" };
  if (error.code === "VALIDATION" || error.code === "BAD_USER_INPUT") {
    const overBudget = [error.message, ...error.issues.map((i) => i.message)].some((m) =>
      m.includes(OVER_BUDGET),
    );
    return { kind: "repeats", change: overBudget ? "limit" : "input" };
  }
  return { kind: "repeats", change: null };
}
