import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { keptChanges as kept, rollupEnds, keptYear as year } from "../_test-kept-schemes";
import { renderIn } from "../_test-render";
import { change } from "../_test-scheme-change";
import type { Lang } from "../i18n";
import type { SchemeChange } from "../rules-api";
import type { SchemeDocument } from "../whatif-api";
import { KeptNote } from "./year-on-year-split";

const scheme: SchemeDocument = {
  categories: [{ id: "organ", name: "机关建设", points: 30 }],
  groups: [{ id: "law", name: "执法部门" }],
};

const lines = (html: string) => [...html.matchAll(/<p>([^<]*)<\/p>/g)].map((m) => m[1]);
const note = (
  lang: Lang,
  changes: readonly SchemeChange[],
  schemes: readonly SchemeDocument[] = [scheme],
  before = "2018",
) => lines(renderIn(lang, createElement(KeptNote, { changes, schemes, before })));
const tail = " could not be taken back to the 2018 rules: its change counts in the records&#x27; half.";
const nameTail = " could not be taken back to the 2018 rules: it is only a name, which changes no score.";

describe("KeptNote", () => {
  it("says the rules kept in words, a path it has none for as it is", () => {
    expect(
      note("en", [
        change({ path: "groups[ids]", kind: "CHANGED" }),
        change({ path: "ranking.tieBreakers[0]", kind: "ADDED" }),
        change({ path: "findingTypes[id=visit].cap", kind: "CHANGED" }),
      ]),
    ).toEqual([
      `The order of the groups${tail}`,
      `Tie-breaker no. 1${tail}`,
      `The rule findingTypes[id=visit].cap${tail}`,
    ]);
  });

  it("says a roll-up's end and the fallback grade once, though the engine keeps two paths of each", () => {
    const from = year({
      rollups: rollupEnds.from,
      grades: { rules: [], fallback: { id: "ok", name: "合格" } },
    });
    const to = year({
      rollups: rollupEnds.to,
      grades: { rules: [], fallback: { id: "pass", name: "通过" } },
    });
    const changes = kept(from, to);
    expect(changes).toHaveLength(6);
    expect(note("en", changes, [to as unknown as SchemeDocument])).toEqual([
      `What roll-up subs reads of the sub-units${tail}`,
      `Where roll-up subs counts${tail}`,
      `The grade of the units no rule grades (fallback)${tail}`,
    ]);
  });

  it("says a change of a name alone changes no score: a finding or veto type's, the fallback grade's", () => {
    const from = year({
      grades: { rules: [], fallback: { id: "ok", name: "合格" } },
      findingTypes: [{ id: "visit", name: "明察暗访", levels: { city: { perFinding: "0.3" } } }],
      vetoTypes: [{ id: "safety", name: "安全事故" }],
    });
    const to = year({
      grades: { rules: [], fallback: { id: "ok", name: "称职" } },
      findingTypes: [{ id: "visit", name: "暗访", levels: { city: { perFinding: "0.3" } } }],
      vetoTypes: [{ id: "safety", name: "安全生产事故" }],
    });
    const schemes = [to, from] as unknown as SchemeDocument[];
    expect(note("en", kept(from, to), schemes)).toEqual([
      `The name of the finding type 暗访${nameTail}`,
      `The name of the veto type 安全生产事故${nameTail}`,
      `The grade of the units no rule grades (fallback)${nameTail}`,
    ]);
    expect(note("zh-CN", kept(from, to), schemes)[0]).toBe(
      "问题类型 暗访 的名称 无法换回 2018 的规则：仅是名称，不影响得分。",
    );
  });

  it("names a group or grade only the base year's scheme has by that scheme, and keeps a Latin id apart in Chinese", () => {
    const base: SchemeDocument = {
      categories: [],
      groups: [{ id: "law-enforcement", name: "执法部门" }],
      grades: { rules: [{ id: "good", name: "良好" }] },
    };
    const changes = [
      change({ path: "groups[id=law-enforcement]", kind: "REMOVED" }),
      change({ path: "grades.rules[id=good]", kind: "REMOVED" }),
    ];
    expect(note("en", changes, [scheme, base])).toEqual([
      `The group 执法部门${tail}`,
      `The grade 良好${tail}`,
    ]);
    expect(note("zh-CN", [change({ path: "groups[id=patrol]", kind: "REMOVED" })])).toEqual([
      "分组 patrol 无法换回 2018 的规则：其变化计入记录部分。",
    ]);
  });
});
