import { describe, expect, it } from "vitest";
import {
  filterParams,
  type HistoryState,
  historyHref,
  historyParams,
  historyStateOf,
  NO_FILTER,
} from "./history-filter";
import { href } from "./router";

/** The link's query string for a state, as href writes it. */
const query = (state: HistoryState) => href("history", historyParams(state)).split("?")[1] ?? "";

describe("the History page's link", () => {
  it("gives back the state it was written from, every filter set", () => {
    const state: HistoryState = {
      filter: {
        cycleId: "2019",
        schemeId: "city-review",
        actions: ["set-scheme", "set-scheme-forced"],
        entity: "ballot",
        entityId: "organ/人大代表 1",
        actor: "admin-1",
        from: "2019-01-15",
        to: "2019-02-28",
      },
      size: 50,
      cursor: { after: "YXVkaXRMb2c6MTIz" },
    };
    const written = query(state);
    expect(written).toBe(
      "cycle=2019&scheme=city-review&entity=ballot&entityId=organ%2F%E4%BA%BA%E5%A4%A7%E4%BB%A3%E8%A1%A8+1&actor=admin-1&from=2019-01-15&to=2019-02-28&actions=set-scheme%2Cset-scheme-forced&rows=50&after=YXVkaXRMb2c6MTIz",
    );
    expect(historyStateOf(new URLSearchParams(written))).toEqual(state);
    const newer = { ...state, cursor: { before: "YXVkaXRMb2c6OTk=" } };
    expect(historyStateOf(new URLSearchParams(query(newer)))).toEqual(newer);
  });

  it("is bare for the newest page of the whole log, and reads a bare link so", () => {
    const state = { filter: NO_FILTER, size: 25, cursor: null };
    expect(query(state)).toBe("");
    expect(historyStateOf(new URLSearchParams(""))).toEqual(state);
  });

  it("reads a page size it does not offer, an empty value and empty actions as not given", () => {
    expect(historyStateOf(new URLSearchParams("rows=7&cycle=&actions=,,finalise,&after="))).toEqual({
      filter: { ...NO_FILTER, actions: ["finalise"] },
      size: 25,
      cursor: null,
    });
  });

  it("writes only the filters asked for: another page links a cycle's, or a version's, history", () => {
    expect(filterParams({ cycleId: "2019", actions: [] })).toEqual({ cycle: "2019", actions: null });
    expect(historyHref({ cycleId: "2019" })).toBe("#/history?cycle=2019");
    expect(historyHref({ entity: "scheme_version", entityId: "city-review@3" })).toBe(
      "#/history?entity=scheme_version&entityId=city-review%403",
    );
  });
});
