// Renders a view to static HTML inside the language context the console's App gives every
// view, so that a test reads the words a user of `lang` reads. Not part of the console.
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18n, type Lang, translator } from "./i18n";

export function renderIn(lang: Lang, element: ReactElement): string {
  return renderToStaticMarkup(
    createElement(I18n.Provider, { value: { lang, t: translator(lang), setLang: () => {} } }, element),
  );
}

/** A table row's view, rendered where a row may stand: in a table's body. */
export function renderRowIn(lang: Lang, row: ReactElement): string {
  return renderIn(lang, createElement("table", null, createElement("tbody", null, row)));
}
