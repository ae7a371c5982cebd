import { describe, expect, it } from "vitest";
import { ballotsCounted } from "./ballots-counted.js";

describe("ballotsCounted", () => {
  it("counts one ballot in the singular and more with thousands separated, as every message does", () => {
    expect(ballotsCounted(1)).toBe("1 ballot");
    expect(ballotsCounted(203)).toBe("203 ballots");
    expect(ballotsCounted(200_000)).toBe("200,000 ballots");
  });
});
