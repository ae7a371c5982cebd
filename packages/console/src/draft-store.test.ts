import { beforeEach, describe, expect, it } from "vitest";
import { forgetAllDrafts, forgetDraft, loadDraft, saveDraft } from "./draft-store";

// Node has no sessionStorage: a Map-backed stand-in with the methods the store uses.
class MemoryStorage {
  private items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
  keys = () => [...this.items.keys()];
}

describe("draft store", () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    // Object.keys(sessionStorage) lists the stored keys in a browser; the stand-in does likewise.
    globalThis.sessionStorage = new Proxy(storage, {
      ownKeys: () => storage.keys(),
      getOwnPropertyDescriptor: (_t, k) =>
        typeof k === "string" && storage.keys().includes(k)
          ? { enumerable: true, configurable: true, value: storage.getItem(k) }
          : undefined,
    }) as unknown as Storage;
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
