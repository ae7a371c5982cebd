import { describe, expect, it } from "vitest";
import { menuHref } from "./menu-cycle";

describe("menuHref", () => {
  it("carries the cycle to a page of one cycle, and none to a page of no cycle", () => {
    expect(menuHref("whatif", true, "2018")).toBe("#/whatif?cycle=2018");
    expect(menuHref("rules", false, "2018")).toBe("#/rules");
  });

  it("opens a page of one cycle as it starts when no cycle was named yet", () => {
    expect(menuHref("rankings", true, null)).toBe("#/rankings");
  });
});
