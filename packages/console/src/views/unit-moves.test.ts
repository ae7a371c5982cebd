import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderRowIn } from "../_test-render";
import { standing, whatIfUnit } from "../_test-what-if-unit";
import type { Lang } from "../i18n";
import type { Standing, WhatIfUnit } from "../whatif-api";
import { UnitRow } from "./unit-moves";

const rankDeltaCell = (lang: Lang, u: WhatIfUnit) => {
  const html = renderRowIn(
    lang,
    createElement(UnitRow, { u, grade: (id) => id ?? "—", selected: false, onSelect: () => {} }),
  );
  return html.match(/<td[^>]*data-testid="rank-delta"[^>]*>(.*?)<\/td>/)![1]!;
};

describe("UnitRow's rank change", () => {
  const u = (before: Standing, after: Standing, rankDelta: number | null) =>
    whatIfUnit("B1", before, after, rankDelta);

  it("says a unit moved group where its ranks are of two groups, not blank as for one that stood still", () => {
    const moved = u(standing("g2", 2), standing("g2new", 1), null);
    expect(rankDeltaCell("en", moved)).toBe("moved group");
    expect(rankDeltaCell("zh-CN", moved)).toBe("换组");
    expect(rankDeltaCell("en", u(standing("g", 1), standing("g", 1), 0))).toBe("");
    expect(rankDeltaCell("en", u(standing("g", 3), standing("g", 1), -2))).toBe("↑2");
  });
});
