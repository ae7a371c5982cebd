import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "./_test-session-storage";
import {
  claimDrafts,
  forgetAllDrafts,
  forgetDraft,
  forgetFormDraft,
  loadDraft,
  loadFormDraft,
  sameDraft,
  saveDraft,
  saveFormDraft,
} from "./draft-store";
import { nominalKnobs } from "./knobs";
import { keepMenuCycle, MENU_CYCLE_KEY, recallMenuCycle } from "./menu-cycle";
import { saveWhatIf, WHATIF_KEYS } from "./whatif-store";

/** What the console keeps beside the drafts, as the app claims it. */
const BESIDE = [WHATIF_KEYS, MENU_CYCLE_KEY];

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

  it("keeps the drafts for the person who signs in again, and forgets them for anyone else", () => {
    storage.setItem("pingyi.token", "t");
    claimDrafts("alice");
    saveDraft("a", { basedOn: 1, text: "x", reason: "" });
    saveFormDraft("ballots.new.2019", { score: "88" });
    // Alice's session expired and she signs in again: her drafts are there.
    expect(claimDrafts("alice")).toBe(false);
    expect(loadDraft("a")?.text).toBe("x");
    expect(loadFormDraft("ballots.new.2019", { score: "" })).toEqual({ score: "88" });
    // Bob signs in on the screen her expiry left: none of hers.
    expect(claimDrafts("bob")).toBe(true);
    expect(loadDraft("a")).toBeNull();
    expect(loadFormDraft("ballots.new.2019", { score: "" })).toBeNull();
    expect(storage.keys().sort()).toEqual(["pingyi.drafts.owner", "pingyi.token"]);
  });

  it("forgets drafts of no recorded owner when someone signs in, and keeps an empty tab's nothing", () => {
    // A tab of a console from before owners were recorded: whose drafts these are is not known.
    saveFormDraft("ballots.new.2019", { score: "88" });
    expect(claimDrafts("bob")).toBe(true);
    expect(loadFormDraft("ballots.new.2019", { score: "" })).toBeNull();
    // A fresh tab has nothing to forget.
    forgetAllDrafts();
    expect(claimDrafts("carol")).toBe(false);
  });

  it("records whose the drafts are before a full quota takes them, with another's forgotten first", () => {
    claimDrafts("alice");
    saveFormDraft("events.veto.2019", { reason: "alice's" });
    // The quota is full while alice's draft is kept; forgetting it makes the room.
    const setItem = storage.setItem;
    storage.setItem = (k, v) => {
      if (storage.keys().includes("pingyi.form.events.veto.2019"))
        throw new DOMException("full", "QuotaExceededError");
      setItem(k, v);
    };
    expect(claimDrafts("bob")).toBe(true);
    saveFormDraft("events.bonus.2019", { note: "bob's" });
    // Bob's session expires, and he signs in again: his draft is his.
    expect(claimDrafts("bob")).toBe(false);
    expect(loadFormDraft("events.bonus.2019", { note: "" })).toEqual({ note: "bob's" });
  });

  it("records the owner once what another kept beside the drafts is forgotten too, under a full quota", () => {
    claimDrafts("alice");
    storage.setItem("pingyi.whatif.2019", "{}");
    const setItem = storage.setItem;
    storage.setItem = (k, v) => {
      if (storage.keys().includes("pingyi.whatif.2019")) throw new DOMException("full", "QuotaExceededError");
      setItem(k, v);
    };
    expect(claimDrafts("bob", BESIDE)).toBe(true);
    expect(storage.keys()).toEqual(["pingyi.drafts.owner"]);
    // Bob keeps settings beside no draft: they are his, and go when someone else signs in.
    storage.setItem("pingyi.whatif.2018", "{}");
    expect(claimDrafts("carol", BESIDE)).toBe(true);
    expect(storage.keys()).toEqual(["pingyi.drafts.owner"]);
  });

  it.each([
    ["the What-if settings", "pingyi.whatif.2019"],
    ["the menu's cycle", "pingyi.menu.cycle"],
  ])("forgets %s of no recorded owner, with no draft beside them, when someone signs in", (_, key) => {
    // Kept before owners were recorded, or by a tab open across that deploy.
    storage.setItem(key, '"2019"');
    expect(claimDrafts("bob", BESIDE)).toBe(true);
    expect(storage.keys()).toEqual(["pingyi.drafts.owner"]);
    expect(recallMenuCycle()).toBeNull();
  });

  it("keeps no draft for one whose ownership the storage would not record, until it does", () => {
    claimDrafts("alice");
    saveFormDraft("events.veto.2019", { reason: "alice's" });
    const setItem = storage.setItem;
    storage.setItem = (k, v) => {
      if (k === "pingyi.drafts.owner") throw new DOMException("full", "QuotaExceededError");
      setItem(k, v);
    };
    expect(claimDrafts("bob")).toBe(true);
    saveFormDraft("events.bonus.2019", { note: "bob's" });
    saveDraft("county", { basedOn: 1, text: "{}", reason: "" });
    expect(storage.keys()).toEqual([]);
    storage.setItem = setItem;
    saveFormDraft("events.bonus.2019", { note: "bob's" });
    expect(claimDrafts("bob")).toBe(false);
    expect(loadFormDraft("events.bonus.2019", { note: "" })).toEqual({ note: "bob's" });
  });

  it("keeps the What-if settings and the menu's cycle as the drafts, once whose they are is recorded", () => {
    // Alice signs in while the quota is full: the storage refuses to record her.
    const setItem = storage.setItem;
    storage.setItem = (k, v) => {
      if (k === "pingyi.drafts.owner") throw new DOMException("full", "QuotaExceededError");
      setItem(k, v);
    };
    expect(claimDrafts("alice", BESIDE)).toBe(false);
    const settings = { scenario: null, knobs: nominalKnobs({ categories: [], groups: [] }), name: "alice's" };
    saveWhatIf("2019", settings);
    keepMenuCycle("2019");
    // Kept with no owner recorded, they would be handed to whoever signs in next.
    expect(storage.keys()).toEqual([]);
    // The quota frees: what alice keeps now is recorded as hers, and is no one else's.
    storage.setItem = setItem;
    saveWhatIf("2019", settings);
    keepMenuCycle("2019");
    expect(storage.keys()).toContain("pingyi.whatif.2019");
    expect(claimDrafts("bob", BESIDE)).toBe(true);
    expect(storage.keys()).not.toContain("pingyi.whatif.2019");
    expect(recallMenuCycle()).toBeNull();
  });

  it("reads a damaged entry as no draft", () => {
    storage.setItem("pingyi.draft.a", "{not json");
    storage.setItem("pingyi.draft.b", '{"basedOn":2}');
    expect(loadDraft("a")).toBeNull();
    expect(loadDraft("b")).toBeNull();
  });
});

