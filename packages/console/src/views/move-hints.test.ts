import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import { moveHint, moveQuestion, targetKey } from "./move-hints";

const texts = { cycle: "2019", from: "city-review v2", to: "city-review v3" };

describe("the Move form's hint and question", () => {
  for (const lang of ["en", "zh-CN"] as const) {
    const t = translator(lang);
    it(`names a secret vote's secrecy lifted, alone or beside records or totals (${lang})`, () => {
      const secrecy = t("cycles.moveSecrecy", { force: t("cycles.moveForce") });
      expect(moveHint(["secrecy"], t)).toBe(secrecy);
      expect(secrecy).toContain(t("cycles.moveForce"));
      // No record to correct: the records' hint is not the one shown.
      expect(moveHint(["secrecy"], t)).not.toContain(
        t("cycles.moveRecords", { force: t("cycles.moveForce") }),
      );
      const records = t("cycles.moveRecords", { force: t("cycles.moveForce") });
      expect(moveHint(["records", "secrecy"], t)).toBe(`${records} ${secrecy}`);
      const totals = t("cycles.moveTotalsLost", { force: t("cycles.moveForce") });
      expect(moveHint(["totals", "secrecy"], t)).toBe(`${totals} ${secrecy}`);
      expect(moveHint([], t)).toBe(null);
    });

    it(`tells the ballots of a vote the version no longer has from records to correct: deleted, or recorded again under a renamed vote's id (${lang})`, () => {
      const force = t("cycles.moveForce");
      const gone = t("cycles.moveVoteGone", { force });
      const records = t("cycles.moveRecords", { force });
      expect(moveHint(["voteGone"], t)).toBe(gone);
      expect(gone).toContain(force);
      expect(gone).toMatch(lang === "en" ? /delete them first/ : /请先删除这些选票/);
      // Named by the action that deletes them all at once, and where it is.
      expect(gone).toContain(
        lang === "en"
          ? "on the Ballots and survey forms page, choose their category and “Delete all … ballots of this category”"
          : "在“票决与测评表”页面选择其类别，点“删除此类别的全部…张选票”",
      );
      expect(gone).toMatch(lang === "en" ? /listed to administrators only/ : /仅管理员可见/);
      // Renamed, deleting them first would lose them: recorded again under the new id after the move.
      expect(gone).toMatch(
        lang === "en"
          ? /renames the vote, tick “.*record the ballots again under the new id, then delete these the same way/
          : /如将该投票重命名，请勾选“.*按新的标识重新录入这些选票，再以同样方式删除原选票/,
      );
      expect(gone).toMatch(
        lang === "en" ? /its ranking fails until they are deleted/ : /在删除之前本周期的排名将无法计算/,
      );
      expect(moveHint(["records", "voteGone"], t)).toBe(`${records} ${gone}`);
      const secrecy = t("cycles.moveSecrecy", { force });
      expect(moveHint(["voteGone", "secrecy"], t)).toBe(`${gone} ${secrecy}`);
    });

    it(`says deleting a lifted vote's ballots or forcing moves past the secrecy, on the Cycles and Rules pages (${lang})`, () => {
      const force = t("cycles.moveForce");
      for (const text of [
        t("cycles.moveSecrecy", { force }),
        t("rules.secrecyLifted", { force, move: t("cycles.move") }),
      ]) {
        expect(text).toContain(force);
        expect(text).toMatch(
          lang === "en" ? /only deleting that vote's ballots, or ticking/ : /只有删除该投票的选票，或/,
        );
      }
    });

    it(`says only a version declaring the vote named lifts its secrecy, not one dropping it (${lang})`, () => {
      const said = [
        t("cycles.moveSecrecy", { force: t("cycles.moveForce") }),
        t("cycles.confirmMoveLiftsSecrecy", texts),
        t("cycles.moveForceWhy"),
      ];
      const named = lang === "en" ? /declares the vote named/ : /改为记名投票/;
      for (const text of said) expect(text).toMatch(named);
      const dropping = lang === "en" ? /drops or renames it|dropped, renamed/ : /删除或重命名了该投票/;
      for (const text of said) expect(text).not.toMatch(dropping);
    });

    it(`asks before a forced move whether to lift the secrecy the gateway named (${lang})`, () => {
      const forced = t("cycles.confirmMoveForced", texts);
      const lifts = t("cycles.confirmMoveLiftsSecrecy", texts);
      expect(moveQuestion(texts, { force: true, liftsSecrecy: true }, t)).toBe(`${forced} ${lifts}`);
      expect(moveQuestion(texts, { force: true, liftsSecrecy: false }, t)).toBe(forced);
      expect(moveQuestion(texts, { force: false, liftsSecrecy: true }, t)).toBe(
        t("cycles.confirmMove", texts),
      );
    });
  }

  it("tells versions apart by scheme and number", () => {
    expect(targetKey({ schemeId: "city-review", version: 3 })).not.toBe(
      targetKey({ schemeId: "city-review", version: 2 }),
    );
  });
});
