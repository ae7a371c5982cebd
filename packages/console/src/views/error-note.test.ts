import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api";
import { ErrorNote } from "./cycle-picker";

const shown = (error: Error) => renderToStaticMarkup(createElement(ErrorNote, { error }));
const occurrences = (html: string, text: string) => html.split(text).length - 1;

describe("ErrorNote", () => {
  it("says a refusal once: an issue its message already says is not listed again", () => {
    const once = shown(
      new ApiError("importId: must be at most 200 characters long", "VALIDATION", [
        { path: "importId", message: "must be at most 200 characters long" },
      ]),
    );
    expect(occurrences(once, "must be at most 200 characters long")).toBe(1);
    expect(once).not.toContain("<li>");
  });

  it("lists the issues a shorter message leaves out, each at its path", () => {
    const listed = shown(
      new ApiError("2 problems", "VALIDATION", [
        { path: "input.name", message: "must not be empty" },
        { path: "input.year", message: "must be at least 1990" },
      ]),
    );
    expect(occurrences(listed, "<li>")).toBe(2);
    expect(listed).toContain("<code>input.year</code> must be at least 1990");
  });
});
