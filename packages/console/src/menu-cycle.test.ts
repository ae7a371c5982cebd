import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "./_test-session-storage";
import { forgetMenuCycle, keepMenuCycle, menuHref, recallMenuCycle, useMenuCycle } from "./menu-cycle";
import { parseHash } from "./router";

/** A menu drawn on the page at `hash`: the cycle it carries is handed to `seen`. */
function Menu(props: { hash: string; seen: (cycle: string | null) => void }) {
  props.seen(useMenuCycle(parseHash(props.hash)));
  return null;
}

/** The cycle the menu carries when the page at `hash` is drawn, as a reload draws it. */
function carried(hash: string): string | null {
  let cycle: string | null = null;
  renderToStaticMarkup(createElement(Menu, { hash, seen: (c) => (cycle = c) }));
  return cycle;
}

describe("menuHref", () => {
  it("carries the cycle to a page of one cycle, and none to a page of no cycle", () => {
    expect(menuHref("whatif", true, "2018")).toBe("#/whatif?cycle=2018");
    expect(menuHref("rules", false, "2018")).toBe("#/rules");
  });

  it("opens a page of one cycle as it starts when no cycle was named yet", () => {
    expect(menuHref("rankings", true, null)).toBe("#/rankings");
  });
});

describe("useMenuCycle", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("carries the cycle kept in the tab past a reload on a page of no cycle, and the route's before it", () => {
    expect(carried("#/rules")).toBeNull();
    keepMenuCycle("2018");
    expect(carried("#/rules")).toBe("2018");
    expect(carried("#/cycles")).toBe("2018");
    expect(carried("#/rankings?cycle=2019")).toBe("2019");
  });

  it("forgets the kept cycle for whoever has the tab next", () => {
    keepMenuCycle("2018");
    expect(storage.getItem("pingyi.menu.cycle")).toBe('"2018"');
    forgetMenuCycle();
    expect(recallMenuCycle()).toBeNull();
    expect(carried("#/rules")).toBeNull();
  });

  it("reads nothing kept from what is no cycle", () => {
    for (const kept of ['""', "7", "{not json", '{"cycle":"2018"}']) {
      storage.setItem("pingyi.menu.cycle", kept);
      expect(recallMenuCycle()).toBeNull();
    }
  });

  it.each(REFUSALS)(
    "carries the route's cycle when the tab's storage is full or refused, and recalls none (%s)",
    (refusal) => {
      refusedStorage(refusal);
      keepMenuCycle("2018");
      forgetMenuCycle();
      expect(recallMenuCycle()).toBeNull();
      expect(carried("#/rankings?cycle=2018")).toBe("2018");
      expect(carried("#/rules")).toBeNull();
    },
  );
});
