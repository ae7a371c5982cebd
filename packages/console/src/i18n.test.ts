import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { DICTIONARIES, errorText, translator } from "./i18n";
import { everyPage } from "./pages";

describe("translator", () => {
  it("puts names and messages in as they are, whatever characters they hold", () => {
    const t = translator("en");
    // A replacement string would read "$&" and "$'" as patterns; unit names and JSON errors are text.
    expect(t("whatif.overtook", { a: "A$&B", b: "C$'D" })).toBe("A$&B overtook C$'D");
    // One unit's name that looks like a placeholder is not filled in with the other's.
    expect(t("whatif.overtook", { a: "{b}", b: "市审批局" })).toBe("{b} overtook 市审批局");
  });

  it("has every key in both languages", () => {
    expect(Object.keys(DICTIONARIES["zh-CN"]).sort()).toEqual(Object.keys(DICTIONARIES.en).sort());
  });
});

describe("errorText", () => {
  const gatewayMessage =
    "after: the list changed since this cursor was issued (ask for the first page again)";

  it("words a list that kept changing under its re-reads in the console's language, keeping the gateway's message", async () => {
    // What a view is handed once everyPage's fresh starts have run out: every read refused as stale.
    const refused = await everyPage<never>(async () => {
      throw new ApiError(gatewayMessage, "STALE_CURSOR", [{ path: "after", message: "the list changed" }]);
    }).then(
      () => {
        throw new Error("every read was refused, yet the list was read");
      },
      (err: Error) => err,
    );
    expect(errorText(refused, translator("zh-CN"))).toEqual({
      text: "读取期间数据多次变化（可能正在导入数据），请稍后重试。",
      detail: gatewayMessage,
    });
    expect(errorText(refused, translator("en"))).toEqual({
      text: "The data changed while it was being read, several times in a row (an import may be running). Try again in a moment.",
      detail: gatewayMessage,
    });
  });

  it("shows any other error's own message, with nothing kept aside", () => {
    const costly = new ApiError("this query costs too much", "COST_LIMIT");
    expect(errorText(costly, translator("zh-CN"))).toEqual({
      text: "this query costs too much",
      detail: null,
    });
    expect(errorText(new TypeError("Failed to fetch"), translator("en"))).toEqual({
      text: "Failed to fetch",
      detail: null,
    });
  });
});