describe("form drafts", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });
  const empty = { id: "", unitId: "", reason: "", repeated: false, picked: { unitId: false } };

  it("gives back what was typed, read against the form's empty state", () => {
    const typed = {
      id: "V-3",
      unitId: "U01",
      reason: "重大责任事故",
      repeated: true,
      picked: { unitId: true },
    };
    saveFormDraft("events.veto.2019", typed);
    expect(loadFormDraft("events.veto.2019", empty)).toEqual(typed);
    // Another form, or the same form of another cycle, has kept nothing.
    expect(loadFormDraft("events.veto.2020", empty)).toBeNull();
  });

  it("takes from a kept draft only what still fits the form", () => {
    storage.setItem(
      "pingyi.form.f",
      JSON.stringify({ id: 7, unitId: "U02", reason: null, repeated: "yes", picked: "all", gone: "x" }),
    );
    expect(loadFormDraft("f", empty)).toEqual({ ...empty, unitId: "U02" });
    // Null in the empty state is text not typed yet: text or null fit it, nothing else does.
    const nothingTyped = { name: null as string | null, year: null as string | null };
    storage.setItem("pingyi.form.g", JSON.stringify({ name: "市直", year: 2019 }));
    expect(loadFormDraft("g", nothingTyped)).toEqual({ name: "市直", year: null });
    storage.setItem("pingyi.form.h", JSON.stringify({ id: Number.MAX_VALUE * 2 }));
    expect(loadFormDraft("h", { id: 0, note: "" })).toBeNull();
  });

  it("reads a draft that holds nothing the form would not start with, or is damaged, as none", () => {
    saveFormDraft("f", { ...empty });
    expect(loadFormDraft("f", empty)).toBeNull();
    storage.setItem("pingyi.form.g", "{not json");
    storage.setItem("pingyi.form.h", '["V-3"]');
    expect(loadFormDraft("g", empty)).toBeNull();
    expect(loadFormDraft("h", empty)).toBeNull();
  });

  it("never keeps a secret, whether the form names it or its name says so", () => {
    saveFormDraft(
      "login",
      { user: "alice", pin: "4321", token: "eyJ.x.y", nested: { apiPassword: "p", note: "n" } },
      ["pin"],
    );
    const kept = storage.getItem("pingyi.form.login") ?? "";
    expect(JSON.parse(kept)).toEqual({ user: "alice", nested: { note: "n" } });
    // One kept before a field was known to be secret is not given back either.
    storage.setItem("pingyi.form.old", JSON.stringify({ user: "bob", pin: "1234", token: "t" }));
    expect(loadFormDraft("old", { user: "", pin: "", token: "" }, ["pin"])).toEqual({
      user: "bob",
      pin: "",
      token: "",
    });
  });

  it("forgets one form's draft once it is saved, and every draft on sign-out", () => {
    saveFormDraft("a", { id: "x" });
    saveFormDraft("b", { id: "y" });
    saveDraft("city-review", { basedOn: 1, text: "{", reason: "" });
    forgetFormDraft("a");
    expect(loadFormDraft("a", { id: "" })).toBeNull();
    expect(loadFormDraft("b", { id: "" })).toEqual({ id: "y" });
    storage.setItem("pingyi.token", "t");
    forgetAllDrafts();
    expect(storage.keys()).toEqual(["pingyi.token"]);
  });

  it("tells drafts apart by what they hold, not the order their fields were set in", () => {
    expect(sameDraft({ a: "1", b: { c: true } }, { b: { c: true }, a: "1" })).toBe(true);
    expect(sameDraft({ a: "1", b: { c: true } }, { a: "1", b: { c: false } })).toBe(false);
    expect(sameDraft({ a: "1" }, { a: "1", b: "" })).toBe(false);
    expect(sameDraft({ a: null }, { a: "" })).toBe(false);
  });
});

describe("drafts where the browser refuses its storage", () => {
  it.each(REFUSALS)(
    "are not kept, and forgetting or claiming them is done without a fault (%s)",
    (refusal) => {
      refusedStorage(refusal);
      saveDraft("county", { basedOn: 1, text: "{}", reason: "" });
      expect(loadDraft("county")).toBeNull();
      forgetDraft("county");
      saveFormDraft("events.veto.2019", { reason: "x" });
      expect(loadFormDraft("events.veto.2019", { reason: "" })).toBeNull();
      forgetFormDraft("events.veto.2019");
      expect(claimDrafts("admin-1")).toBe(false);
      forgetAllDrafts();
    },
  );
});
