import { describe, expect, it } from "vitest";
import { cyclesOnVersion } from "./cycles-on-version";
import type { Cycle } from "./queries";

const cycle = (id: string, year: number, schemeVersion: number, status = "OPEN"): Cycle => ({
  id,
  name: `Review ${year}`,
  year,
  status,
  schemeId: "city-review",
  schemeVersion,
});

describe("cyclesOnVersion", () => {
  const cycles = [
    cycle("2020", 2020, 2),
    cycle("2018", 2018, 1, "FINALISED"),
    cycle("2019", 2019, 2),
    { ...cycle("other-2019", 2019, 2), schemeId: "other" },
  ];

  it("is none for a version no cycle is on, nor one of the same number in another scheme", () => {
    expect(cyclesOnVersion(cycles, "city-review", 3)).toBeNull();
    expect(cyclesOnVersion([], "city-review", 2)).toBeNull();
  });

  it("names the scheme's cycles on the version, oldest year first; open ones can be moved off it", () => {
    const on = cyclesOnVersion(cycles, "city-review", 2);
    expect(on?.all.map((c) => c.id)).toEqual(["2019", "2020"]);
    expect(on?.finalised).toBe(false);
  });

  it("says a finalised cycle is on it: the version can never be withdrawn", () => {
    expect(cyclesOnVersion(cycles, "city-review", 1)).toEqual({ all: [cycles[1]], finalised: true });
    expect(cyclesOnVersion([...cycles, cycle("2021", 2021, 1)], "city-review", 1)?.finalised).toBe(true);
  });
});
