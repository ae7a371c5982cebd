import { createElement } from "react";
import { beforeEach, describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { memorySessionStorage } from "../_test-session-storage";
import { type Lang, translator } from "../i18n";
import { BallotsDeletion, type BallotsToDelete, deletedNote } from "./ballots-deletion";
import { DeleteConfirmation } from "./delete-confirmation";

const organ: BallotsToDelete = {
  category: "organ",
  categoryName: "机关建设 (organ)",
  voter: null,
  count: 203,
};
const text = (html: string) => html.replace(/<[^>]+>/g, "").replaceAll("&#x27;", "'");

/** The action as the Ballots page first shows it, closed. */
const drawn = (which: BallotsToDelete, lang: Lang = "en") =>
  text(
    renderIn(
      lang,
      createElement(BallotsDeletion, {
        cycleId: "2019",
        which,
        unit: null,
        onDeleted: () => {},
        onRefused: () => {},
        onStale: () => {},
        onClose: () => {},
      }),
    ),
  );

describe("deleting a category's ballots at once", () => {
  beforeEach(() => {
    memorySessionStorage();
  });

  it("offers to delete them all, or the voter's, saying how many", () => {
    expect(drawn(organ)).toBe("Delete all 203 ballots of this category…");
    expect(drawn({ ...organ, voter: "mayor", count: 29 })).toBe(
      "Delete this voter's 29 ballots in this category…",
    );
    expect(drawn({ ...organ, count: 1 })).toBe("Delete the one ballot of this category…");
    expect(drawn({ ...organ, voter: "mayor", count: 1 })).toBe(
      "Delete this voter's one ballot in this category…",
    );
    expect(drawn(organ, "zh-CN")).toBe("删除此类别的全部 203 张选票…");
    expect(drawn({ ...organ, voter: "mayor", count: 29 }, "zh-CN")).toBe(
      "删除此投票人在此类别中的全部 29 张选票…",
    );
  });

  it("says how many were deleted", () => {
    const en = translator("en");
    expect(deletedNote(organ, 203, en)).toBe("Deleted 203 ballots of 机关建设 (organ).");
    expect(deletedNote({ ...organ, voter: "mayor" }, 1, en)).toBe(
      "Deleted the one ballot of mayor in 机关建设 (organ).",
    );
    expect(deletedNote({ ...organ, voter: "mayor" }, 29, translator("zh-CN"))).toBe(
      "已删除mayor在机关建设 (organ)中的 29 张选票。",
    );
  });

  it("asks the boxes it is given with the question, before its buttons", () => {
    const html = renderIn(
      "en",
      createElement(DeleteConfirmation, {
        name: "ballots",
        question: "Delete all 203 ballots of organ?",
        detail: "Every voter's, in every unit.",
        warning: "They leave this cycle at once.",
        confirm: "Yes, delete the ballots of organ",
        reasons: { gone: "gone", finalised: "finalised", forbidden: "forbidden" },
        refusedText: (r) => r,
        remove: async () => {},
        onDeleted: () => {},
        onClose: () => {},
        fields: createElement("input", { "data-testid": "ballots-delete-reason" }),
      }),
    );
    expect(html.indexOf('data-testid="ballots-delete-reason"')).toBeGreaterThan(html.indexOf("at once."));
    expect(html.indexOf('data-testid="ballots-delete-reason"')).toBeLessThan(
      html.indexOf('data-testid="ballots-delete-confirm"'),
    );
  });
});
