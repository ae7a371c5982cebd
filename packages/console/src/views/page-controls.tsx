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
    <p data-testid={props.testId}>
      {props.count}
      {page.rows.length > 0 &&
        ` · ${t("list.pageOf", { page: page.index + 1, pages, from, to: from + page.rows.length - 1 })}`}
    </p>
  );
}

/** Previous and Next, when there is another page; `onGo` runs before the URL changes. */
export function PageButtons(props: { name: string; page: ListPage<unknown>; onGo?: () => void }) {
  const { t } = useI18n();
  const { page } = props;
  if (page.index === 0 && !page.hasNextPage) return null;
  const go = (index: number) => {
    props.onGo?.();
    goToPage(index);
  };
  return (
    <div className="toolbar">
      <button
        type="button"
        data-testid={`${props.name}-prev`}
        disabled={page.index === 0}
        onClick={() => go(page.index - 1)}
      >
        {t("list.prev")}
      </button>
      <button
        type="button"
        data-testid={`${props.name}-next`}
        disabled={!page.hasNextPage}
        onClick={() => go(page.index + 1)}
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
