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

const panel = (s: SchemeDocument) =>
  renderToStaticMarkup(
    createElement(KnobPanel, {
      scheme: s,
      knobs: nominalKnobs(s),
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
});
