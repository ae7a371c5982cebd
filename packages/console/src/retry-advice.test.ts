import { describe, expect, it } from "vitest";
import { ApiError, HttpError } from "./api";
import { retryAdvice } from "./retry-advice";

const refused = (code: string, message = "refused", issues: { path: string; message: string }[] = []) =>
  new ApiError(message, code, issues);

describe("retryAdvice", () => {
  it("offers trying again at once where the way to the gateway, or the gateway, failed", () => {
    for (const code of ["NETWORK", "UNAVAILABLE", "STALE_CURSOR", "INTERNAL_SERVER_ERROR", "STORAGE"])
      expect(retryAdvice(refused(code)), code).toEqual({ kind: "now" });
    for (const status of [500, 502, 503, 504, 408])
      expect(retryAdvice(new HttpError(status, "")), String(status)).toEqual({ kind: "now" });
  });

  it("offers it after the wait a rate limit asked for, the gateway's or a proxy's", () => {
    expect(retryAdvice(new ApiError("too many requests", "RATE_LIMITED", [], 42))).toEqual({
      kind: "wait",
      seconds: 42,
    });
    expect(retryAdvice(new HttpError(429, "Too Many Requests", 7))).toEqual({ kind: "wait", seconds: 7 });
    // No wait said: the sentence says "a moment", and a try may go through.
    expect(retryAdvice(new ApiError("too many requests", "RATE_LIMITED"))).toEqual({ kind: "now" });
  });

  it("says to change what was sent for a refusal of it, which the next try would meet again", () => {
    const invalid = refused("VALIDATION", "scenario.patch.categories.work.points: must be at least 0", [
      { path: "scenario.patch.categories.work.points", message: "must be at least 0" },
    ]);
    expect(retryAdvice(invalid)).toEqual({ kind: "repeats", change: "input" });
    expect(retryAdvice(refused("BAD_USER_INPUT"))).toEqual({ kind: "repeats", change: "input" });
  });

  it("says to ask for less for a refusal over a limit of one request", () => {
    // As limits.ts's spend refuses a what-if over the work budget: a ValidationError by its words.
    const overBudget = refused("VALIDATION", "scenario: this what-if is too large …", [
      {
        path: "scenario",
        message:
          "this what-if is too large for one request (estimated 6,000,000 work units, 5,000,000 left of 5,000,000): ask for less, or split it over several requests",
      },
    ]);
    expect(retryAdvice(overBudget)).toEqual({ kind: "repeats", change: "limit" });
    expect(retryAdvice(refused("QUERY_TOO_COSTLY"))).toEqual({ kind: "repeats", change: "limit" });
    expect(retryAdvice(refused("REQUEST_ENTITY_TOO_LARGE"))).toEqual({ kind: "repeats", change: "limit" });
    expect(retryAdvice(new HttpError(413, "Payload Too Large"))).toEqual({
      kind: "repeats",
      change: "limit",
    });
  });

  it("offers nothing for a refusal the page cannot change by asking again", () => {
    for (const code of [
      "NOT_FOUND",
      "FORBIDDEN",
      "CONFLICT",
      "CYCLE_FINALISED",
      "UNAUTHENTICATED",
      "GRAPHQL",
    ])
      expect(retryAdvice(refused(code)), code).toEqual({ kind: "repeats", change: null });
    for (const status of [401, 403, 404, 418])
      expect(retryAdvice(new HttpError(status, "")), String(status)).toEqual({
        kind: "repeats",
        change: null,
      });
    // The console's own failure (a bug, not the gateway's answer) is not cured by asking again.
    expect(retryAdvice(new TypeError("Cannot read properties of undefined"))).toEqual({
      kind: "repeats",
      change: null,
    });
  });
});
