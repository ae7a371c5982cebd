import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Movement } from "../rules-api";
import { Movements } from "./rules";

const movement = (unitId: string, before: number | null, after: number | null): Movement => ({
  unitId,
  name: unitId,
  group: "g",
  before: { total: before === null ? null : "80.00", rank: before, grade: null },
  after: { total: after === null ? null : "80.00", rank: after, grade: null },
  rankDelta: before !== null && after !== null ? after - before : null,
  totalDelta: before !== null && after !== null ? "0" : null,
  causes: [],
});

const rankMoves = (movements: Movement[]) =>
  [
    ...renderToStaticMarkup(createElement(Movements, { movements })).matchAll(
      /<td class="num ?[a-z]*">([^<]*)<\/td><td class="num">[^<]*<\/td><td class="muted">/g,
    ),
  ].map((m) => m[1]);

describe("Movements", () => {
  it("says a unit kept its rank only when it has one on both sides", () => {
    expect(
      rankMoves([
        movement("kept", 3, 3),
        movement("rose", 5, 2),
        movement("lost", 4, null),
        movement("new", null, 7),
      ]),
    ).toEqual(["=", "↑3", "—", "—"]);
  });
});
