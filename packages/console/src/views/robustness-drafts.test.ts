import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { claimDrafts, loadFormDraft, saveFormDraft } from "../draft-store";
import {
  LOO_START,
  leaveOneOutDraft,
  MC_START,
  monteCarloDraft,
  offeredSweepMode,
  type SweepKnobs,
  sweepAtStart,
  sweepDraft,
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
    const start: SweepKnobs = { category: "public", from: "20", to: "60", others: "FIXED", donor: null };
    saveFormDraft(sweepDraft("2018", null), { ...start, from: "35" });
    expect(loadFormDraft(sweepDraft("2018", null), start)?.from).toBe("35");
    expect(loadFormDraft(sweepDraft("2018", "s1"), start)).toBeNull();
    expect(loadFormDraft(sweepDraft("2019", null), start)).toBeNull();
    saveFormDraft(monteCarloDraft("2018"), { ...MC_START, seed: "7" });
    expect(loadFormDraft(monteCarloDraft("2018"), MC_START)?.seed).toBe("7");
    expect(loadFormDraft(monteCarloDraft("2019"), MC_START)).toBeNull();
    saveFormDraft(leaveOneOutDraft("2018"), { rescale: true });
    expect(loadFormDraft(leaveOneOutDraft("2018"), LOO_START)).toEqual({ rescale: true });
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

describe("sweepAtStart", () => {
  const start: SweepKnobs = { category: "public", from: "20", to: "60", others: "FIXED", donor: null };
  const donors = ["business", "organ"];

  it("tells the sweep as the page starts it from bounds or a mode kept", () => {
    expect(sweepAtStart(start, start, donors)).toBe(true);
    expect(sweepAtStart({ ...start, from: "30" }, start, donors)).toBe(false);
    expect(sweepAtStart({ ...start, others: "RESCALE" }, start, donors)).toBe(false);
    expect(sweepAtStart({ ...start, others: "TRANSFER", donor: "organ" }, start, donors)).toBe(false);
  });

  it("counts only what the sweep shows: a donor outside a transfer, a mode it does not offer", () => {
    // Chosen under a transfer, then the others fixed again: no box shows the donor.
    expect(sweepAtStart({ ...start, donor: "organ" }, start, donors)).toBe(true);
    expect(sweepAtStart({ ...start, others: "SHUFFLE" }, start, donors)).toBe(true);
    // A transfer with no category left to give the points leaves the others fixed.
    expect(sweepAtStart({ ...start, others: "TRANSFER", donor: "organ" }, start, [])).toBe(true);
  });
});
