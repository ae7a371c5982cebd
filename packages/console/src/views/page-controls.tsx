import { useEffect, useRef } from "react";
import type { ListPage } from "../cycle-list-page";
import { PAGE_SIZES } from "../cycle-list-page";
import { useI18n } from "../i18n";
import { Field } from "./labelled-field";
import { goToPage, refilter } from "./use-list-page";

/*
 * What every list read a page at a time shows around its table: how many rows pass the filters
 * and which are shown, Previous and Next, and how many rows a page holds.
 */

/** "19 findings · page 2 of 2 (rows 11–19)": `count` is the list's own words for its total. */
export function PageCount(props: { testId: string; count: string; page: ListPage<unknown>; size: number }) {
  const { t } = useI18n();
  const { page, size } = props;
  const pages = Math.max(1, Math.ceil(page.totalCount / size));
  const from = page.index * size + 1;
  return (
    <p data-testid={props.testId} id={props.testId}>
      {props.count}
      {page.rows.length > 0 &&
        ` · ${t("list.pageOf", { page: page.index + 1, pages, from, to: from + page.rows.length - 1 })}`}
    </p>
  );
}

/**
 * The list whose Previous or Next was pressed, from which page, and which of the two. The buttons
 * are drawn anew with the page they lead to (the list is not shown while it is read), so this is
 * kept outside them.
 */
let pressed: { name: string; from: number; button: "prev" | "next" } | null = null;

/**
 * Previous and Next, when there is another page; `onGo` runs before the URL changes. Both are
 * described by the page count (`${name}-count`, PageCount's), and the one pressed has the focus
 * again on the page it led to, or, there disabled (the first or last page), the other one: a
 * screen reader then says which page is shown, and Enter goes on paging.
 */
export function PageButtons(props: { name: string; page: ListPage<unknown>; onGo?: () => void }) {
  const { t } = useI18n();
  const { page, name } = props;
  const prev = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (pressed?.name !== name || pressed.from === page.index) return;
    const [first, second] = pressed.button === "next" ? [next, prev] : [prev, next];
    pressed = null;
    (first.current && !first.current.disabled ? first : second).current?.focus();
  }, [name, page.index]);
  if (page.index === 0 && !page.hasNextPage) return null;
  const go = (index: number, button: "prev" | "next") => {
    pressed = { name, from: page.index, button };
    props.onGo?.();
    goToPage(index);
  };
  return (
    <div className="toolbar">
      <button
        type="button"
        ref={prev}
        data-testid={`${name}-prev`}
        aria-describedby={`${name}-count`}
        disabled={page.index === 0}
        onClick={() => go(page.index - 1, "prev")}
      >
        {t("list.prev")}
      </button>
      <button
        type="button"
        ref={next}
        data-testid={`${name}-next`}
        aria-describedby={`${name}-count`}
        disabled={!page.hasNextPage}
        onClick={() => go(page.index + 1, "next")}
      >
        {t("list.next")}
      </button>
    </div>
  );
}

/** The page size, in the URL (`rows`): a new size starts the list again at its first page. */
export function RowsField(props: { testId: string; size: number }) {
  const { t } = useI18n();
  return (
    <Field testId={props.testId} label={t("list.rowsPerPage")}>
      {(a) => (
        <select {...a} value={props.size} onChange={(e) => refilter({ rows: e.target.value })}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
