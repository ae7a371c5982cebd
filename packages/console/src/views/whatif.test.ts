import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { renderIn, renderRowIn } from "../_test-render";
import type { Lang } from "../i18n";
import { type Knobs, nominalKnobs, toScenario } from "../knobs";
import type { ScenarioDocument, SchemeDocument, WhatIfUnit } from "../whatif-api";
import { UnitRow } from "./unit-moves";
import { KnobPanel, ScenarioNotes, Workbench } from "./whatif";

const scheme = (over: Partial<SchemeDocument>): SchemeDocument => ({
  categories: [{ id: "work", name: "业务工作", points: 30 }],
  groups: [{ id: "g", name: "g" }],
  ...over,
});

/** The markup of `element` in `lang`. */
const render = (lang: Lang, element: ReactElement) => renderIn(lang, element);
const textOf = (html: string) => html.replace(/<[^>]*>/g, "").replace(/&#x27;/g, "'");

const panel = (
  s: SchemeDocument,
  knobs = nominalKnobs(s),
  lang: Lang = "en",
  scenario = toScenario(knobs, s),
) =>
  render(
    lang,
    createElement(KnobPanel, {
      scheme: s,
      knobs,
      nominal: nominalKnobs(s),
      scenario,
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
  const opened = (owner: string, subject: string, lang: Lang = "en") => {
    const s = scheme({});
    return render(
      lang,
      createElement(KnobPanel, {
        scheme: s,
        knobs: nominalKnobs(s),
        nominal: nominalKnobs(s),
        scenario: toScenario(nominalKnobs(s), s),
        onChange: () => {},
        cycleId: "2018",
        opened: { id: "s1", owner },
        subject,
        name: "reform",
        onNameChange: () => {},
      }),
    );
  };

  it("offers to save changes over a saved scenario to its owner only, and to anyone to save it as new", () => {
    const mine = opened("analyst-1", "analyst-1");
    expect(mine).toContain('data-testid="save-changes"');
    expect(textOf(mine)).toContain("Save as new and share");
    expect(mine).not.toContain('data-testid="not-own"');

    const theirs = opened("analyst-2", "analyst-1", "zh-CN");
    expect(theirs).not.toContain('data-testid="save-changes"');
    expect(textOf(theirs)).toContain("另存为新情景并分享");
    expect(textOf(theirs)).toContain("此情景属于 analyst-2");

    // Nothing opened: the one button saves a new scenario, as before.
    const fresh = panel(scheme({}));
    expect(fresh).not.toContain('data-testid="save-changes"');
    expect(textOf(fresh)).toContain("Save and share");
  });

  it("offers every number of decimals the engine accepts, and shows the scheme's own", () => {
    const html = element(panel(scheme({ rounding: { decimals: 5, mode: "half-up" } })), "knob-decimals");
    const offered = [...html.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(offered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(html).toContain('<option value="5" selected="">');
  });

  it("names the rounding modes in the page's language", () => {
    const s = scheme({});
    const options = (lang: Lang) =>
      [
        ...element(panel(s, nominalKnobs(s), lang), "knob-mode").matchAll(
          /<option value="([^"]+)"[^>]*>([^<]*)</g,
        ),
      ].map((m) => `${m[1]}: ${textOf(m[2]!)}`);
    expect(options("en")).toEqual([
      "half-up: half-up (四舍五入)",
      "half-even: half-even, banker's rounding (银行家舍入)",
    ]);
    expect(options("zh-CN")).toEqual(["half-up: 四舍五入", "half-even: 银行家舍入（四舍六入五成双）"]);
  });

  it("says which stages the decimals round: the scheme's, or the scenario's own", () => {
    const stages = (s: SchemeDocument, lang: Lang = "en", scenario?: ScenarioDocument) =>
      textOf(
        panel(s, nominalKnobs(s), lang, scenario).match(
          /<span[^>]*data-testid="rounding-stages"[^>]*>.*?<\/span>/,
        )![0],
      );
    // The engine's default: category points and the total (business 28.8 → 29 at 0 decimals).
    expect(stages(scheme({}))).toBe("Applies wherever the scheme rounds: each category's points, the total.");
    expect(stages(scheme({}), "zh-CN")).toBe("适用于方案规定舍入的各环节：各类别得分、总分。");
    expect(stages(scheme({ rounding: { stages: ["total", "adjustment"] } }))).toBe(
      "Applies wherever the scheme rounds: the sums of deductions and of bonuses, the total.",
    );
    expect(stages(scheme({}), "en", { patch: { rounding: { stages: [] } } })).toBe(
      "The scheme rounds no stage: these decimals only set how totals are shown.",
    );
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

  it("offers each roll-up's share, aggregation and missingSubUnit, labelled with the roll-up, in either language", () => {
    const s = scheme({
      categories: [{ id: "public", name: "开门评议", points: 40 }],
      rollups: [{ id: "subs", source: { category: "public" }, into: { category: "public" }, share: 0.1 }],
    });
    const knobs = {
      ...nominalKnobs(s),
      rollups: { subs: { share: 0.2, aggregation: "median", missingSubUnit: "zero" } },
    };
    const html = panel(s, knobs);
    const share = element(html, "input-rollup-subs-share");
    expect(share).toContain('aria-label="Roll-up subs: sub-units&#x27; share of 开门评议 (0.1 = 10%)"');
    expect(share).toMatch(/min="0" max="1"/);
    expect(element(html, "slider-rollup-subs-share")).toContain('value="0.2"');
    expect(textOf(html)).toContain("(0.1 →)");
    const aggregation = element(html, "knob-rollup-subs-aggregation");
    expect(aggregation).toContain('aria-label="Roll-up subs: how the sub-units&#x27; results combine"');
    expect(aggregation).toContain('<option value="median" selected="">their median</option>');
    const missing = element(html, "knob-rollup-subs-missing");
    expect([...missing.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "renormalize",
      "zero",
      "insufficient",
    ]);
    expect(missing).toContain('<option value="zero" selected="">counts as 0</option>');
    const zh = panel(s, knobs, "zh-CN");
    expect(element(zh, "knob-rollup-subs-missing")).toContain(
      'aria-label="汇总规则“subs”：无结果的下属单位"',
    );
    expect(textOf(zh)).toContain("汇总规则“subs”：下属单位的开门评议 → 开门评议");
    // One a saved scenario changes beyond what the knob shows has no knob: it is run as saved.
    const unshown = panel(s, { ...nominalKnobs(s), rollups: { subs: null } });
    expect(unshown).not.toContain("rollup-subs");
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
  // Defined, not assigned: the files of a worker share one global scope, and one run before this
  // may have left sessionStorage a getter that refuses (refusedStorage("access")), which an
  // assignment cannot replace.
  Object.defineProperty(globalThis, "sessionStorage", {
    value: {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    } as Storage,
    configurable: true,
    writable: true,
  });
  globalThis.location = { hash: "#/whatif?cycle=2018" } as Location;
  afterEach(() => items.clear());

  const workbench = (scenarioId: string | null = null) =>
    renderToStaticMarkup(
      createElement(Workbench, { cycleId: "2018", scenarioId, scheme: s, saved: null, savedName: null }),
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
    // With a way back to the page's own settings, as a restored form has.
    expect(html).toMatch(
      /<button[^>]*data-testid="whatif-discard"[^>]*>Back to the scheme&#x27;s own<\/button>/,
    );
  });

  it("says nothing of settings kept that are the page's own start", () => {
    items.set("pingyi.whatif.2018", JSON.stringify({ scenario: null, knobs: nominalKnobs(s), name: "" }));
    expect(workbench()).not.toContain('data-testid="whatif-restored"');
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
          saved: null,
          savedName: null,
        }),
      );
      expect(element(html, "group")).toContain(`<option value="${studied}" selected="">`);
    }
    globalThis.location = { hash: "#/whatif?cycle=2018" } as Location;
  });

  it("opens a saved scenario at its own knobs, and says what else it changes", () => {
    const saved = {
      patch: { categories: { work: { points: 40 } } },
      data: { findings: { F1: { rectification: "on-time" } } },
    };
    const html = renderToStaticMarkup(
      createElement(Workbench, {
        cycleId: "2018",
        scenarioId: "s1",
        scheme: s,
        saved,
        savedName: "全部按期整改",
      }),
    );
    expect(value(html, "slider-work")).toBe("40");
    expect(value(html, "scenario-name")).toBe("全部按期整改");
    expect(html).toContain('data-testid="whatif-hidden"');
    expect(textOf(html)).toContain("also changes what the controls above do not show: findings data.");
  });

  it("sets a saved scenario's restored settings back to the scenario's own, not the scheme's", () => {
    items.set("pingyi.whatif.2018", JSON.stringify({ scenario: "s1", knobs: { points: { work: 44 } } }));
    const html = renderToStaticMarkup(
      createElement(Workbench, {
        cycleId: "2018",
        scenarioId: "s1",
        scheme: s,
        saved: { patch: { categories: { work: { points: 40 } } } },
        savedName: "全部按期整改",
      }),
    );
    expect(value(html, "slider-work")).toBe("44");
    expect(html).toMatch(/data-testid="whatif-discard"[^>]*>Back to the saved scenario<\/button>/);
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

describe("ScenarioNotes", () => {
  const s = scheme({
    categories: [
      { id: "organ", name: "机关建设", points: 30 },
      { id: "public", name: "开门评议", points: 40 },
    ],
  });
  const notes = (lang: Lang, knobs: Knobs, scenario: ScenarioDocument = toScenario(knobs, s)) =>
    render(lang, createElement(ScenarioNotes, { scheme: s, knobs, scenario }));

  it("warns, in either language, when the knobs change the maximum total", () => {
    const raised = { ...nominalKnobs(s), points: { organ: 30, public: 50 } };
    const en = notes("en", raised);
    expect(textOf(en)).toContain("Maximum total: 70 → 80");
    expect(textOf(en)).toContain("out of 80, not 70");
    expect(en).toContain("flag severe");
    expect(textOf(notes("zh-CN", raised))).toContain("最高总分：70 → 80");
    // Points moved from one category to another keep the maximum: nothing to say.
    expect(notes("en", { ...nominalKnobs(s), points: { organ: 20, public: 50 } })).toBe("");
  });

  it("lists what a saved scenario changes beyond the knobs", () => {
    const saved: ScenarioDocument = {
      patch: { categories: { public: { points: 50 }, organ: { points: 20 } } },
      data: { findings: { F1: { rectification: "on-time" } }, vetoEvents: { remove: ["V1"] } },
    };
    const knobs = { ...nominalKnobs(s), points: { organ: 20, public: 50 } };
    expect(textOf(notes("en", knobs, toScenario(knobs, s, saved)))).toBe(
      "This saved scenario also changes what the controls above do not show: findings data, vetoes. Every result on this page includes them, and Reset does not undo them.",
    );
    expect(textOf(notes("zh-CN", knobs, toScenario(knobs, s, saved)))).toContain(
      "上方控件未显示的内容：督查发现数据、一票否决事项。",
    );
  });
});

describe("UnitRow", () => {
  const standing = { group: "g", total: "88.10", rank: 1, rankedInGroup: 29, grade: "good" };
  const row = (lang: Lang, scenario: Partial<WhatIfUnit["scenario"]>) => {
    const u: WhatIfUnit = {
      unitId: "U05",
      name: "市应急管理局",
      baseline: { ...standing, eligibleForExcellence: true, eligibleForAward: true },
      scenario: { ...standing, eligibleForExcellence: true, eligibleForAward: true, ...scenario },
      totalDelta: "0",
      rankDelta: 0,
      parts: [],
    };
    const html = renderRowIn(
      lang,
      createElement(UnitRow, { u, grade: (id) => id ?? "—", selected: false, onSelect: () => {} }),
    );
    return html.match(/<td data-testid="eligibility-flags">(.*?)<\/td>/)![1]!;
  };

  it("flags a unit held back whatever its rank (1st but good), as the Rankings page does", () => {
    const zh = row("zh-CN", { eligibleForExcellence: false, eligibleForAward: false });
    expect(textOf(zh)).toBe("不得评优不得评奖");
    expect(zh).toContain('title="无论名次如何均受限');
    expect(textOf(row("en", { eligibleForAward: false }))).toBe("no award");
    expect(row("en", {})).toBe("");
  });
});
