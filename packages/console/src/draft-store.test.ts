import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { forgetAllDrafts, forgetDraft, loadDraft, saveDraft } from "./draft-store";

describe("draft store", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("keeps one draft per scheme until it is forgotten", () => {
    saveDraft("city-review", { basedOn: 3, text: '{"id":"city-review"}', reason: "50 → 45" });
    saveDraft("county-review", { basedOn: 1, text: "{", reason: "" });
    expect(loadDraft("city-review")).toEqual({ basedOn: 3, text: '{"id":"city-review"}', reason: "50 → 45" });
    forgetDraft("city-review");
    expect(loadDraft("city-review")).toBeNull();
    expect(loadDraft("county-review")?.text).toBe("{");
  });

  it("forgets every draft on sign-out, and nothing else", () => {
    storage.setItem("pingyi.token", "t");
    saveDraft("a", { basedOn: null, text: "x", reason: "" });
    saveDraft("b", { basedOn: null, text: "y", reason: "" });
    forgetAllDrafts();
    expect(storage.keys()).toEqual(["pingyi.token"]);
  });

  it("reads a damaged entry as no draft", () => {
    storage.setItem("pingyi.draft.a", "{not json");
    storage.setItem("pingyi.draft.b", '{"basedOn":2}');
    expect(loadDraft("a")).toBeNull();
    expect(loadDraft("b")).toBeNull();
  });
});
