import { describe, expect, it } from "vitest";
import { missedUnitKinds } from "./missed-unit-kinds.js";

describe("missedUnitKinds", () => {
  const weights = new Map([
    ["law-enforcement", 1],
    ["service", 1],
  ]);

  it("maps a kind without weights to the unused key a misspelling away from it", () => {
    const units = [{ kind: "law-enforcment" }, { kind: "service" }, {}];
    expect([...missedUnitKinds(weights, units)]).toEqual([["law-enforcment", "law-enforcement"]]);
  });

  it("says nothing of a key no unit has when no kind is near it: the scheme is written before the data", () => {
    expect(missedUnitKinds(weights, [{ kind: "service" }, { kind: "education" }]).size).toBe(0);
    // Every key used: a kind near one of them has its own weights or the default, as written.
    expect(
      missedUnitKinds(weights, [{ kind: "service" }, { kind: "services" }, { kind: "law-enforcement" }]).size,
    ).toBe(0);
    expect(missedUnitKinds(new Map(), [{ kind: "service" }]).size).toBe(0);
  });
});
