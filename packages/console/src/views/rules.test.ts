import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderIn } from "../_test-render";
import { change } from "../_test-scheme-change";
import { ApiError } from "../api";
import { type Lang, translator } from "../i18n";
import type { Movement } from "../rules-api";
import { ChangeTable, changeWords } from "./change-table";
import {
  afterEdit,
  Diff,
  DocumentIssues,
  DraftStandings,
  failureOutcome,
  Maximum,
  Movements,
  type Outcome,
  SecrecyLifted,
  settledOutcome,
} from "./rules";
import { WithdrawnMark, WithdrawnStatus } from "./scheme-version-row";

const movement = (unitId: string, before: number | null, after: number | null): Movement => ({
  unitId,
  name: unitId,
  group: "g",
  before: { total: before === null ? null : "80.00", rank: before, grade: null },
  after: { total: after === null ? null : "80.00", rank: after, grade: null },
  rankDelta: before !== null && after !== null ? after - before : null,
  totalDelta: before !== null && after !== null ? "0" : null,
  causes: [],
});

const rankMoves = (movements: Movement[]) =>
  [
    ...renderToStaticMarkup(createElement(Movements, { movements })).matchAll(
      /<td class="num ?[a-z]*">([^<]*)<\/td><td class="num">[^<]*<\/td><td class="muted">/g,
    ),
  ].map((m) => m[1]);

/** The markup of `element` in `lang`. */
const render = (lang: Lang, element: ReactElement) => renderIn(lang, element);
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");

describe("changeWords", () => {
  // A category id mistyped in a draft: public removed, pubilc added, one entry to the gateway's eye.
  const removed = change({ path: "categories[id=public]", kind: "REMOVED", renamedTo: "pubilc" });
  const added = change({ path: "categories[id=pubilc]", kind: "ADDED", renamedFrom: "public" });

  it("says a removed and an added entry are likely one renamed, in both languages", () => {
    expect(changeWords(removed, translator("en"))).toBe("removed — renamed to “pubilc”?");
    expect(changeWords(added, translator("en"))).toBe("added — renamed from “public”?");
    expect(changeWords(removed, translator("zh-CN"))).toBe("删除——可能已改名为“pubilc”？");
    expect(changeWords(added, translator("zh-CN"))).toBe("新增——可能由“public”改名而来？");
  });

  it("says the kind alone when the gateway guesses no rename", () => {
    const t = translator("en");
    expect(changeWords({ ...removed, renamedTo: null }, t)).toBe("removed");
    expect(changeWords({ ...added, renamedFrom: null }, t)).toBe("added");
    expect(changeWords(change({ path: "categories[id=public].points", kind: "CHANGED" }), t)).toBe("changed");
  });

  it("shows the guess beside the change in the diff's table", () => {
    const text = textOf(render("en", createElement(ChangeTable, { changes: [removed, added] })));
    expect(text).toContain("categories[id=public]removed — renamed to “pubilc”?");
    expect(text).toContain("categories[id=pubilc]added — renamed from “public”?");
  });
});

describe("Movements", () => {
  it("says a unit kept its rank only when it has one on both sides", () => {
    expect(
      rankMoves([
        movement("kept", 3, 3),
        movement("rose", 5, 2),
        movement("lost", 4, null),
        movement("new", null, 7),
      ]),
    ).toEqual(["=", "↑3", "—", "—"]);
  });

  it("says how many units a preview compared when it shows only the largest moves", () => {
    const shown = [movement("a", 1, 2), movement("b", 2, 1)];
    const en = render("en", createElement(Movements, { movements: shown, count: 12_000 }));
    expect(textOf(en)).toContain("The 2 largest moves of 12,000 units; the others move less.");
    const zh = render("zh-CN", createElement(Movements, { movements: shown, count: 12_000 }));
    expect(textOf(zh)).toContain("仅列出 12,000 个单位中变动最大的 2 个，其余变动更小。");
    // Every unit shown: nothing to say.
    expect(render("en", createElement(Movements, { movements: shown, count: 2 }))).not.toContain(
      "movements-shown",
    );
  });
});

