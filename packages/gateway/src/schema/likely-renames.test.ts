import type { SchemeChange } from "@pingyi/engine";
import { describe, expect, it } from "vitest";
import { likelyRenames, withLikelyRenames } from "./likely-renames.js";

const removed = (path: string, before: unknown): SchemeChange => ({
  path,
  kind: "removed",
  before,
  after: null,
});
const added = (path: string, after: unknown): SchemeChange => ({ path, kind: "added", before: null, after });
const category = (id: string, points: number, kind = "direct") => ({
  id,
  name: id,
  points,
  method: { kind },
});

describe("likelyRenames", () => {
  it("pairs a removed entry with an added one of the same list spelt close to it", () => {
    const changes = [
      removed("categories[id=public]", category("public", 50, "survey")),
      added("categories[id=pubilc]", category("pubilc", 50, "survey")),
      added("categories[id=innovation]", category("innovation", 10)),
    ];
    expect(likelyRenames(changes)).toEqual([{ list: "categories", from: "public", to: "pubilc" }]);
  });

  it("pairs by content, its id and name aside, when no spelling is close", () => {
    const changes = [
      removed("categories[id=public]", { ...category("public", 50, "survey"), name: "Public" }),
      added("categories[id=innovation]", category("innovation", 10)),
      added("categories[id=satisfaction]", {
        ...category("satisfaction", 50, "survey"),
        name: "Satisfaction",
      }),
    ];
    expect(likelyRenames(changes)).toEqual([{ list: "categories", from: "public", to: "satisfaction" }]);
  });

  it("pairs nothing across lists, nor an entry of nothing but its id and name, nor one twice", () => {
    expect(
      likelyRenames([
        removed("groups[id=county]", { id: "county", name: "County" }),
        added("groups[id=district]", { id: "district", name: "District" }),
      ]),
    ).toEqual([]);
    expect(
      likelyRenames([
        removed("categories[id=public]", category("public", 50)),
        added("groups[id=public2]", { id: "public2", name: "p" }),
      ]),
    ).toEqual([]);
    const twice = [
      removed("categories[id=organ]", category("organ", 20)),
      removed("categories[id=organs]", category("organs", 20)),
      added("categories[id=organ-s]", category("organ-s", 20)),
    ];
    expect(likelyRenames(twice)).toEqual([{ list: "categories", from: "organ", to: "organ-s" }]);
  });

  it("reads only whole entries: a field's change is no rename", () => {
    const changes: SchemeChange[] = [
      { path: "categories[id=public].points", kind: "changed", before: 50, after: 45 },
      removed("categories[id=public].method.max", 100),
      added("categories[id=public].method.min", 100),
    ];
    expect(likelyRenames(changes)).toEqual([]);
  });
});

describe("withLikelyRenames", () => {
  it("marks each side of a rename with the other, leaving the other changes as they are", () => {
    const tie: SchemeChange = {
      path: "ranking.tieBreakers[0].category",
      kind: "changed",
      before: "public",
      after: "pubilc",
    };
    const changes = [
      removed("categories[id=public]", category("public", 50)),
      added("categories[id=pubilc]", category("pubilc", 50)),
      tie,
    ];
    expect(withLikelyRenames(changes)).toEqual([
      { ...changes[0], renamedTo: "pubilc" },
      { ...changes[1], renamedFrom: "public" },
      tie,
    ]);
  });
});
