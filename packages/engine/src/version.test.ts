import { expect, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { VERSION } from "./version.js";

// npm consumers read VERSION at run time; a release that bumps only package.json would lie to them.
it("VERSION equals package.json's version", () => {
  expect(VERSION).toBe(pkg.version);
});
