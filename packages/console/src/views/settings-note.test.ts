import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import type { Lang } from "../i18n";
import { SettingsNote } from "./settings-note";

const shown = (lang: Lang, props: { restored: boolean }) =>
  renderIn(lang, createElement(SettingsNote, { name: "mc", onDiscard: () => {}, ...props }));

describe("SettingsNote", () => {
  it("says a card's settings came back, in either language, with the way back to the page's own", () => {
    expect(shown("en", { restored: true })).toBe(
      '<p class="muted" data-testid="mc-restored">Your settings for this analysis were restored. ' +
        '<button type="button" data-testid="mc-discard">Back to the defaults</button></p>',
    );
    expect(shown("zh-CN", { restored: true })).toBe(
      '<p class="muted" data-testid="mc-restored">已恢复您在本项分析中的设置。 ' +
        '<button type="button" data-testid="mc-discard">改回默认设置</button></p>',
    );
  });

  it("says nothing of settings that did not come back (useDraft tells them, and when they are gone)", () => {
    expect(shown("en", { restored: false })).toBe("");
  });
});
