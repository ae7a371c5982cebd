import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { nominalKnobs } from "../knobs";
import type { SchemeDocument } from "../whatif-api";
import { KnobPanel } from "./whatif";

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
      savedName: null,
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
