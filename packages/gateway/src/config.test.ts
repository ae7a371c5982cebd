import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("refuses a DATABASE_URL that is not PostgreSQL's", () => {
    // The driver ignores the scheme: mysql://db/x would quietly try localhost:5432.
    expect(() => loadConfig({ DATABASE_URL: "mysql://pingyi@db/pingyi" })).toThrow(
      "DATABASE_URL: must start with postgres:// or postgresql://",
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://pingyi@db/pingyi" }).DATABASE_URL).toBe(
      "postgresql://pingyi@db/pingyi",
    );
  });

  it("says what is wrong with a setting in words", () => {
    expect(() => loadConfig({ PINGYI_MAX_COST: "5" })).toThrow(/PINGYI_MAX_COST: must be at least 100/);
  });
});
