import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "./_test-session-storage";
import { loadSession, type Session, saveSession } from "./auth";

/** A token of `sub` whose claims the console reads (the gateway checks its signature). */
const tokenOf = (sub: string): string => {
  const part = (claims: object) => Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${part({ alg: "HS256" })}.${part({ sub, role: "analyst" })}.signature`;
};
const session = (sub: string): Session => ({
  token: tokenOf(sub),
  role: "analyst",
  subject: sub,
  expires: null,
});

describe("the session", () => {
  beforeEach(() => {
    saveSession(null);
  });

  it("is kept in the tab, and gone once the tab's storage has forgotten it", () => {
    const storage = memorySessionStorage();
    saveSession(session("analyst-1"));
    expect(storage.getItem("pingyi.token")).toBe(tokenOf("analyst-1"));
    expect(loadSession()?.subject).toBe("analyst-1");
    storage.removeItem("pingyi.token");
    expect(loadSession()).toBeNull();
  });

  it("is the one signed in with, not the one before, where a full storage refuses to keep it", () => {
    const storage = memorySessionStorage();
    saveSession(session("analyst-1"));
    storage.setItem = () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
    saveSession(session("analyst-2"));
    expect(loadSession()?.subject).toBe("analyst-2");
    // Nor does the one before come back with a reload.
    expect(storage.getItem("pingyi.token")).toBeNull();
  });

  it.each(REFUSALS)(
    "lasts the page's lifetime where the browser refuses the tab its storage (%s)",
    (refusal) => {
      refusedStorage(refusal);
      saveSession(session("analyst-1"));
      expect(loadSession()).toEqual(session("analyst-1"));
      saveSession(session("analyst-2"));
      expect(loadSession()?.subject).toBe("analyst-2");
      saveSession(null);
      expect(loadSession()).toBeNull();
    },
  );
});
