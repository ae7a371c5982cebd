import { createElement, useState } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage, REFUSALS, refusedStorage } from "../_test-session-storage";
import { type Draft, type DraftOptions, useDraft } from "./use-draft";

const EMPTY = { voter: "", score: "", picked: false };
type Ballot = typeof EMPTY;

/** A form of ballots: its draft is handed to the test through `seen`. */
function Form(props: {
  form: string | null;
  initial: Ballot;
  secrets?: string[];
  seen: (d: Draft<Ballot>) => void;
}) {
  props.seen(useDraft(props.form, props.initial, props.secrets ? { secrets: props.secrets } : {}));
  return null;
}

/**
 * The form as it is drawn, and its draft. Rendered on the server: an edit changes no state there
 * (nothing is mounted), but it keeps the draft as it would in a page, which the next render reads.
 */
function render(form: string | null, initial: Ballot = EMPTY, secrets?: string[]): Draft<Ballot> {
  let draft: Draft<Ballot> | undefined;
  renderToStaticMarkup(
    createElement(Form, {
      form,
      initial,
      ...(secrets ? { secrets } : {}),
      seen: (d) => {
        draft = d;
      },
    }),
  );
  return draft!;
}

/**
 * A form that makes the next of `edits` (taken from the list) each time it is drawn, and hands
 * each drawing's draft to `drawn`.
 */
function Typing(props: {
  form: string;
  edits: Partial<Ballot>[];
  options: DraftOptions<Ballot>;
  drawn: Draft<Ballot>[];
}) {
  const draft = useDraft(props.form, EMPTY, props.options);
  props.drawn.push(draft);
  const next = props.edits.shift();
  if (next) draft.edit(next);
  return null;
}

/**
 * The form drawn on the server with `edits` made one after another, each as it is drawn: a change
 * made while drawing draws the form again, as a page does after the user's change. Returns each
 * drawing's draft, the first before any edit.
 */
function typed(form: string, edits: Partial<Ballot>[], options: DraftOptions<Ballot> = {}): Draft<Ballot>[] {
  const drawn: Draft<Ballot>[] = [];
  renderToStaticMarkup(createElement(Typing, { form, edits: [...edits], options, drawn }));
  return drawn;
}

/**
 * A form whose start is the voter the list is narrowed to, drawn once for each of `starts` in
 * turn with no edit (the list narrowed anew), each drawing's draft handed to `drawn`.
 */
function Narrowed(props: { form: string; starts: string[]; drawn: Draft<Ballot>[] }) {
  const [narrowedTo, setNarrowedTo] = useState(0);
  const start = props.starts[narrowedTo];
  props.drawn.push(useDraft(props.form, EMPTY, { atStart: (b) => b.voter === "" || b.voter === start }));
  if (narrowedTo + 1 < props.starts.length) setNarrowedTo(narrowedTo + 1);
  return null;
}

