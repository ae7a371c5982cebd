import { describe, expect, it } from "vitest";
import { absentSchemeVersion } from "./scheme-versions.js";

const at = new Date(0);
const schemes = [
  { schemeId: "city-review", latestVersion: 2, updatedAt: at },
  { schemeId: "county-review", latestVersion: 1, updatedAt: at },
];

describe("absentSchemeVersion", () => {
  it("names the scheme's latest version, or the schemes there are", () => {
    expect(absentSchemeVersion(schemes, "city-review", 9)).toEqual({
      field: "version",
      message: "scheme 'city-review' has no version 9: its latest is 2",
    });
    expect(absentSchemeVersion(schemes, "city-review", 0).message).toBe(
      "scheme 'city-review' has no version 0: its latest is 2",
    );
    expect(absentSchemeVersion(schemes, "city-reviews", 1)).toEqual({
      field: "schemeId",
      message: "no scheme 'city-reviews': the schemes are city-review, county-review",
    });
    expect(absentSchemeVersion([], "city-review", undefined).message).toBe(
      "no scheme 'city-review': no scheme has been published yet (publishSchemeVersion)",
    );
  });

  it("says a version or scheme that is there now was published meanwhile, not that it is missing", () => {
    // The schemes are read after the miss: "has no version 2: its latest is 2" would contradict itself.
    expect(absentSchemeVersion(schemes, "city-review", 2)).toEqual({
      field: "version",
      message: "scheme 'city-review' version 2 was published meanwhile: ask again",
    });
    expect(absentSchemeVersion(schemes, "county-review", undefined)).toEqual({
      field: "schemeId",
      message: "scheme 'county-review' was published meanwhile: ask again",
    });
  });
});
