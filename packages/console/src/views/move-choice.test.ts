import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { loadFormDraft, saveFormDraft } from "../draft-store";
import { afterRefusal, NO_MOVE_CHOICE } from "./move-choice";

const forced = { schemeId: "county", version: "2", force: true };

describe("the Move form's choice", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("comes back after a reload or an expired session knowing the version lifts a secret vote's secrecy", () => {
    saveFormDraft("cycles.move.choice", { cycle: "2019", value: { ...forced, liftsAt: "county@2" } });
    // As useCycleState reads it back: against the form's empty state.
    const kept = loadFormDraft("cycles.move.choice", { cycle: null, value: NO_MOVE_CHOICE });
    expect(kept?.value).toEqual({ ...forced, liftsAt: "county@2" });
  });

  it("is told by each refusal of the check whether that version lifts the secrecy", () => {
    const choice = { ...forced, force: false, liftsAt: null };
    const lifts = afterRefusal(choice, "county@2", ["records", "secrecy"]);
    expect(lifts.liftsAt).toBe("county@2");
    // The vote's ballots deleted since: the next refusal no longer names the secrecy.
    expect(afterRefusal(lifts, "county@2", ["records"]).liftsAt).toBeNull();
    expect(afterRefusal(lifts, "county@2", ["totals"]).liftsAt).toBeNull();
    expect(afterRefusal(lifts, "county@2", ["voteGone"]).liftsAt).toBeNull();
    // A check too large to run is refused after the secrecy is checked: it says it too.
    expect(afterRefusal(lifts, "county@2", ["budget"]).liftsAt).toBeNull();
    expect(afterRefusal(choice, "county@2", ["budget", "secrecy"]).liftsAt).toBe("county@2");
    // A refusal that ran no check (a forced move, a lost connection), or one for another version, says nothing of this one.
    expect(afterRefusal(lifts, "county@2", []).liftsAt).toBe("county@2");
    expect(afterRefusal(lifts, "city@1", ["records"]).liftsAt).toBe("county@2");
    expect(afterRefusal(lifts, "city@1", ["secrecy"]).liftsAt).toBe("city@1");
  });
});
