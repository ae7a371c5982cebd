import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderIn } from "../_test-render";
import { Login } from "./login";

describe("Login", () => {
  it("shows the command that mints tokens as code, not in backticks shown as typed", () => {
    for (const lang of ["en", "zh-CN"] as const) {
      const html = renderIn(lang, createElement(Login, { onLogin: () => {}, expired: false }));
      expect(html, lang).toContain("<code>pingyi token analyst alice</code>");
      expect(html, lang).not.toContain("`");
      expect(html, lang).not.toContain("{command}");
    }
  });
});
