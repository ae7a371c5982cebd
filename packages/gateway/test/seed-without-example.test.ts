import { describe, expect, it, vi } from "vitest";
import { createGateway } from "../src/index.js";
import { createLogger } from "../src/logger.js";
import { testConfig } from "./helpers.js";

// An npm install has no examples/: what createGateway sees there, in a checkout.
vi.mock("../src/seed.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/seed.js")>();
  const missing = "/nonexistent/examples/city-review";
  return {
    ...real,
    hasExample: () => real.hasExample(missing),
    seedExample: (s: never) => real.seedExample(s, missing),
  };
});

describe("PINGYI_SEED without the example", () => {
  it("starts empty and says why, rather than leaving the operator to look for rankings that never come", async () => {
    const lines: string[] = [];
    const gateway = await createGateway({
      config: testConfig({ PINGYI_DATA_DIR: "memory://", PINGYI_SEED: "true" }),
      logger: createLogger("info", (l) => lines.push(l)),
    });
    try {
      expect(await gateway.services.store.cycles.list()).toEqual([]);
      const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.level === "warn");
      expect(warned.map((l) => l.msg)).toContain(
        "PINGYI_SEED is on, but this install has no example to load (examples/city-review is in a checkout of the repository, not in the npm packages): the database starts empty",
      );
    } finally {
      await gateway.close();
    }
  });
});