describe("DraftStandings", () => {
  const refused = (unit: string) => `score for unit "${unit}" in category "business": 80 is outside 0–50`;
  const noBefore = {
    message: `cycle '2025' cannot be scored as its records stand (4 problems): ${refused("B")}; ${refused("C")}; ${refused("D")}; …`,
    issues: ["B", "C", "D", "E"].map((u, i) => ({ path: `dataset.scores[${i}].value`, message: refused(u) })),
  };
  const standing = (unitId: string, rank: number, total: string): Movement => ({
    ...movement(unitId, null, null),
    before: null,
    after: { total, rank, grade: "good" },
  });

  it("says why there is nothing to compare with, and shows the draft's standings instead of moves", () => {
    const html = render(
      "en",
      createElement(DraftStandings, { noBefore, standings: [standing("B", 1, "88.00")], count: 1 }),
    );
    const text = textOf(html);
    expect(text).toContain("This cycle cannot be scored under its current version");
    expect(text).toContain(noBefore.message);
    // Each record once: those the message names are not listed again.
    expect(text.split(refused("B")).length - 1).toBe(1);
    expect(html).toContain(`<li>${refused("E").replace(/"/g, "&quot;")}</li>`);
    expect(html.match(/<li>/g)).toHaveLength(1);
    // The draft's rank, total and grade; no before, no delta, no "=" that would read as a rank kept.
    expect(text).toContain("B");
    expect(html).toContain('<td class="num">1</td><td class="num">88.00</td><td>good</td>');
    expect(html).not.toContain("↑");
    expect(html).not.toContain(">=<");
    expect(
      textOf(render("zh-CN", createElement(DraftStandings, { noBefore, standings: [], count: 0 }))),
    ).toContain("本周期按当前版本无法评分");
  });

  it("says how many units the draft ranks when it shows only the first", () => {
    const shown = [standing("B", 1, "88.00"), standing("A", 2, "33.00")];
    const en = textOf(
      render("en", createElement(DraftStandings, { noBefore, standings: shown, count: 12_000 })),
    );
    expect(en).toContain("The first 2 of 12,000 units, in the draft's ranking order.");
    expect(
      render("en", createElement(DraftStandings, { noBefore, standings: shown, count: 2 })),
    ).not.toContain("standings-shown");
  });
});

describe("SecrecyLifted", () => {
  const issues = [
    {
      path: "dataset.ballots",
      message:
        "the secret vote \"organ\" (203 ballots, secret under scheme city-review v4; not in scheme city-review v7, the cycle's current version) would name its voters to every reader, in its ballot lists and each unit's breakdown",
    },
  ];

  it("warns that moving a cycle to the draft would need force, and says which votes and why", () => {
    const en = textOf(render("en", createElement(SecrecyLifted, { issues })));
    expect(en).toContain(
      "would lift the secrecy of a secret vote (无记名投票), which the draft declares a named vote",
    );
    expect(en).toContain("The gateway refuses that move: only deleting that vote's ballots, or ticking");
    expect(en).toContain("“Move past the checks (force)” in “Move a cycle to another scheme version”");
    expect(en).toContain(issues[0]!.message);
    const zh = textOf(render("zh-CN", createElement(SecrecyLifted, { issues })));
    expect(zh).toContain("此草稿将无记名投票改为记名投票");
    expect(zh).toContain("将解除该投票的保密");
    expect(zh).toContain("网关会拒绝这一更换：只有删除该投票的选票，或");
    expect(zh).toContain(issues[0]!.message);
  });

  it("says nothing when the move would lift no secrecy", () => {
    expect(render("en", createElement(SecrecyLifted, { issues: [] }))).toBe("");
  });
});

describe("Maximum", () => {
  it("shows a changed maximum as before → after, set apart, in both languages", () => {
    const en = render("en", createElement(Maximum, { maximum: { before: "100", after: "110" } }));
    expect(textOf(en)).toContain("Maximum total: 100 → 110");
    expect(en).toContain('data-changed="true"');
    expect(en).toContain("flag severe");
    const zh = render("zh-CN", createElement(Maximum, { maximum: { before: "100", after: "112.5" } }));
    expect(textOf(zh)).toContain("最高总分：100 → 112.5");
  });

  it("shows an unchanged maximum once, quietly", () => {
    const en = render("en", createElement(Maximum, { maximum: { before: "100", after: "100" } }));
    expect(textOf(en)).toContain("Maximum total: 100 (unchanged)");
    expect(en).not.toContain("→");
    expect(en).not.toContain("severe");
    expect(
      textOf(render("zh-CN", createElement(Maximum, { maximum: { before: "100", after: "100" } }))),
    ).toContain("最高总分：100（未变）");
  });
});

