import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { type Draft, useDraft } from "./use-draft";

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

  it("keeps nothing for a form without a name", () => {
    render(null).edit({ voter: "张三" });
    expect(storage.keys()).toEqual([]);
  });
});
