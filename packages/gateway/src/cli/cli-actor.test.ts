import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { cliActor } from "./cli-actor.js";

describe("the audit log's actor for a CLI command", () => {
  it("is the login's name, or the account's when the environment has none", () => {
    expect(cliActor({ USER: "alice" })).toBe("cli:alice");
    expect(cliActor({ LOGNAME: "bob" })).toBe("cli:bob");
    expect(cliActor({})).toBe(`cli:${userInfo().username}`);
  });

  it("names the person who ran sudo, and the account it ran as", () => {
    expect(cliActor({ USER: "pingyi", SUDO_USER: "alice" })).toBe("cli:alice (as pingyi)");
    // sudo to oneself changes nothing.
    expect(cliActor({ USER: "alice", SUDO_USER: "alice" })).toBe("cli:alice");
  });
});
