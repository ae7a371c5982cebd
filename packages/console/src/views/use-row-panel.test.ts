import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { saveFormDraft } from "../draft-store";
import { type OpenPanel, useRowPanel } from "./use-row-panel";

type Panel = "edit" | "delete";
type Rows = [OpenPanel<Panel> | null, (next: OpenPanel<Panel> | null) => void];

const EDITORS = { edit: (row: string) => `ballots.edit.2019.${row}` };

function List(props: { seen: (rows: Rows) => void }) {
  props.seen(useRowPanel<Panel>("ballots.open.2019", EDITORS));
  return null;
}

/** The list as drawn anew (after an expired session), and what its rows have open. */
function render(): Rows {
  let rows: Rows | undefined;
  renderToStaticMarkup(
    createElement(List, {
      seen: (r) => {
        rows = r;
      },
    }),
  );
  return rows!;
}

describe("useRowPanel", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("brings an open editor back, and a deletion's confirmation never", () => {
    expect(render()[0]).toBeNull();
    render()[1]({ row: "U09/member-1", panel: "edit" });
    expect(render()[0]).toEqual({ row: "U09/member-1", panel: "edit" });
    render()[1]({ row: "U09/member-1", panel: "delete" });
    expect(render()[0]).toBeNull();
  });

  it("discards what was typed in an editor closed or left for another row", () => {
    const [, open] = render();
    open({ row: "a", panel: "edit" });
    saveFormDraft(EDITORS.edit("a"), { value: "61.5" });
    // Drawn anew, the list opens the editor on "a" again, and the user moves on to "b".
    render()[1]({ row: "b", panel: "edit" });
    expect(storage.getItem("pingyi.form.ballots.edit.2019.a")).toBeNull();
    saveFormDraft(EDITORS.edit("b"), { value: "70" });
    render()[1](null);
    expect(storage.keys()).toEqual([]);
  });

  it("reads a kept panel that is no editor as nothing open", () => {
    storage.setItem("pingyi.form.ballots.open.2019", JSON.stringify({ row: "a", panel: "delete" }));
    expect(render()[0]).toBeNull();
  });
});
