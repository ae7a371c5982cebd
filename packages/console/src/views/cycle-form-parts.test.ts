import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { saveFormDraft } from "../draft-store";
import { type CycleStateOptions, type KeptState, useCycleState } from "./cycle-form-parts";

/** A name box showing the cycle's own name ("2019年度") until another is typed; null, nothing typed. */
const OWN = "2019年度";
const options = (own: string): CycleStateOptions<string | null> => ({
  draft: "cycles.correct.name",
  atStart: (name) => name === null || name === own,
});

/** A box of cycle 2019, its own name `own`: its state is handed to the test through `seen`. */
function Box(props: { own: string; seen: (state: ReturnType<typeof useCycleState<string | null>>) => void }) {
  props.seen(useCycleState<string | null>("2019", null, options(props.own)));
  return null;
}

/** The box's state as drawn on the server, with its setter, the cycle's own name `own`. */
function drawn(own = OWN): [string | null, (value: string | null) => void, KeptState] {
  let state: [string | null, (value: string | null) => void, KeptState] | undefined;
  renderToStaticMarkup(
    createElement(Box, {
      own,
      seen: (s) => {
        state = s;
      },
    }),
  );
  return state!;
}

describe("useCycleState", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("keeps nothing once set back to its empty state", () => {
    drawn()[1]("2019年度考评");
    expect(storage.keys()).toEqual(["pingyi.form.cycles.correct.name"]);
    drawn()[1](null);
    expect(storage.keys()).toEqual([]);
    expect(drawn()).toMatchObject([null, expect.any(Function), { restored: false }]);
  });

  it("keeps the cycle's own typed back by hand, with no note, and brings it back once the own moves", () => {
    drawn()[1](OWN);
    expect(drawn()).toMatchObject([OWN, expect.any(Function), { restored: false }]);
    // A colleague renames the cycle while this session is expired: what was typed comes back.
    expect(drawn("2019年度考评")).toMatchObject([OWN, expect.any(Function), { restored: true }]);
  });

  it("is not restored when what came back shows the start, and is when it shows another's", () => {
    saveFormDraft("cycles.correct.name", { cycle: "2019", value: OWN });
    expect(drawn()[2].restored).toBe(false);
    saveFormDraft("cycles.correct.name", { cycle: "2019", value: "2019年度考评" });
    expect(drawn()[2].restored).toBe(true);
    // Another cycle's draft is that cycle's: not shown here.
    saveFormDraft("cycles.correct.name", { cycle: "2018", value: "2018年度考评" });
    expect(drawn()).toMatchObject([null, expect.any(Function), { restored: false }]);
  });
});