describe("useDraft", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("brings back what was typed when the form is drawn again, marked as restored", () => {
    const first = render("ballots.record.2019");
    expect(first).toMatchObject({ value: EMPTY, restored: false });
    first.edit({ voter: "张三" });
    // Each edit builds on the one before it, in one handler as in several.
    first.edit((b) => ({ ...b, score: "92", picked: true }));
    // The session expires: the page is swapped for the sign-in screen, then drawn anew.
    const again = render("ballots.record.2019");
    expect(again).toMatchObject({ value: { voter: "张三", score: "92", picked: true }, restored: true });
    // The same form of another cycle starts empty.
    expect(render("ballots.record.2020")).toMatchObject({ value: EMPTY, restored: false });
  });

  it("forgets the draft once the form is saved or discarded", () => {
    render("f").edit({ voter: "张三", score: "92" });
    const saved = render("f");
    expect(saved.restored).toBe(true);
    saved.reset({ ...EMPTY, picked: true });
    expect(storage.keys()).toEqual([]);
    expect(render("f")).toMatchObject({ value: EMPTY, restored: false });
  });

  it("starts again after a save from what the form holds then, not from what was sent", () => {
    const form = render("f");
    form.edit({ voter: "张三", score: "92" });
    // The save runs; meanwhile the next voter's name is typed in the box left open.
    form.edit({ voter: "李四" });
    let from: Ballot | undefined;
    form.reset((v) => {
      from = v;
      return { ...v, score: "" };
    });
    expect(from).toEqual({ voter: "李四", score: "92", picked: false });
    expect(storage.keys()).toEqual([]);
  });

  it("forgets the draft once what the form holds is saved", () => {
    const form = render("f");
    form.edit({ voter: "张三" });
    form.saved();
    expect(storage.keys()).toEqual([]);
  });

  it("keeps nothing once the form is typed back to its empty state", () => {
    const form = render("f");
    form.edit({ voter: "张" });
    form.edit({ voter: "" });
    expect(storage.keys()).toEqual([]);
  });

  it("is no longer restored once typed back to its empty state, nor again as typing goes on", () => {
    render("f").edit({ voter: "张三" });
    const drawn = typed("f", [{ voter: "" }, { voter: "李" }]);
    expect(drawn.map((d) => [d.value.voter, d.restored])).toEqual([
      ["张三", true],
      ["", false],
      ["李", false],
    ]);
  });

  it("is not restored where the form shows its start, as the form tells it, with other fields kept", () => {
    // A tick kept that the form no longer shows: nothing of what came back is on screen.
    const ticked = { atStart: (b: Ballot) => b.voter === "" && b.score === "" };
    render("f").edit({ picked: true });
    const drawn = typed("f", [{ voter: "李" }], ticked);
    expect(drawn.map((d) => [d.value, d.restored])).toEqual([
      [{ ...EMPTY, picked: true }, false],
      [{ ...EMPTY, picked: true, voter: "李" }, false],
    ]);
    // Typed in: restored where it shows.
    render("f").edit({ voter: "张三" });
    expect(typed("f", [], ticked)[0]!.restored).toBe(true);
  });

  it("is restored again once a start that moves with the page no longer shows what came back", () => {
    // The voter picked by hand came back; the list is narrowed to that voter, then to another.
    render("f").edit({ voter: "U09" });
    const drawn: Draft<Ballot>[] = [];
    renderToStaticMarkup(createElement(Narrowed, { form: "f", starts: ["U09", "U01"], drawn }));
    expect(drawn.map((d) => [d.value.voter, d.restored])).toEqual([
      ["U09", false],
      ["U09", true],
    ]);
  });

  it("starts from what the form starts with when what was kept is no different", () => {
    // The form starts on the unit the list is narrowed to: a draft holding just that is nothing typed.
    const narrowed = { ...EMPTY, voter: "U01" };
    render("f").edit({ voter: "U01" });
    expect(render("f", narrowed)).toMatchObject({ value: narrowed, restored: false });
  });

  it("never keeps a secret field, which comes back empty", () => {
    render("f", EMPTY, ["score"]).edit({ voter: "张三", score: "92" });
    expect(JSON.parse(storage.getItem("pingyi.form.f") ?? "")).toEqual({ voter: "张三", picked: false });
    expect(render("f", EMPTY, ["score"]).value).toEqual({ voter: "张三", score: "", picked: false });
  });

  it("keeps the draft where the form says, rather than among the forms' drafts", () => {
    const kept = new Map<string, Ballot>();
    const keeping = {
      load: () => kept.get("f") ?? null,
      save: (b: Ballot) => void kept.set("f", b),
      forget: () => void kept.delete("f"),
    };
    kept.set("f", { ...EMPTY, voter: "张三" });
    const drawn = typed("f", [{ score: "92" }, { voter: "", score: "" }, { picked: true }], { keeping });
    expect(drawn.map((d) => [d.value, d.restored])).toEqual([
      [{ ...EMPTY, voter: "张三" }, true],
      [{ ...EMPTY, voter: "张三", score: "92" }, true],
      [EMPTY, false],
      [{ ...EMPTY, picked: true }, false],
    ]);
    expect(kept.get("f")).toEqual({ ...EMPTY, picked: true });
    drawn.at(-1)!.reset();
    expect(kept.size).toBe(0);
    expect(storage.keys()).toEqual([]);
  });

  it.each(REFUSALS)(
    "shows what is typed where the browser refuses its storage, keeping none of it (%s)",
    (refusal) => {
      refusedStorage(refusal);
      const drawn = typed("f", [{ voter: "张三" }]);
      expect(drawn.map((d) => [d.value.voter, d.restored])).toEqual([
        ["", false],
        ["张三", false],
      ]);
      drawn.at(-1)!.reset();
      expect(render("f").value).toEqual(EMPTY);
    },
  );

  it("keeps nothing for a form without a name", () => {
    render(null).edit({ voter: "张三" });
    expect(storage.keys()).toEqual([]);
  });
});
