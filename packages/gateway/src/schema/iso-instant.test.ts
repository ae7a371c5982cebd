import { describe, expect, it } from "vitest";
import { parseIsoInstant } from "./iso-instant.js";

describe("DateTime's reading of ISO 8601", () => {
  it("reads a date as its start in UTC, and a time in its zone", () => {
    const at = (t: string) => parseIsoInstant(t)?.toISOString() ?? null;
    expect(at("2019-01-15")).toBe("2019-01-15T00:00:00.000Z");
    expect(at("2019-01-15T08:00:00Z")).toBe("2019-01-15T08:00:00.000Z");
    expect(at("2019-01-15t08:00z")).toBe("2019-01-15T08:00:00.000Z");
    expect(at("2019-01-15 08:00:00+08:00")).toBe("2019-01-15T00:00:00.000Z");
    expect(at("2019-01-15T08:00:00+08")).toBe("2019-01-15T00:00:00.000Z");
    expect(at("2019-01-15T08:00:00-0130")).toBe("2019-01-15T09:30:00.000Z");
    expect(at("2019-01-15T08:00:00.123456789Z")).toBe("2019-01-15T08:00:00.123Z");
    expect(at("2020-02-29")).toBe("2020-02-29T00:00:00.000Z");
  });

  it("reads years 0000 to 0099 as written, not as 1900 to 1999", () => {
    const at = (t: string) => parseIsoInstant(t)?.toISOString() ?? null;
    expect(at("0050-01-01")).toBe("0050-01-01T00:00:00.000Z");
    expect(at("0099-12-31T23:00:00-01:00")).toBe("0100-01-01T00:00:00.000Z");
    // 0000 is a leap year (divisible by 400); 1900 is not.
    expect(at("0000-02-29")).toBe("0000-02-29T00:00:00.000Z");
    expect(at("0100-02-29")).toBeNull();
  });

  it("names no instant for a day or time that does not exist, nor for a time without its zone", () => {
    for (const t of [
      "2019-02-29",
      "2019-02-30",
      "2019-04-31",
      "2019-13-01",
      "2019-00-10",
      "2019-01-15T24:00Z",
      "2019-01-15T08:60Z",
      "2019-01-15T08:00",
      "2019",
      "yesterday",
      "2019-01-15T08:00:00+25:00",
    ])
      expect(parseIsoInstant(t), t).toBeNull();
  });
});
