import { describe, expect, it } from "vitest";
import {
  approximateFraction,
  exactLabel,
  formatDateTime,
  formatRank,
  formatShare,
  padDecimals,
  placesOf,
} from "./format";

describe("padDecimals", () => {
  it("pads exact decimals to the published places, never rounds, leaves fractions", () => {
    expect(padDecimals("-1.3", 2)).toBe("-1.30");
    expect(padDecimals("-3", 2)).toBe("-3.00");
    expect(padDecimals("7.72", 2)).toBe("7.72");
    expect(padDecimals("0.125", 2)).toBe("0.125");
    expect(padDecimals("1/3", 2)).toBe("1/3");
  });

  it("reads the places a published value shows", () => {
    expect(placesOf("82.94")).toBe(2);
    expect(placesOf("83")).toBe(0);
    expect(placesOf(null)).toBe(2);
  });
});

describe("formatDateTime", () => {
  // 06:05 UTC is 14:05 in Beijing: the time zone is given, so the test does not follow the machine's.
  const published = "2024-05-03T06:05:09.000Z";
  // Some ICU versions put a narrow no-break space before "PM"; the words are what is checked.
  const en = (moment: string | Date, zone: string) => formatDateTime(moment, "en", zone).replace(/\s/g, " ");

  it("writes a moment in the console's language, whatever the browser's", () => {
    expect(formatDateTime(published, "zh-CN", "Asia/Shanghai")).toBe("2024年5月3日 14:05");
    expect(en(published, "Asia/Shanghai")).toBe("May 3, 2024, 2:05 PM");
  });

  it("shows the moment in the time zone it is given", () => {
    expect(en(new Date(published), "UTC")).toBe("May 3, 2024, 6:05 AM");
  });

  it("leaves a value that is not a moment as it came", () => {
    expect(formatDateTime("not a date", "en", "UTC")).toBe("not a date");
  });
});

describe("formatShare", () => {
  it("shows a share of samples as a percentage, none and all only when they are", () => {
    expect(formatShare(0.4235)).toBe("42.4%");
    expect(formatShare(0.5)).toBe("50.0%");
    expect([formatShare(0), formatShare(1)]).toEqual(["0%", "100%"]);
    // 2 of 5,000 samples, 4,999 of 5,000: rare and almost sure, not never and always.
    expect([formatShare(2 / 5000), formatShare(4999 / 5000)]).toEqual(["<0.1%", ">99.9%"]);
  });
});

describe("formatRank", () => {
  it("shows an interpolated rank to at most 2 decimals, without float noise or trailing zeros", () => {
    expect(formatRank(25.049999999999955, "en")).toBe("25.05");
    expect(formatRank(25.049999999999955, "zh-CN")).toBe("25.05");
    expect(formatRank(9, "en")).toBe("9");
    expect(formatRank(10.5, "zh-CN")).toBe("10.5");
    expect(formatRank(3.0000000000000004, "en")).toBe("3");
  });
});

describe("approximateFraction and exactLabel", () => {
  it("give a fraction as its decimal rounded to the page's places, and keep decimals as written", () => {
    expect(approximateFraction("40/3", 2)).toBe("≈ 13.33");
    expect(approximateFraction("-40/3", 2)).toBe("≈ -13.33");
    expect(approximateFraction("80/3", 0)).toBe("≈ 27");
    expect(approximateFraction("-1/3000", 2)).toBe("≈ 0.00");
    expect(approximateFraction("13.5", 2)).toBeNull();
    expect(exactLabel("40/3", 1)).toBe("40/3 ≈ 13.3");
    expect(exactLabel("104470/2929", 2, 35.67)).toBe("104470/2929 ≈ 35.67");
    expect(exactLabel("46.2", 2)).toBe("46.2");
  });
});
