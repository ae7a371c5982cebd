import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { memorySessionStorage } from "../_test-session-storage";
import { nominalKnobs } from "../knobs";
import type { SchemeDocument } from "../whatif-api";
import { loadWhatIf, saveWhatIf, type WhatIfSettings } from "../whatif-store";
import type { Draft } from "./use-draft";
import { useWhatIfSettings, type WhatIfPage } from "./whatif-settings";

const scheme: SchemeDocument = {
  categories: [{ id: "work", name: "业务工作", points: 30 }],
  groups: [{ id: "g", name: "g" }],
  grades: { rules: [{ id: "excellent", name: "优秀", quota: { percent: 30 } }] },
};
const nominal = nominalKnobs(scheme);
const cyclePage: WhatIfPage = {
  cycleId: "2018",
  scenarioId: null,
  scheme,
  start: { knobs: nominal, name: "" },
};

/** A What-if page that does the next of `steps` each time it is drawn, and hands each drawing's settings to `drawn`. */
function Page(props: {
  page: WhatIfPage;
  steps: ((d: Draft<WhatIfSettings>) => void)[];
  drawn: Draft<WhatIfSettings>[];
}) {
  const settings = useWhatIfSettings(props.page);
  props.drawn.push(settings);
  props.steps.shift()?.(settings);
  return null;
}

/**
 * The page drawn on the server with `steps` taken one after another, each as it is drawn (a
 * change made while drawing draws the page again). Each drawing's settings, the first before any step.
 */
function drawn(page: WhatIfPage, steps: ((d: Draft<WhatIfSettings>) => void)[] = []) {
  const seen: Draft<WhatIfSettings>[] = [];
  renderToStaticMarkup(createElement(Page, { page, steps: [...steps], drawn: seen }));
  return seen;
}

const knobs = (work: number) => ({ ...nominal, points: { work } });
/** What the Reset button does: the knobs to the scheme's own, the name left as it is. */
const reset = (d: Draft<WhatIfSettings>) => d.edit({ knobs: nominal });

describe("useWhatIfSettings", () => {
  let storage: ReturnType<typeof memorySessionStorage>;
  beforeEach(() => {
    storage = memorySessionStorage();
  });

  it("is restored until the page is back at its start by Reset, and not again as the knobs move", () => {
    saveWhatIf("2018", { scenario: null, knobs: knobs(44), name: "" });
    const seen = drawn(cyclePage, [reset, (d) => d.edit({ knobs: knobs(45) })]);
    expect(seen.map((d) => [d.value.knobs.points.work, d.restored])).toEqual([
      [44, true],
      [30, false],
      [45, false],
    ]);
    expect(loadWhatIf("2018", null, scheme)?.knobs).toEqual(knobs(45));
  });

  it("stays restored after Reset while the name that came back is in its box, until it is emptied", () => {
    saveWhatIf("2018", { scenario: null, knobs: knobs(44), name: "2019 改革" });
    const seen = drawn(cyclePage, [reset, (d) => d.edit({ name: "" })]);
    expect(seen[1]).toMatchObject({ value: { knobs: nominal, name: "2019 改革" }, restored: true });
    expect(seen.at(-1)).toMatchObject({ value: { knobs: nominal, name: "" }, restored: false });
    // At its start, the page keeps nothing of its own.
    expect(storage.keys()).toEqual([]);
  });

  it("is not restored when what was kept is the page's start", () => {
    saveWhatIf("2018", { scenario: null, knobs: nominal, name: "" });
    expect(drawn(cyclePage)[0]!.restored).toBe(false);
  });

  it("is set back to a saved scenario's own settings by the note's button, and forgets what was kept", () => {
    const start = { knobs: knobs(40), name: "全部按期整改" };
    const page = { ...cyclePage, scenarioId: "s1", start };
    saveWhatIf("2018", { scenario: "s1", knobs: knobs(44), name: "改" });
    const seen = drawn(page, [(d) => d.reset()]);
    expect(seen.map((d) => [d.value, d.restored])).toEqual([
      [{ knobs: knobs(44), name: "改" }, true],
      [start, false],
    ]);
    expect(storage.keys()).toEqual([]);
    // Reset on a saved scenario's page is not its start: the scheme's knobs are kept for it.
    drawn(page, [reset]);
    expect(loadWhatIf("2018", "s1", scheme, start.knobs)).toEqual({ knobs: nominal, name: start.name });
  });

  it("leaves another scenario's kept settings alone when the page is back at its start", () => {
    saveWhatIf("2018", { scenario: "s1", knobs: knobs(44), name: "" });
    drawn(cyclePage, [reset]);
    expect(loadWhatIf("2018", "s1", scheme)?.knobs).toEqual(knobs(44));
  });
});
