import { createElement, type ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { MAX_SEED } from "../../../gateway/src/schema/seed.js";
import { renderIn } from "../_test-render";
import type { Lang } from "../i18n";
import { readNumber } from "../number-field";
import type { UncertaintyUnit } from "../robustness-api";
import { MC_FIELDS, MonteCarloTable } from "./robustness";

const render = (lang: Lang, element: ReactElement) => renderIn(lang, element);
const textOf = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

const unit: UncertaintyUnit = {
  unitId: "U09",
  name: "市市场监督管理局",
  group: "law-enforcement",
  nominalRank: 9,
  medianRank: 9.5,
  p5Rank: 8.000000000000002,
  p95Rank: 25.049999999999955,
  pExcellent: 0.609,
  pLast: 0,
};

describe("MonteCarloTable", () => {
  it("shows interpolated ranks to at most 2 decimals, and says they are interpolated", () => {
    for (const [lang, note] of [
      ["en", "interpolated between two samples' ranks"],
      ["zh-CN", "在两个样本的名次之间插值得出"],
    ] as const) {
      const html = render(lang, createElement(MonteCarloTable, { units: [unit], excellent: "优秀" }));
      const cells = [...html.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(cells).toEqual(["9", "9.5", "8", "25.05"]);
      expect(textOf(html).replace(/&#x27;/g, "'")).toContain(note);
    }
  });
});

describe("Monte-Carlo seed", () => {
  it("takes every seed the gateway's Seed takes, 0 to 2³² − 1, and no more", () => {
    expect(MC_FIELDS.seed.max).toBe(MAX_SEED);
    expect(readNumber("4294967295", MC_FIELDS.seed)).toEqual({ value: 4294967295 });
    expect(readNumber("2147483648", MC_FIELDS.seed)).toEqual({ value: 2147483648 });
    expect(readNumber("4294967296", MC_FIELDS.seed)).toEqual({ problem: "outOfRange" });
  });
});
