import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderRowIn } from "../_test-render";
import { cyclesOnVersion } from "../cycles-on-version";
import type { Lang } from "../i18n";
import type { Cycle } from "../queries";
import type { SchemeVersionInfo } from "../rules-api";
import { SchemeVersionRow } from "./scheme-version-row";

const version: SchemeVersionInfo = {
  version: 2,
  author: "admin-1",
  reason: "points for public",
  basedOn: 1,
  createdAt: "2026-12-07T09:00:00Z",
  withdrawn: null,
};
const cycle = (id: string, year: number, status = "OPEN"): Cycle => ({
  id,
  name: `Review ${year}`,
  year,
  status,
  schemeId: "city-review",
  schemeVersion: 2,
});

const row = (lang: Lang, cycles: Cycle[]) =>
  renderRowIn(
    lang,
    createElement(SchemeVersionRow, {
      schemeId: "city-review",
      version,
      cyclesOn: cyclesOnVersion(cycles, "city-review", 2),
      onChanged: () => {},
      onWithdrawn: () => {},
    }),
  );
const withdrawButton = (html: string) =>
  html.match(/<button[^>]*data-testid="withdraw-open"[^>]*>/)?.[0] ?? "";
const note = (html: string) => {
  const found = html.match(
    /<div class="muted" data-testid="version-cycles-on" id="([^"]+)"[^>]*>(.*?)<\/div>/,
  );
  return found ? { id: found[1], text: found[2]!.replace(/<[^>]+>/g, "") } : null;
};

describe("a version's row with the cycles on it", () => {
  it("offers Withdraw, saying nothing of cycles, on a version none is on", () => {
    const html = row("en", [{ ...cycle("2019", 2019), schemeVersion: 1 }]);
    expect(note(html)).toBeNull();
    expect(withdrawButton(html)).toContain('aria-disabled="false"');
    expect(withdrawButton(html)).not.toContain("aria-describedby");
  });

  it("names the open cycles on it and disables Withdraw, described by moving them off first", () => {
    const html = row("en", [cycle("2020", 2020), cycle("2019", 2019)]);
    const said = note(html);
    expect(said?.text).toBe(
      "Cycles 2019 · Review 2019 (2019) and 2020 · Review 2020 (2020) are on this version. To withdraw it, first move every cycle on it to another version, on the Cycles page: Move a cycle to another scheme version",
    );
    expect(html).toContain('<a href="#/cycles">Move a cycle to another scheme version</a>');
    expect(withdrawButton(html)).toContain('aria-disabled="true"');
    expect(withdrawButton(html)).toContain(`aria-describedby="${said?.id}"`);
    expect(note(row("zh-CN", [cycle("2019", 2019)]))?.text).toBe(
      "考评周期 2019 · Review 2019 (2019) 正在使用此版本。如需撤回，请先在“考评周期”页将使用此版本的各考评周期更换到其他版本：更换考评周期的评分方案版本",
    );
  });

  it("says a version a finalised cycle is on can never be withdrawn, and nothing of moving", () => {
    const html = row("en", [cycle("2018", 2018, "FINALISED")]);
    expect(note(html)?.text).toBe(
      "Cycle 2018 · Review 2018 (2018) is on this version. A finalised cycle was scored under it and keeps it for good: this version can never be withdrawn.",
    );
    expect(html).not.toContain('href="#/cycles"');
    expect(withdrawButton(html)).toContain('aria-disabled="true"');
    expect(note(row("zh-CN", [cycle("2018", 2018, "FINALISED")]))?.text).toBe(
      "考评周期 2018 · Review 2018 (2018) 正在使用此版本。已定稿的考评周期按此版本计分，并永久保留此版本：此版本永远不能撤回。",
    );
  });
});
