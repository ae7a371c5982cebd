import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "./_test-session-storage";
import { forget, forgetAll, keep, keptUnder, recall } from "./session-store";

describe("session store", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("lists the keys kept under a prefix, and forgets those and no others", () => {
    storage.setItem("pingyi.token", "t");
    keep("pingyi.form.events.veto.2019", { reason: "x" });
    keep("pingyi.form.robustness.mc.2019", { seed: "7" });
    keep("pingyi.formula", 1);
    expect(keptUnder("pingyi.form.").sort()).toEqual([
      "pingyi.form.events.veto.2019",
      "pingyi.form.robustness.mc.2019",
    ]);
    expect(keptUnder("pingyi.draft.")).toEqual([]);
    forgetAll("pingyi.form.");
    expect(keptUnder("pingyi.form.")).toEqual([]);
    expect(storage.keys().sort()).toEqual(["pingyi.formula", "pingyi.token"]);
  });

  it("forgets what it kept before under a key once the storage refuses a newer value (a full quota)", () => {
    expect(keep("pingyi.form.events.veto.2019", { reason: "first words" })).toBe(true);
    keep("pingyi.form.events.bonus.2019", { note: "other" });
    storage.setItem = () => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
    expect(keep("pingyi.form.events.veto.2019", { reason: "first words, and more" })).toBe(false);
    expect(recall("pingyi.form.events.veto.2019")).toBeUndefined();
    // Only the key refused: what else is kept is still current.
    expect(recall("pingyi.form.events.bonus.2019")).toEqual({ note: "other" });
  });

  it.each(REFUSALS)(
    "keeps and recalls nothing, and forgets without a fault, where the browser refuses its storage (%s)",
    (refusal) => {
      refusedStorage(refusal);
      keep("pingyi.form.events.veto.2019", { reason: "x" });
      expect(recall("pingyi.form.events.veto.2019")).toBeUndefined();
      expect(keptUnder("pingyi.form.")).toEqual([]);
      forget("pingyi.form.events.veto.2019");
      forgetAll("pingyi.form.");
    },
  );
});
