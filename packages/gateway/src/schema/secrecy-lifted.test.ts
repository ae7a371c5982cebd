import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileScheme } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../seed.js";
import { secrecyLifted, secretVotesGone } from "./secrecy-lifted.js";

const read = (name: string) => JSON.parse(readFileSync(join(EXAMPLE_DIR, name), "utf8"));

describe("secrecyLifted", () => {
  const document = read("scheme-2019.json");
  const dataset = read("dataset-2019.json");
  const organ = document.categories.find((c: { id: string }) => c.id === "organ");
  const withOrgan = (method: Record<string, unknown> | null) =>
    compileScheme({
      ...document,
      categories: document.categories.flatMap((c: { id: string }) =>
        c !== organ ? [c] : method ? [{ ...organ, method }] : [],
      ),
    });
  const named = withOrgan(organ.method);
  const secret = withOrgan({ ...organ.method, secret: true });
  const label = "scheme city-review v9";
  const ballots = dataset.ballots.filter((b: { category: string }) => b.category === "organ").length;

  it("counts the ballots of a secret vote the next version keeps but names", () => {
    expect(secrecyLifted(secret, named, dataset, label)).toEqual([
      {
        path: "dataset.ballots",
        message: `the secret vote "organ" (${ballots} ballots) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
      },
    ]);
  });

  it("says nothing of a vote kept secret, one named already, or one with no ballots", () => {
    expect(secrecyLifted(secret, secret, dataset, label)).toEqual([]);
    expect(secrecyLifted(named, named, dataset, label)).toEqual([]);
    expect(secrecyLifted(secret, named, { ...dataset, ballots: [] }, label)).toEqual([]);
  });

  it("counts the ballots of a secret vote the next version drops or renames, naming the version", () => {
    expect(secrecyLifted(secret, withOrgan(null), dataset, label)).toEqual([
      {
        path: "dataset.ballots",
        message: `the secret vote "organ" (${ballots} ballots) is not in scheme city-review v9: its ballots would be named to every reader`,
      },
    ]);
  });

  it("counts the ballots of a secret vote the next version scores by another method", () => {
    const direct = withOrgan({ kind: "direct", outOf: 30 });
    expect(secrecyLifted(secret, direct, dataset, label)).toEqual([
      {
        path: "dataset.ballots",
        message: `the secret vote "organ" (${ballots} ballots) is a direct category in scheme city-review v9: its ballots would be named to every reader`,
      },
    ]);
  });

  it("counts a secret vote gone when the next version drops it or scores it otherwise, not when it names it", () => {
    const direct = withOrgan({ kind: "direct", outOf: 30 });
    expect(secretVotesGone(secret, withOrgan(null), dataset)).toEqual(new Set(["organ"]));
    expect(secretVotesGone(secret, direct, dataset)).toEqual(new Set(["organ"]));
    expect(secretVotesGone(secret, named, dataset)).toEqual(new Set());
    expect(secretVotesGone(named, withOrgan(null), dataset)).toEqual(new Set());
    expect(secretVotesGone(secret, withOrgan(null), { ...dataset, ballots: [] })).toEqual(new Set());
  });

  it("says one ballot as one", () => {
    const one = {
      ...dataset,
      ballots: dataset.ballots.filter((b: { category: string }) => b.category === "organ").slice(0, 1),
    };
    expect(secrecyLifted(secret, withOrgan(null), one, label)[0]?.message).toContain(
      '"organ" (1 ballot) is not in',
    );
  });
});
