import { describe, expect, it } from "vitest";
import { tokenRequest } from "./token-request.js";
import { UsageError } from "./usage-error.js";

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  return expect.unreachable("the request was accepted");
};

describe("tokenRequest", () => {
  it("reads --expires into the seconds the token will last, 12 hours without it", () => {
    expect(tokenRequest("analyst", "alice", undefined)).toEqual({
      role: "analyst",
      subject: "alice",
      expires: "12h",
      seconds: 43_200,
    });
    expect(tokenRequest("admin", "ci", "1.5y")).toMatchObject({ expires: "1.5y", seconds: 47_336_400 });
  });

  it("refuses a duration jose cannot read, naming --expires, with no configuration or key at hand", () => {
    expect(refusal(() => tokenRequest("admin", "bob", "soon"))).toMatch(
      /^--expires: 'soon' is not a duration such as 30m, 12h or 7d \(.+\)$/,
    );
  });

  it("refuses a duration that makes a token expired when minted", () => {
    for (const expires of ["0s", "-1h", "2 days ago"])
      expect(refusal(() => tokenRequest("admin", "bob", expires))).toBe(
        `--expires: '${expires}' would make a token that has already expired`,
      );
  });

  it("refuses a subject with spaces around it, which the audit log would record apart", () => {
    expect(refusal(() => tokenRequest("viewer", " alice ", undefined))).toBe(
      '<subject> " alice " has spaces around it: a subject is one exact name, which the audit log records as given; write it without them',
    );
    // Before the duration: the subject comes first on the command line.
    expect(refusal(() => tokenRequest("viewer", "alice\u3000", "soon"))).toMatch(/^<subject> /);
  });
});
