import { describe, expect, it } from "vitest";
import { exportFileName } from "./file-name";

describe("exportFileName", () => {
  it("joins the parts given, keeping Chinese names and writing spaces as _", () => {
    expect(exportFileName(["whatif", "2018", null, "2019 改革"], "csv")).toBe("whatif-2018-2019_改革.csv");
    expect(exportFileName(["monte-carlo", "2018", "seed2019", undefined, " "], "xlsx")).toBe(
      "monte-carlo-2018-seed2019.xlsx",
    );
  });

  it("replaces what a file system refuses, so a scenario's name cannot make a path", () => {
    expect(exportFileName(["whatif", '../a/b:c*?"<>|\u0007'], "csv")).toBe("whatif-.._a_b_c_______.csv");
  });
});
