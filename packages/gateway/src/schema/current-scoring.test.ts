import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileScheme } from "@pingyi/engine";
import DataLoader from "dataloader";
import { describe, expect, it } from "vitest";
import type { Context } from "../context.js";
import { unscorableRecords } from "../evaluations.js";
import { EXAMPLE_DIR } from "../seed.js";
import { ValidationError } from "../store/index.js";
import { currentScoring } from "./current-scoring.js";

const read = (name: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, name), "utf8"));

/**
 * A request whose evaluation was refused, reading records that score: corrected between the
 * two reads. `answers` are the loader's, in turn.
 */
function request(answers: (object | Error)[]) {
  let loads = 0;
  const cycle = { id: "2019", schemeId: "city-review", schemeVersion: 2 };
  const records = {
    cycle,
    scheme: { document: read("scheme-2019.json") },
    dataset: read("dataset-2019.json"),
  };
  const ctx = {
    loaders: {
      evaluation: new DataLoader(async (ids: readonly string[]) => ids.map(() => answers[loads++]!)),
    },
    store: {
      audit: { revision: async () => ({ count: 1, lastId: 1 }) },
      loadEvaluation: async () => records,
    },
    principal: { subject: "admin-1", role: "admin" },
  } as unknown as Pick<Context, "loaders" | "store" | "principal">;
  return { ctx, loads: () => loads };
}

describe("currentScoring", () => {
  const refused = unscorableRecords("2019", [{ path: ["units", 0], message: "a unit twice" }], {
    compiled: compileScheme(read("scheme-2019.json")),
    dataset: read("dataset-2019.json"),
  });

  it("scores once more when the records it re-reads score: they were corrected since", async () => {
    const scored = { cycle: { id: "2019" }, compiled: {}, dataset: {}, key: "k" };
    const { ctx, loads } = request([refused, scored]);
    const current = await currentScoring(ctx, "2019");
    expect(current.unscorable).toBeNull();
    expect(current.scored).toBe(scored);
    expect(loads()).toBe(2);
  });

  it("keeps the error when scoring again is refused again, the records notwithstanding", async () => {
    const { ctx, loads } = request([refused, refused]);
    await expect(currentScoring(ctx, "2019")).rejects.toBe(refused);
    expect(loads()).toBe(2);
  });

  it("keeps a refusal that is not the records', reading nothing more", async () => {
    // A scheme the engine no longer reads: no correction of the records mends it.
    const scheme = new ValidationError([{ path: "scheme", message: "the engine does not read this scheme" }]);
    const { ctx, loads } = request([scheme]);
    let reads = 0;
    ctx.store.loadEvaluation = (async () => {
      reads++;
    }) as unknown as typeof ctx.store.loadEvaluation;
    await expect(currentScoring(ctx, "2019")).rejects.toBe(scheme);
    expect(loads()).toBe(1);
    expect(reads).toBe(0);
  });
});
