import { describe, expect, it } from "vitest";
import { rankMovementOption } from "./rank-movement";
import { sweepOption } from "./sweep";

// Unit names come from imported data; ECharts puts a tooltip formatter's result in as HTML.
const NAME = '<img src=x onerror="alert(1)">局';
type Tooltip = { tooltip: { formatter: (p: { seriesName: string; value: number[] }) => string } };

describe("chart tooltips", () => {
  it("show a unit's name as text, never as markup", () => {
    const movement = rankMovementOption([], { baseline: "b", scenario: "s" }, null) as Tooltip;
    const sweep = sweepOption([], {
      nominal: 1,
      selected: null,
      categoryLabel: "c",
      nominalLabel: "n",
    }) as Tooltip;
    for (const { tooltip } of [movement, sweep]) {
      const html = tooltip.formatter({ seriesName: NAME, value: [3, 2] });
      expect(html).not.toContain("<img");
      expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;局");
    }
  });
});
