import { describe, expect, it } from "vitest";
import { comparePlaces, placeOf, placesText, placeText } from "./record-place.js";

describe("record places", () => {
  it("names a JSON array's record by its number, with its line; any other record by its line", () => {
    expect(placeText({ line: 7 })).toBe("line 7");
    expect(placeText({ line: 1, record: 4812 })).toBe("record 4812 (line 1)");
    expect(placesText([{ line: 4 }, { line: 5 }])).toBe("lines 4, 5");
    expect(placesText([{ line: 1, record: 2 }])).toBe("record 2");
    expect(
      placesText([
        { line: 1, record: 9 },
        { line: 1, record: 2 },
      ]),
    ).toBe("records 9, 2");
  });

  it("orders records of a one-line array by number, after what concerns their whole line", () => {
    const places = [{ line: 2 }, { line: 1, record: 3 }, { line: 1, record: 1 }, { line: 1 }];
    expect([...places].sort(comparePlaces)).toEqual([
      { line: 1 },
      { line: 1, record: 1 },
      { line: 1, record: 3 },
      { line: 2 },
    ]);
  });

  it("takes the place alone from a reader's event, with no record key where there is none", () => {
    expect(placeOf({ line: 3, record: 2, type: "row", fields: {} } as never)).toEqual({ line: 3, record: 2 });
    expect(Object.keys(placeOf({ line: 3, record: undefined }))).toEqual(["line"]);
  });
});
