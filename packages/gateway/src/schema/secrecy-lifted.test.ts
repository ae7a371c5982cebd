import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CompiledScheme, compileScheme } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { EXAMPLE_DIR } from "../seed.js";
import { secretVotesOf } from "./cycle-secret-votes.js";
import { secrecyLifted } from "./secrecy-lifted.js";

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
  /** The cycle's secret votes on `current`, with no version before it. */
  const on = (current: CompiledScheme, records = dataset) =>
    secretVotesOf([{ label: "scheme city-review v8", document: current.scheme }], records);
  const ballots = dataset.ballots.filter((b: { category: string }) => b.category === "organ").length;

  it("counts the ballots of a secret vote the next version keeps but names", () => {
    expect(secrecyLifted(on(secret), named)).toEqual([
      {
        path: "dataset.ballots",
        message: `the secret vote "organ" (${ballots} ballots) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
      },
    ]);
  });

  it("says nothing of a vote kept secret, one named already, or one with no ballots", () => {
    expect(secrecyLifted(on(secret), secret)).toEqual([]);
    expect(secrecyLifted(on(named), named)).toEqual([]);
    expect(secrecyLifted(on(secret, { ...dataset, ballots: [] }), named)).toEqual([]);
  });

  it("says nothing of a secret vote the next version drops, renames or scores by another method: readers list none of its ballots", () => {
    const direct = withOrgan({ kind: "direct", outOf: 30 });
    expect(secrecyLifted(on(secret), withOrgan(null))).toEqual([]);
    expect(secrecyLifted(on(secret), direct)).toEqual([]);
  });

  it("says one ballot as one", () => {
    const one = {
      ...dataset,
      ballots: dataset.ballots.filter((b: { category: string }) => b.category === "organ").slice(0, 1),
    };
    expect(secrecyLifted(on(secret, one), named)[0]?.message).toContain('"organ" (1 ballot) would name');
  });

  describe("of a secret vote an earlier version declared, which a forced move dropped or rescored", () => {
    const version = (n: number, compiled: CompiledScheme) => ({
      label: `scheme city-review v${n}`,
      document: compiled.scheme,
    });
    /** On v8, which drops the vote (or scores it directly), after v7 and any before it. */
    const after = (current: CompiledScheme, ...earlier: CompiledScheme[]) =>
      secretVotesOf([version(8, current), ...earlier.map((c, i) => version(7 - i, c))], dataset);
    const direct = withOrgan({ kind: "direct", outOf: 30 });

    it("counts its ballots when the next version names it again, naming the version that declared it secret", () => {
      expect(secrecyLifted(after(withOrgan(null), secret), named)).toEqual([
        {
          path: "dataset.ballots",
          message: `the secret vote "organ" (${ballots} ballots, secret under scheme city-review v7; not in scheme city-review v8, the cycle's current version) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
        },
      ]);
      expect(secrecyLifted(after(direct, withOrgan(null), secret), named)[0]?.message).toContain(
        `(${ballots} ballots, secret under scheme city-review v6; a direct category in scheme city-review v8, the cycle's current version)`,
      );
    });

    it("says nothing when the next version declares it secret again, or still no vote: nothing a reader reads changes", () => {
      for (const next of [secret, withOrgan(null), direct])
        expect(secrecyLifted(after(withOrgan(null), secret), next)).toEqual([]);
    });

    it("says nothing once a version named it: a forced move lifted its secrecy then", () => {
      expect(secrecyLifted(after(withOrgan(null), named, secret), named)).toEqual([]);
      expect(secrecyLifted(after(named, secret), named)).toEqual([]);
    });

    it("takes a version no longer stored for one that declared it secret, unless a later one settles it", () => {
      const lost = { label: "scheme city-review v7", document: null, stored: false };
      const secretVotes = (...earlier: { label: string; document: unknown; stored?: boolean }[]) =>
        secretVotesOf([version(8, withOrgan(null)), ...earlier], dataset);
      expect(secrecyLifted(secretVotes(lost, version(6, named)), named)).toEqual([
        {
          path: "dataset.ballots",
          message: `the vote "organ" (${ballots} ballots, perhaps secret under scheme city-review v7, no longer stored; not in scheme city-review v8, the cycle's current version) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
        },
      ]);
      // A stored version after it declared the vote: its word is the latest.
      expect(
        secrecyLifted(secretVotes(version(7, named), { ...lost, label: "scheme city-review v6" }), named),
      ).toEqual([]);
      // A version without the vote lifts nothing, whatever the lost one declared.
      expect(secrecyLifted(secretVotes(lost), withOrgan(null))).toEqual([]);
      // No stored version settles it: the lost one may have declared it secret.
      expect(secrecyLifted(secretVotes(lost), named)).toEqual([
        {
          path: "dataset.ballots",
          message: `the vote "organ" (${ballots} ballots, perhaps secret under scheme city-review v7, no longer stored; not in scheme city-review v8, the cycle's current version) would name its voters to every reader, in its ballot lists and each unit's breakdown`,
        },
      ]);
    });
  });
});
