import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import { deletedFormsNote, formsScope } from "./survey-forms-deletion";

const publicForms = {
  category: "public",
  categoryName: "公众评议 public evaluation (public)",
  unitId: null,
  unitName: null,
  respondentGroup: null,
};

describe("formsScope", () => {
  it("names the category, then the unit and the respondent group when the filters name them", () => {
    const en = translator("en");
    expect(formsScope(publicForms, en)).toBe("公众评议 public evaluation (public)");
    expect(
      formsScope(
        { ...publicForms, unitId: "U01", unitName: "市公安局 (U01)", respondentGroup: "residents" },
        en,
      ),
    ).toBe("公众评议 public evaluation (public), 市公安局 (U01), respondent group residents");
    expect(formsScope({ ...publicForms, respondentGroup: "residents" }, translator("zh-CN"))).toBe(
      "公众评议 public evaluation (public)、测评群体 residents",
    );
  });
});

describe("deletedFormsNote", () => {
  it("says how many went, one form as one", () => {
    const en = translator("en");
    expect(deletedFormsNote(publicForms, 120, en)).toBe(
      "Deleted 120 survey forms of 公众评议 public evaluation (public).",
    );
    expect(deletedFormsNote(publicForms, 1, en)).toBe(
      "Deleted the one survey form of 公众评议 public evaluation (public).",
    );
    expect(deletedFormsNote(publicForms, 120, translator("zh-CN"))).toBe(
      "已删除公众评议 public evaluation (public)的 120 份测评表。",
    );
  });
});
