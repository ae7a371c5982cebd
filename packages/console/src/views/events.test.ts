import { createElement, type ReactElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { memorySessionStorage } from "../_test-session-storage";
import { saveFormDraft } from "../draft-store";
import type { EventChoices } from "../events-api";
import { BonusForm, VetoForm } from "./events";

const choices: EventChoices = {
  vetoTypes: [{ id: "safety", name: "安全生产" }],
  bonusTypes: [{ id: "award", name: "表彰", levels: { national: 5, provincial: 3 } }],
  units: [{ id: "U01", name: "一", groupId: "g" }],
};
const props = { cycleId: "2019", choices, taken: ["V-1", "B-1"], onDone: () => {} };

const drawn = (form: ReactElement) => renderIn("en", form);

describe("the Vetoes and bonuses page's restored notes", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("are not shown by the next free id typed back by hand", () => {
    const veto = { id: "V-2", unitId: "", type: "safety", reason: "" };
    saveFormDraft("events.veto.2019", veto);
    expect(drawn(createElement(VetoForm, props))).not.toContain('data-testid="veto-restored"');
    saveFormDraft("events.veto.2019", { ...veto, id: "V-7" });
    expect(drawn(createElement(VetoForm, props))).toContain('data-testid="veto-restored"');
  });

  it("is not shown by the type's first level picked back by hand", () => {
    const bonus = { id: "", unitId: "", type: "award", level: "national", note: "" };
    saveFormDraft("events.bonus.2019", bonus);
    expect(drawn(createElement(BonusForm, props))).not.toContain('data-testid="bonus-restored"');
    saveFormDraft("events.bonus.2019", { ...bonus, level: "provincial" });
    expect(drawn(createElement(BonusForm, props))).toContain('data-testid="bonus-restored"');
  });
});
