import { createElement, type ReactElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { memorySessionStorage } from "../_test-session-storage";
import type { CycleRow, SchemeChoice } from "../cycles-api";
import { saveFormDraft } from "../draft-store";
import { CorrectForm, CreateForm, LinkForm, MoveForm } from "./cycles";

const cycle = (id: string, year: number, over: Partial<CycleRow> = {}): CycleRow => ({
  id,
  year,
  name: `${year}年度考评`,
  status: "OPEN",
  schemeId: "county",
  schemeVersion: 1,
  previousCycle: null,
  ...over,
});
const cycles = [cycle("2019", 2019, { previousCycle: { id: "2018", year: 2018 } }), cycle("2018", 2018)];
const schemes: SchemeChoice[] = [
  {
    schemeId: "county",
    versions: [
      { version: 2, reason: "新规", withdrawn: null },
      { version: 1, reason: "初版", withdrawn: null },
    ],
    latestUsable: 2,
  },
  { schemeId: "city", versions: [{ version: 1, reason: "初版", withdrawn: null }], latestUsable: 1 },
];
const onDone = () => {};

const drawn = (form: ReactElement) => renderIn("en", form);

describe("the Cycles page's restored notes", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("are not shown by a correction typed back to the cycle's own name and year", () => {
    const typed = (name: string | null, year: string | null) =>
      saveFormDraft("cycles.correct.typed", { cycle: "2019", value: { name, year, yearChecked: false } });
    const form = createElement(CorrectForm, { cycles, onDone });
    typed("2019年度考评", "2019");
    expect(drawn(form)).not.toContain('data-testid="correct-restored"');
    typed("2019年度考评", null);
    expect(drawn(form)).not.toContain('data-testid="correct-restored"');
    typed("2019年度考评（更正）", null);
    expect(drawn(form)).toContain('data-testid="correct-restored"');
    typed(null, "2020");
    expect(drawn(form)).toContain('data-testid="correct-restored"');
  });

  it("are not shown by a move picked back to the cycle's own scheme at its latest version", () => {
    const chose = (schemeId: string | null, version: string | null, force = false) =>
      saveFormDraft("cycles.move.choice", { cycle: "2019", value: { schemeId, version, force } });
    const form = createElement(MoveForm, { cycles, schemes, onDone });
    chose("county", null);
    expect(drawn(form)).not.toContain('data-testid="move-restored"');
    chose("county", "2");
    expect(drawn(form)).not.toContain('data-testid="move-restored"');
    chose(null, "2");
    expect(drawn(form)).not.toContain('data-testid="move-restored"');
    chose("county", "1");
    expect(drawn(form)).toContain('data-testid="move-restored"');
    chose("city", null);
    expect(drawn(form)).toContain('data-testid="move-restored"');
    chose("county", null, true);
    expect(drawn(form)).toContain('data-testid="move-restored"');
  });

  it("is not shown by a link picked back to what the cycle follows now", () => {
    const form = createElement(LinkForm, { cycles, onDone });
    saveFormDraft("cycles.link.follows", { cycle: "2019", value: "2018" });
    expect(drawn(form)).not.toContain('data-testid="link-restored"');
    saveFormDraft("cycles.link.follows", { cycle: "2019", value: "" });
    expect(drawn(form)).toContain('data-testid="link-restored"');
  });

  it("is not shown by a new cycle's form picked back to the latest version", () => {
    const start = { id: "", year: "2020", name: "", schemeId: "county", version: "", copyUnitsFrom: "" };
    const form = createElement(CreateForm, { cycles, schemes, onDone });
    saveFormDraft("cycles.create", { ...start, version: "2", follows: "default" });
    expect(drawn(form)).not.toContain('data-testid="cycle-create-restored"');
    saveFormDraft("cycles.create", { ...start, version: "1", follows: "default" });
    expect(drawn(form)).toContain('data-testid="cycle-create-restored"');
  });
});

describe("a withdrawn scheme version in the Cycles page's forms", () => {
  beforeEach(() => {
    memorySessionStorage();
  });
  const withdrawn = { at: "2026-12-07T09:00:00.000Z", by: "admin", reason: "wrong points for public" };
  const county = schemes[0]!;
  const [v2, v1] = county.versions;
  const optionOf = (html: string, version: number) =>
    new RegExp(`<option value="${version}"[^>]*>[^<]*</option>`).exec(html)?.[0] ?? "";

  it("is listed, not offered, saying who withdrew it and why; the latest not withdrawn is the start", () => {
    const latestWithdrawn: SchemeChoice[] = [
      { ...county, versions: [{ ...v2!, withdrawn }, v1!], latestUsable: 1 },
    ];
    for (const form of [
      createElement(CreateForm, { cycles, schemes: latestWithdrawn, onDone }),
      createElement(MoveForm, {
        cycles: [cycle("2019", 2019, { schemeVersion: 1 })],
        schemes: latestWithdrawn,
        onDone,
      }),
    ]) {
      const html = drawn(form);
      expect(optionOf(html, 2)).toMatch(/disabled=""/);
      expect(optionOf(html, 2)).toContain("withdrawn by admin");
      expect(optionOf(html, 2)).toContain("wrong points for public");
      expect(optionOf(html, 1)).toMatch(/selected=""/);
      expect(optionOf(html, 1)).toContain("v1 (latest");
    }
  });

  it("leaves a scheme each version of which is withdrawn with none to choose, saying to publish one", () => {
    const each: SchemeChoice[] = [
      { ...county, versions: [v2!, v1!].map((v) => ({ ...v, withdrawn })), latestUsable: null },
    ];
    const html = drawn(createElement(CreateForm, { cycles, schemes: each, onDone }));
    expect(html).toContain('data-testid="cycle-no-usable-version"');
    // Each version is listed, and none can be chosen.
    const versionBox = /<select[^>]*data-testid="cycle-schemeVersion".*?<\/select>/.exec(html)?.[0] ?? "";
    const numbered = versionBox.match(/<option value="\d+"[^>]*>/g) ?? [];
    expect(numbered).toHaveLength(2);
    for (const option of numbered) expect(option).toMatch(/disabled=""/);
  });
});