describe("failureOutcome", () => {
  const exists =
    "scheme 'city-review' already exists, at version 4: to publish a new version of it, pass basedOn: 4";
  const race =
    "scheme 'city-review' is at version 4, not 3: someone published meanwhile; reload and reapply your edit";

  it("tells a draft based on no version from a race, by the basedOn it sent", () => {
    expect(failureOutcome(new ApiError(exists, "CONFLICT"), "{}", null)).toEqual({
      kind: "conflict",
      message: exists,
      created: true,
    });
    expect(failureOutcome(new ApiError(race, "CONFLICT"), "{}", 3)).toEqual({
      kind: "conflict",
      message: race,
      created: false,
    });
  });

  const text = '{\n  "id": "city-review",\n  "categories": [\n    { "id": "public", "pionts": 50 }\n  ]\n}';

  it("puts the draft's problems at the editor, at their line, whichever argument carried it", () => {
    const issue = (path: string) => ({ path, message: "unknown field (misspelt?)" });
    for (const [path, sent] of [
      ["input.document.categories[0].pionts", 3],
      ["document.categories[0].pionts", undefined],
    ] as const)
      expect(failureOutcome(new ApiError("invalid", "VALIDATION", [issue(path)]), text, sent)).toEqual({
        kind: "document",
        detail: "invalid",
        unchangedFrom: null,
        issues: [{ path: "categories[0].pionts", line: 4, message: "unknown field (misspelt?)" }],
      });
  });

  it("knows the refusal of a draft that changes nothing from its version", () => {
    const message =
      "nothing changed from version 4: the rules are those of that version (`version` and `$schema` are not rules), so there is nothing to publish";
    expect(
      failureOutcome(new ApiError(message, "VALIDATION", [{ path: "input.document", message }]), text, 4),
    ).toEqual({ kind: "document", detail: message, unchangedFrom: 4, issues: [] });
  });

  it("places the draft's problems at their lines with the publication's others beside them", () => {
    const mixed = new ApiError("invalid", "VALIDATION", [
      { path: "input.document.categories[0].pionts", message: "unknown field" },
      { path: "input.reason", message: "say why the rules change" },
    ]);
    expect(failureOutcome(mixed, text, 3)).toEqual({
      kind: "document",
      detail: "invalid",
      unchangedFrom: null,
      issues: [
        { path: "categories[0].pionts", line: 4, message: "unknown field" },
        { path: "input.reason", line: null, message: "say why the rules change" },
      ],
    });
  });

  it("leaves any other failure to the page's error note", () => {
    const reasonOnly = new ApiError("invalid", "VALIDATION", [{ path: "input.reason", message: "say why" }]);
    expect(failureOutcome(reasonOnly, text, 3)).toEqual({ kind: "error", error: reasonOnly });
    const gone = new ApiError("scheme city-review not found", "NOT_FOUND");
    expect(failureOutcome(gone, text, 3)).toEqual({ kind: "error", error: gone });
  });
});

describe("DocumentIssues", () => {
  it("says in the console's language that the draft changes nothing, keeping the gateway's words for support", () => {
    const detail = "nothing changed from version 4: the rules are those of that version";
    const html = render("zh-CN", createElement(DocumentIssues, { issues: [], unchangedFrom: 4, detail }));
    expect(textOf(html)).toContain("没有可发布的修改：草稿的规则与第 4 版相同");
    expect(html).toContain(`title="${detail}"`);
    expect(
      textOf(render("en", createElement(DocumentIssues, { issues: [], unchangedFrom: 4, detail }))),
    ).toContain("Nothing to publish: the draft's rules are those of version 4");
  });

  it("lists each problem with its place in the draft and its line", () => {
    const issues = [
      { path: "categories[0].pionts", line: 4, message: "unknown field (misspelt?)" },
      { path: "", line: 1, message: "must be an object" },
    ];
    const en = textOf(
      render("en", createElement(DocumentIssues, { issues, unchangedFrom: null, detail: "x" })),
    );
    expect(en).toContain("categories[0].pionts (line 4): unknown field (misspelt?)");
    expect(en).toContain("(line 1): must be an object");
    const zh = textOf(
      render("zh-CN", createElement(DocumentIssues, { issues, unchangedFrom: null, detail: "x" })),
    );
    expect(zh).toContain("categories[0].pionts（第 4 行）：unknown field (misspelt?)");
  });
});

