import { describe, expect, it } from "vitest";
import { joinLimited, plural } from "./trace-list.js";

describe("joinLimited", () => {
  it("keeps head and tail around the count of what it left out", () => {
    expect(joinLimited(["1", "2", "3"], " + ")).toBe("1 + 2 + 3");
    const many = Array.from({ length: 20 }, (_, i) => String(i));
    expect(joinLimited(many, ",")).toBe("0,1,2,3,4,5,6,7,8,9,… 8 more …,18,19");
    expect(joinLimited([0.5, 2], " + ", String)).toBe("0.5 + 2");
  });

  it("formats only what it shows", () => {
    const seen: number[] = [];
    joinLimited(
      Array.from({ length: 100 }, (_, i) => i),
      ",",
      (i) => {
        seen.push(i);
        return String(i);
      },
    );
    expect(seen).toHaveLength(12);
  });
});

it("plural", () => {
  expect(plural(1, "ballot")).toBe("1 ballot");
  expect(plural(4, "ballot")).toBe("4 ballots");
});
