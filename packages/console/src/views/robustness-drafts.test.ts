import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { claimDrafts, loadFormDraft, saveFormDraft } from "../draft-store";
import {
  LOO_START,
  leaveOneOutDraft,
  MC_START,
  monteCarloDraft,
  offeredSweepMode,
  SWEEP_START,
  type SweepBounds,
  sweepBoundsDraft,
  sweepDraft,
  sweepModeAtStart,
  sweptCategory,
  sweptCategoryDraft,
} from "./robustness-drafts";

describe("the Robustness page's kept knobs", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("keeps the sweep's others and donor while the sweep offers them", () => {
    const donors = ["business", "organ"];
    expect(offeredSweepMode({ others: "TRANSFER", donor: "organ" }, donors)).toEqual({
      others: "TRANSFER",
      donor: "organ",
    });
    expect(offeredSweepMode({ others: "RESCALE", donor: null }, donors)).toEqual({
      others: "RESCALE",
      donor: "business",
    });
    // The donor kept is the category swept now: the first of the others gives the points.
    expect(offeredSweepMode({ others: "TRANSFER", donor: "public" }, donors)).toEqual({
      others: "TRANSFER",
      donor: "business",
    });
    // Nothing to give the points, or a mode this console does not know: the others stay fixed.
    expect(offeredSweepMode({ others: "TRANSFER", donor: "organ" }, [])).toEqual({
      others: "FIXED",
      donor: null,
    });
    expect(offeredSweepMode({ others: "SHUFFLE", donor: null }, donors).others).toBe("FIXED");
  });

  it("keeps a scenario's sweep apart from the cycle's, and every card's for its own cycle", () => {
    saveFormDraft(sweepDraft("2018", null), { others: "RESCALE", donor: null });
    expect(loadFormDraft(sweepDraft("2018", null), SWEEP_START)?.others).toBe("RESCALE");
    expect(loadFormDraft(sweepDraft("2018", "s1"), SWEEP_START)).toBeNull();
    expect(loadFormDraft(sweepDraft("2019", null), SWEEP_START)).toBeNull();
    const start: SweepBounds = { from: "20", to: "60" };
    saveFormDraft(sweepBoundsDraft("2018", null, "public"), { ...start, from: "35" });
    expect(loadFormDraft(sweepBoundsDraft("2018", null, "public"), start)?.from).toBe("35");
    expect(loadFormDraft(sweepBoundsDraft("2018", "s1", "public"), start)).toBeNull();
    expect(loadFormDraft(sweepBoundsDraft("2019", null, "public"), start)).toBeNull();
    saveFormDraft(monteCarloDraft("2018"), { ...MC_START, seed: "7" });
    expect(loadFormDraft(monteCarloDraft("2018"), MC_START)?.seed).toBe("7");
    expect(loadFormDraft(monteCarloDraft("2019"), MC_START)).toBeNull();
    saveFormDraft(leaveOneOutDraft("2018"), { rescale: true });
    expect(loadFormDraft(leaveOneOutDraft("2018"), LOO_START)).toEqual({ rescale: true });
  });

  it("keeps the sweep's bounds per category, the one swept last per cycle whatever the scenario", () => {
    const start: SweepBounds = { from: "10", to: "50" };
    saveFormDraft(sweepBoundsDraft("2018", null, "business"), { from: "15", to: "45" });
    // Public opened by a link, swept at its own points, costs business nothing.
    saveFormDraft(sweepBoundsDraft("2018", null, "public"), { from: "25", to: "60" });
    expect(loadFormDraft(sweepBoundsDraft("2018", null, "business"), start)).toEqual({
      from: "15",
      to: "45",
    });
    // Ids holding dots name no other category's, nor another scenario's.
    saveFormDraft(sweepBoundsDraft("2018", "a.b", "c"), { from: "1", to: "2" });
    expect(loadFormDraft(sweepBoundsDraft("2018", "a", "b.c"), start)).toBeNull();
    saveFormDraft(sweptCategoryDraft("2018"), { category: "business" });
    expect(loadFormDraft(sweptCategoryDraft("2018"), { category: "public" })).toEqual({
      category: "business",
    });
    expect(loadFormDraft(sweptCategoryDraft("2019"), { category: "public" })).toBeNull();
  });

  it("hands the knobs to no one else signing in, as the forms' drafts", () => {
    claimDrafts("analyst-1");
    saveFormDraft(monteCarloDraft("2018"), { ...MC_START, seed: "7" });
    saveFormDraft(leaveOneOutDraft("2018"), { rescale: true });
    expect(claimDrafts("analyst-1")).toBe(false);
    expect(loadFormDraft(monteCarloDraft("2018"), MC_START)?.seed).toBe("7");
    expect(claimDrafts("analyst-2")).toBe(true);
    expect(loadFormDraft(monteCarloDraft("2018"), MC_START)).toBeNull();
    expect(loadFormDraft(leaveOneOutDraft("2018"), LOO_START)).toBeNull();
  });
});

describe("sweptCategory", () => {
  const ids = ["business", "organ", "public"];

  it("sweeps the category the link names, else the one swept last, else the scheme's last", () => {
    expect(sweptCategory("organ", "business", ids)).toBe("organ");
    expect(sweptCategory(null, "business", ids)).toBe("business");
    // Another cycle's category, kept in the link across a switch, or kept from a scheme since changed.
    expect(sweptCategory("safety", "business", ids)).toBe("business");
    expect(sweptCategory("safety", "safety", ids)).toBe("public");
  });
});

describe("sweepModeAtStart", () => {
  const donors = ["business", "organ"];

  it("tells the others fixed, as the page starts the sweep, from a mode kept", () => {
    expect(sweepModeAtStart(SWEEP_START, donors)).toBe(true);
    expect(sweepModeAtStart({ others: "RESCALE", donor: null }, donors)).toBe(false);
    expect(sweepModeAtStart({ others: "TRANSFER", donor: "organ" }, donors)).toBe(false);
  });

  it("counts only what the sweep shows: a donor outside a transfer, a mode it does not offer", () => {
    // Chosen under a transfer, then the others fixed again: no box shows the donor.
    expect(sweepModeAtStart({ others: "FIXED", donor: "organ" }, donors)).toBe(true);
    expect(sweepModeAtStart({ others: "SHUFFLE", donor: null }, donors)).toBe(true);
    // A transfer with no category left to give the points leaves the others fixed.
    expect(sweepModeAtStart({ others: "TRANSFER", donor: "organ" }, [])).toBe(true);
  });
});
