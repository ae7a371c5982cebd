import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "./_test-session-storage";
import { forgetAll, keep, keptUnder } from "./session-store";

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
});
