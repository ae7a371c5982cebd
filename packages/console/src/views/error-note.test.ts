import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiError, HttpError } from "../api";
import { ErrorNote } from "./cycle-picker";

const shown = (error: Error) => renderToStaticMarkup(createElement(ErrorNote, { error }));
/** As a page shows a read that failed: with Try again, where the rule offers it. */
const read = (error: Error, change?: string) =>
  renderToStaticMarkup(createElement(ErrorNote, { error, onRetry: () => {}, ...(change ? { change } : {}) }));
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

  it("offers Try again on a read the gateway could not answer, and nothing else", () => {
    const down = read(new ApiError("Failed to fetch", "NETWORK"));
    expect(down).toContain('data-testid="retry"');
    expect(down).not.toContain("disabled");
    expect(down).not.toContain("error-remedy");
    // A write's refusal is sent again from its form.
    expect(shown(new ApiError("Failed to fetch", "NETWORK"))).not.toContain('data-testid="retry"');
  });

  it("offers Try again after a rate limit, held off while its wait lasts", () => {
    const limited = read(new ApiError("too many requests", "RATE_LIMITED", [], 30));
    expect(limited).toMatch(
      /<button[^>]*disabled[^>]*data-testid="retry"|<button[^>]*data-testid="retry"[^>]*disabled/,
    );
  });

  it("says what to change instead of offering a try that would be refused the same way", () => {
    const invalid = new ApiError("scenario.patch: must be an object", "VALIDATION", [
      { path: "scenario.patch", message: "must be an object" },
    ]);
    const said = read(invalid);
    expect(said).not.toContain('data-testid="retry"');
    expect(said).toContain("change what is named above first");
    // The view's own words for what to change.
    expect(read(invalid, "change the settings above")).toContain("change the settings above");
    const tooMuch = read(new ApiError("the query's cost is over the limit", "QUERY_TOO_COSTLY"));
    expect(tooMuch).not.toContain('data-testid="retry"');
    expect(tooMuch).toContain("ask for less at a time");
    // Nothing on the page to change: the message says it, and no button repeats it.
    const gone = read(new HttpError(404, "Not Found"));
    expect(gone).not.toContain('data-testid="retry"');
    expect(gone).not.toContain("error-remedy");
  });
});