describe("afterEdit", () => {
  const impact = {
    maximum: { before: "100", after: "110" },
    movements: [],
    movementCount: 0,
    noBefore: null,
    secrecyLifted: [],
  };
  const document: Outcome = { kind: "document", issues: [], unchangedFrom: 2, detail: "x" };

  it("takes away what was said of the previous text: its impact, its JSON error, a failure, a publish", () => {
    const gone: Outcome[] = [
      { kind: "preview", impact },
      { kind: "json", message: "Unexpected token (line 3)" },
      { kind: "error", error: new Error("Failed to fetch") },
      { kind: "published", version: 3 },
    ];
    for (const outcome of gone) expect(afterEdit(outcome)).toBeNull();
    expect(afterEdit(null)).toBeNull();
  });

  it("keeps the draft's problems to work through, marked as an earlier text's, and a conflict as it is", () => {
    expect(afterEdit(document)).toEqual({ ...document, stale: true });
    expect(afterEdit(afterEdit(document))).toEqual({ ...document, stale: true });
    const conflict: Outcome = {
      kind: "conflict",
      message: "basedOn 2 is not the latest (3)",
      created: false,
    };
    expect(afterEdit(conflict)).toBe(conflict);
  });

  it("says at the editor that the problems kept are an earlier text's", () => {
    const props = { issues: [], unchangedFrom: 2, detail: "x", stale: true };
    expect(textOf(render("en", createElement(DocumentIssues, props)))).toContain(
      "found in an earlier text of the draft",
    );
    expect(textOf(render("zh-CN", createElement(DocumentIssues, props)))).toContain("最近修改之前");
    expect(textOf(render("en", createElement(DocumentIssues, { ...props, stale: false })))).not.toContain(
      "earlier text",
    );
  });
});

describe("settledOutcome", () => {
  const impact: Outcome = {
    kind: "preview",
    impact: {
      maximum: { before: "100", after: "100" },
      movements: [],
      movementCount: 0,
      noBefore: null,
      secrecyLifted: [],
    },
  };
  const asked = { text: "{}", cycleId: "2019" };
  it("drops a preview's impact of a text edited, or a cycle changed, while it was computed", () => {
    expect(settledOutcome(impact, asked, asked)).toBe(impact);
    expect(settledOutcome(impact, asked, { ...asked, text: "{ }" })).toBeNull();
    expect(settledOutcome(impact, asked, { ...asked, cycleId: "2018" })).toBeNull();
  });
  it("keeps a refusal of the text sent as the earlier text's, and a publish as done", () => {
    const refused: Outcome = { kind: "document", issues: [], unchangedFrom: 2, detail: "nothing changed" };
    expect(settledOutcome(refused, asked, { ...asked, text: "{ }" })).toEqual({ ...refused, stale: true });
    expect(settledOutcome(refused, asked, { ...asked, cycleId: "2018" })).toBe(refused);
    const published: Outcome = { kind: "published", version: 4 };
    expect(settledOutcome(published, asked, { ...asked, text: "{ }" })).toBe(published);
  });
});

describe("a withdrawal's outcome", () => {
  it("makes the withdrawn mark a place for the focus to go, and says the version was withdrawn in both languages", () => {
    const withdrawn = { at: "2040-01-02T03:04:05Z", by: "admin-1", reason: "wrong points" };
    expect(render("en", createElement(WithdrawnMark, { withdrawn }))).toMatch(
      /^<div class="flag severe wraps" data-testid="version-withdrawn" tabindex="-1">Withdrawn by admin-1 on /,
    );
    expect(textOf(render("en", createElement(WithdrawnStatus, { version: 2 })))).toBe("Version 2 withdrawn.");
    expect(textOf(render("zh-CN", createElement(WithdrawnStatus, { version: 2 })))).toBe("第 2 版已撤回。");
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("marks a withdrawn version in the diff's pickers, which still offer it", () => {
    vi.stubGlobal("location", { hash: "#/rules?scheme=city-review" });
    const props = { schemeId: "city-review", versions: [1, 2, 3], withdrawn: new Set([2]) };
    const options = (lang: Lang) =>
      [
        ...render(lang, createElement(Diff, props)).matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g),
      ].map((m) => `${m[1]}=${m[2]}`);
    // Both pickers, each listing every version.
    expect(options("en")).toEqual(["1=1", "2=2 (withdrawn)", "3=3", "1=1", "2=2 (withdrawn)", "3=3"]);
    expect(options("zh-CN").slice(0, 3)).toEqual(["1=1", "2=2（已撤回）", "3=3"]);
  });
});
