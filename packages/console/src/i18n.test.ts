import { describe, expect, it } from "vitest";
import { DICTIONARIES, translator } from "./i18n";

describe("translator", () => {
  it("puts names and messages in as they are, whatever characters they hold", () => {
    const t = translator("en");
    // A replacement string would read "$&" and "$'" as patterns; unit names and JSON errors are text.
    expect(t("whatif.overtook", { a: "A$&B", b: "C$'D" })).toBe("A$&B overtook C$'D");
    // One unit's name that looks like a placeholder is not filled in with the other's.
    expect(t("whatif.overtook", { a: "{b}", b: "市审批局" })).toBe("{b} overtook 市审批局");
  });

  it("has every key in both languages", () => {
    expect(Object.keys(DICTIONARIES["zh-CN"]).sort()).toEqual(Object.keys(DICTIONARIES.en).sort());
  });
});
