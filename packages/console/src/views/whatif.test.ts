import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { nominalKnobs } from "../knobs";
import type { SchemeDocument } from "../whatif-api";
import { KnobPanel, Workbench } from "./whatif";

const scheme = (over: Partial<SchemeDocument>): SchemeDocument => ({
  categories: [{ id: "work", name: "业务工作", points: 30 }],
  groups: [{ id: "g", name: "g" }],
  ...over,
});

const panel = (s: SchemeDocument, knobs = nominalKnobs(s)) =>
  renderToStaticMarkup(
    createElement(KnobPanel, {
      scheme: s,
      knobs,
      nominal: nominalKnobs(s),
      onChange: () => {},
      cycleId: "2018",
      name: "",
      onNameChange: () => {},
    }),
  );

/** The `<select>` or `<input>` with this test id, as rendered. */
const element = (html: string, testId: string) =>
  html.match(new RegExp(`<(select|input)[^>]*data-testid="${testId}"[^>]*>(.*?</select>)?`))?.[0] ?? "";

describe("KnobPanel", () => {
  it("offers every number of decimals the engine accepts, and shows the scheme's own", () => {
    const html = element(panel(scheme({ rounding: { decimals: 5, mode: "half-up" } })), "knob-decimals");
    const offered = [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(offered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(html).toContain('<option value="5" selected="">');
  });

  it("gives the quota slider room for a count quota above 50, and for a larger saved one", () => {
    const s = scheme({ grades: { rules: [{ id: "excellent", name: "优秀", quota: { count: 60 } }] } });
    const range = (html: string) => {
      const input = element(html, "slider-quota");
      return {
        max: Number(input.match(/max="(\d+)"/)?.[1]),
        value: Number(input.match(/value="(\d+)"/)?.[1]),
      };
    };
    // A range input clamps its value to max: with max 50 the thumb of 60 sits at 50.
    const nominal = range(panel(s));
    expect(nominal.value).toBe(60);
    expect(nominal.max).toBeGreaterThan(60);
    const saved = range(panel(s, { ...nominalKnobs(s), quota: 300 }));
    expect(saved.value).toBe(300);
    expect(saved.max).toBeGreaterThanOrEqual(300);
  });

  it("gives a category slider room for points typed above its range", () => {
    const s = scheme({});
    const input = element(panel(s, { ...nominalKnobs(s), points: { work: 250 } }), "slider-work");
    expect(Number(input.match(/max="(\d+)"/)?.[1])).toBeGreaterThanOrEqual(250);
  });
});

describe("Workbench", () => {
  const s = scheme({ grades: { rules: [{ id: "excellent", name: "优秀", quota: { percent: 30 } }] } });
  const items = new Map<string, string>();
  globalThis.sessionStorage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  } as Storage;
  globalThis.location = { hash: "#/whatif?cycle=2018" } as Location;
  afterEach(() => items.clear());

  const workbench = (scenarioId: string | null = null) =>
    renderToStaticMarkup(
      createElement(Workbench, { cycleId: "2018", scenarioId, scheme: s, initial: null, savedName: null }),
    );
  const value = (html: string, testId: string) => element(html, testId).match(/value="([^"]*)"/)?.[1] ?? "";

  it("comes back with the settings kept before the session expired, and says so", () => {
    items.set(
      "pingyi.whatif.2018",
      JSON.stringify({
        scenario: null,
        knobs: { points: { work: 44 }, quota: 20, decimals: 3, mode: "half-even" },
        name: "业务 44",
      }),
    );
    const html = workbench();
    expect(value(html, "slider-work")).toBe("44");
    expect(value(html, "slider-quota")).toBe("20");
    expect(element(html, "knob-decimals")).toContain('<option value="3" selected="">');
    expect(element(html, "knob-mode")).toContain('<option value="half-even" selected="">');
    expect(value(html, "scenario-name")).toBe("业务 44");
    expect(html).toContain('data-testid="whatif-restored"');
  });

  it("studies a ranked group of this scheme, not an unranked or unknown one the URL names", () => {
    const groups = scheme({
      groups: [
        { id: "schools", name: "学校" },
        { id: "offices", name: "机关", ranked: false },
        { id: "hospitals", name: "医院" },
      ],
    });
    for (const [param, studied] of [
      ["hospitals", "hospitals"],
      ["offices", "schools"],
      ["law-enforcement", "schools"],
    ]) {
      globalThis.location = { hash: `#/whatif?cycle=2018&group=${param}` } as Location;
      const html = renderToStaticMarkup(
        createElement(Workbench, {
          cycleId: "2018",
          scenarioId: null,
          scheme: groups,
          initial: null,
          savedName: null,
        }),
      );
      expect(element(html, "group")).toContain(`<option value="${studied}" selected="">`);
    }
    globalThis.location = { hash: "#/whatif?cycle=2018" } as Location;
  });

  it("starts from the scheme when nothing was kept, or the kept settings are another scenario's", () => {
    items.set("pingyi.whatif.2018", JSON.stringify({ scenario: "s1", knobs: { points: { work: 44 } } }));
    for (const html of [workbench(), workbench("s2")]) {
      expect(value(html, "slider-work")).toBe("30");
      expect(html).not.toContain('data-testid="whatif-restored"');
    }
    expect(value(workbench("s1"), "slider-work")).toBe("44");
  });
});
