import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { SchemeDocument } from "../whatif-api";
import { GroupPicker, studiedGroup } from "./group-picker";

const scheme: SchemeDocument = {
  categories: [{ id: "work", name: "业务工作", points: 30 }],
  groups: [
    { id: "schools", name: "学校" },
    { id: "offices", name: "机关", ranked: false },
    { id: "hospitals", name: "医院" },
  ],
};

describe("studiedGroup", () => {
  it("studies the ranked group the URL names", () => {
    expect(studiedGroup(scheme, "hospitals")).toBe("hospitals");
  });

  it("falls back to the first ranked group for none, an unranked one or another scheme's", () => {
    expect(studiedGroup(scheme, null)).toBe("schools");
    expect(studiedGroup(scheme, "offices")).toBe("schools");
    expect(studiedGroup(scheme, "law-enforcement")).toBe("schools");
  });
});

describe("GroupPicker", () => {
  it("offers the ranked groups, with the studied one chosen", () => {
    const html = renderToStaticMarkup(createElement(GroupPicker, { scheme, value: "hospitals" }));
    expect([...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(["schools", "hospitals"]);
    expect(html).toContain('<option value="hospitals" selected="">');
  });

  it("is not offered when there is one ranked group to study", () => {
    const one = { ...scheme, groups: scheme.groups.slice(0, 2) };
    expect(renderToStaticMarkup(createElement(GroupPicker, { scheme: one, value: "schools" }))).toBe("");
  });
});
