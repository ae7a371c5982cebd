import { createElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { memorySessionStorage } from "../_test-session-storage";
import type { Role } from "../auth";
import type { BallotChoices } from "../ballots-api";
import type { Lang } from "../i18n";
import { BallotSection } from "./ballot-list";

const choices: BallotChoices = {
  voteCategories: [
    { id: "organ", name: "机关建设", ballot: { type: "score", min: 0, max: 100 }, roles: [], secret: true },
    { id: "conduct", name: "作风", ballot: { type: "grade", grades: ["好"] }, roles: [], secret: false },
  ],
  surveyCategories: [],
  units: [{ id: "U09", name: "九" }],
};

/** The Ballots tab of cycle 2019 at `#/ballots?<query>`, as `role` first sees it. */
const drawn = (role: Role, query: string, lang: Lang = "en") => {
  globalThis.location = { hash: `#/ballots?cycle=2019&${query}` } as Location;
  return renderIn(
    lang,
    createElement(BallotSection, {
      session: { token: "t", role, subject: "someone", expires: null },
      cycle: { id: "2019", name: "2019年度", year: 2019, status: "OPEN", schemeId: "s", schemeVersion: 1 },
      choices,
      choicesFailed: false,
    }),
  );
};
const text = (html: string) => html.replace(/<[^>]+>/g, "").replaceAll("&#x27;", "'");
const LOADING = "<p>Loading…</p>";

describe("the Ballots list of a secret vote", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("tells a viewer or an analyst who chose a secret vote why it is not listed, asking nothing", () => {
    for (const role of ["viewer", "analyst"] as const) {
      const html = drawn(role, "category=organ&unit=U09");
      expect(html).toContain('data-testid="ballots-secret"');
      expect(text(html)).toContain(
        "机关建设 (organ) is a secret vote (无记名投票): only administrators list its ballots. A unit's breakdown gives the values of its ballots, naming no voter.",
      );
      // To the chosen unit's breakdown.
      expect(html).toContain('href="#/rankings?cycle=2019&amp;unit=U09"');
      // No read of the list is under way: the page holds no ballots query.
      expect(html).not.toContain(LOADING);
      expect(html).not.toContain('data-testid="ballots-secret-unlisted"');
    }
    expect(text(drawn("viewer", "category=organ", "zh-CN"))).toContain(
      "机关建设 (organ)为无记名投票：只有管理员可以列出其选票。",
    );
    // Another category is listed as before.
    const other = drawn("viewer", "category=conduct");
    expect(other).toContain(LOADING);
    expect(other).not.toContain('data-testid="ballots-secret');
  });

  it("names the secret votes a list of every category leaves out, to all but an administrator", () => {
    const html = drawn("analyst", "");
    expect(text(html)).toContain(
      "The ballots of a secret vote (无记名投票) are not listed: 机关建设 (organ). Only administrators list them",
    );
    expect(html).toContain('href="#/rankings?cycle=2019"');
    expect(html).toContain(LOADING);
    expect(text(drawn("viewer", "unit=U09", "zh-CN"))).toContain(
      "无记名投票的选票不在此列出：机关建设 (organ)。",
    );
    // An administrator lists them, secret or not.
    for (const query of ["category=organ", ""]) {
      const admin = drawn("admin", query);
      expect(admin).toContain(LOADING);
      expect(admin).not.toContain('data-testid="ballots-secret');
    }
  });

  it("marks a secret vote in the category filter, for every role", () => {
    for (const role of ["viewer", "admin"] as const) {
      expect(drawn(role, "")).toContain('<option value="organ">机关建设 — secret vote</option>');
      expect(drawn(role, "")).toContain('<option value="conduct">作风</option>');
    }
    expect(drawn("viewer", "", "zh-CN")).toContain('<option value="organ">机关建设（无记名投票）</option>');
  });
});
