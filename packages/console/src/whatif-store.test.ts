import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "./_test-session-storage";
import { nominalKnobs } from "./knobs";
import type { SchemeDocument } from "./whatif-api";
import { forgetAllWhatIf, forgetWhatIf, loadWhatIf, saveWhatIf } from "./whatif-store";

const scheme: SchemeDocument = {
  categories: [
    { id: "work", name: "业务工作", points: 30 },
    { id: "organ", name: "机关建设", points: "30" },
  ],
  groups: [{ id: "g", name: "g" }],
  grades: { rules: [{ id: "excellent", name: "优秀", quota: { percent: 30 } }] },
  rounding: { decimals: 2, mode: "half-up" },
};

describe("what-if settings store", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  const knobs = {
    points: { work: 44, organ: 16 },
    quota: 20,
    quotaRounding: "up",
    quotaTies: "exclude",
    decimals: 3,
    mode: "half-even",
  };

  it("keeps one cycle's settings, and gives them back on that cycle only", () => {
    saveWhatIf("2018", { scenario: null, knobs, name: "业务 44" });
    expect(loadWhatIf("2018", null, scheme)).toEqual({ knobs, name: "业务 44" });
    expect(loadWhatIf("2019", null, scheme)).toBeNull();
  });

  it("gives settings started from a saved scenario back on that scenario's page only", () => {
    saveWhatIf("2018", { scenario: "s1", knobs, name: "" });
    expect(loadWhatIf("2018", "s1", scheme)?.knobs).toEqual(knobs);
    expect(loadWhatIf("2018", "s2", scheme)).toBeNull();
    expect(loadWhatIf("2018", null, scheme)).toBeNull();
  });

  it("reads kept settings against the cycle's scheme: unknown and unusable values are nominal", () => {
    storage.setItem(
      "pingyi.whatif.2018",
      JSON.stringify({
        scenario: null,
        knobs: { points: { work: 44, organ: "x", gone: 5 }, quota: -1, decimals: 11, mode: "round-up" },
        name: 7,
      }),
    );
    expect(loadWhatIf("2018", null, scheme)).toEqual({
      knobs: { ...nominalKnobs(scheme), points: { work: 44, organ: 30 } },
      name: "",
    });
    // A scheme without a quota rule has no quota to restore.
    saveWhatIf("2018", { scenario: null, knobs, name: "" });
    expect(loadWhatIf("2018", null, { ...scheme, grades: { rules: [] } })?.knobs.quota).toBeNull();
  });

  it("starts a saved scenario's kept settings from that scenario, not from the scheme", () => {
    const start = { points: { work: 50, organ: 20 }, quota: null, decimals: 3, mode: "half-up" };
    storage.setItem(
      "pingyi.whatif.2018",
      JSON.stringify({ scenario: "s1", knobs: { points: { work: 44, organ: "x" }, decimals: 11 }, name: "" }),
    );
    // The saved scenario's quota the knob cannot show stays unshown: null, not the scheme's 30.
    expect(loadWhatIf("2018", "s1", scheme, start)?.knobs).toEqual({
      ...start,
      points: { work: 44, organ: 20 },
    });
    // A quota set after Reset (the knob shown again) comes back.
    saveWhatIf("2018", { scenario: "s1", knobs: { ...start, quota: 25 }, name: "" });
    expect(loadWhatIf("2018", "s1", scheme, start)?.knobs.quota).toBe(25);
  });

  it("gives a roll-up's knob back as the engine takes it, else the page's start", () => {
    const rolled: SchemeDocument = {
      ...scheme,
      rollups: [{ id: "subs", source: { total: true }, into: { total: true }, share: 0.1 }],
    };
    const start = nominalKnobs(rolled);
    const moved = { share: 0.2, aggregation: "median", missingSubUnit: "zero" };
    saveWhatIf("2018", { scenario: null, knobs: { ...start, rollups: { subs: moved } }, name: "" });
    expect(loadWhatIf("2018", null, rolled)?.knobs.rollups).toEqual({ subs: moved });
    for (const damaged of [{ ...moved, share: 1.5 }, { ...moved, aggregation: "mode" }, "0.2", null]) {
      saveWhatIf("2018", {
        scenario: null,
        knobs: { ...start, rollups: { subs: damaged as never } },
        name: "",
      });
      expect(loadWhatIf("2018", null, rolled)?.knobs.rollups).toEqual(start.rollups);
    }
    // A saved scenario's roll-up the knob cannot show stays unshown; one set after Reset comes back.
    const unshown = { ...start, rollups: { subs: null } };
    saveWhatIf("2018", { scenario: "s1", knobs: unshown, name: "" });
    expect(loadWhatIf("2018", "s1", rolled, unshown)?.knobs.rollups).toEqual({ subs: null });
    saveWhatIf("2018", { scenario: "s1", knobs: { ...start, rollups: { subs: moved } }, name: "" });
    expect(loadWhatIf("2018", "s1", rolled, unshown)?.knobs.rollups).toEqual({ subs: moved });
  });

  it("forgets a page's settings once it is back at its start, not another scenario's of the cycle", () => {
    saveWhatIf("2018", { scenario: "s1", knobs, name: "" });
    saveWhatIf("2019", { scenario: null, knobs, name: "" });
    forgetWhatIf("2018", null);
    forgetWhatIf("2018", "s2");
    expect(loadWhatIf("2018", "s1", scheme)?.knobs).toEqual(knobs);
    forgetWhatIf("2018", "s1");
    expect(storage.keys()).toEqual(["pingyi.whatif.2019"]);
  });

  it("reads a damaged entry as no settings", () => {
    storage.setItem("pingyi.whatif.a", "{not json");
    storage.setItem("pingyi.whatif.b", '{"scenario":null}');
    expect(loadWhatIf("a", null, scheme)).toBeNull();
    expect(loadWhatIf("b", null, scheme)).toBeNull();
  });

  it("forgets every cycle's settings on sign-out, and nothing else", () => {
    storage.setItem("pingyi.token", "t");
    storage.setItem("pingyi.draft.city-review", "{}");
    saveWhatIf("2018", { scenario: null, knobs, name: "" });
    saveWhatIf("2019", { scenario: "s1", knobs, name: "" });
    forgetAllWhatIf();
    expect(storage.keys()).toEqual(["pingyi.token", "pingyi.draft.city-review"]);
  });
});

describe("what-if settings where the browser refuses its storage", () => {
  it.each(REFUSALS)("are not kept, and forgetting them is done without a fault (%s)", (refusal) => {
    refusedStorage(refusal);
    saveWhatIf("2019", { scenario: null, knobs: nominalKnobs(scheme), name: "改革" });
    expect(loadWhatIf("2019", null, scheme)).toBeNull();
    forgetWhatIf("2019", null);
    forgetAllWhatIf();
  });
});
