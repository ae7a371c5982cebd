import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from "../history-api";
import { translator } from "../i18n";
import { actionText, entityText, whatText } from "./audit-words";

describe("the words of an audit entry", () => {
  it("name every action and record the log writes, in either language", () => {
    for (const lang of ["en", "zh-CN"] as const) {
      const t = translator(lang);
      for (const action of AUDIT_ACTIONS) expect(actionText(action, t), action).not.toMatch(/^history\./);
      for (const entity of AUDIT_ENTITIES) expect(entityText(entity, t), entity).not.toMatch(/^history\./);
    }
    expect(whatText({ action: "delete", entity: "ballot" }, translator("en"))).toBe("delete · ballots");
    expect(whatText({ action: "set-scheme-forced", entity: "cycle" }, translator("zh-CN"))).toBe(
      "强制更换方案版本 · 考评周期",
    );
    expect(whatText({ action: "withdraw", entity: "scheme_version" }, translator("zh-CN"))).toBe(
      "撤回 · 方案版本",
    );
  });

  it("give an action or record the console does not know as the log has it", () => {
    // A database edited by hand, or a gateway newer than the console.
    expect(whatText({ action: "archive", entity: "note" }, translator("zh-CN"))).toBe("archive · note");
  });
});
