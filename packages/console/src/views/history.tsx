import { type KeyboardEvent, useId, useRef } from "react";
import { ApiError } from "../api";
import { fieldProblems } from "../field-problems";
import { formatDateTime } from "../format";
import { type AuditRow, dayIssues, FILTER_FIELDS, type HistoryPage, loadHistoryPage } from "../history-api";
import { filterParams, type HistoryCursor, historyParams, historyStateOf } from "../history-filter";
import { type Translate, useI18n } from "../i18n";
import { loadCycles } from "../queries";
import { useRoute } from "../router";
import { loadSchemes } from "../rules-api";
import { useQuery } from "../use-query";
import { EntryPanel } from "./audit-entry-panel";
import { whatText } from "./audit-words";
import { ErrorNote, failedRead } from "./cycle-picker";
import { Filters } from "./history-filters";
import { KeysetButtons } from "./keyset-buttons";
import { useRowPanel } from "./use-row-panel";

/** The gateway names an action's box by the action's place in the list (`actions[2]`). */
function byBox(error: Error | null): Error | null {
  if (!(error instanceof ApiError)) return error;
  const issues = error.issues.map((i) => ({ ...i, path: i.path.replace(/\[\d+\]$/, "") }));
  return new ApiError(error.message, error.code, issues, error.retryAfter);
}

/**
 * The audit log (操作记录) for an administrator: every change to rules and data, newest first, a
 * page at a time, narrowed by cycle, scheme, action, record, who and when; an entry opens under
 * its row to what it changed. The list never asks for the records an entry keeps (a delete of a
 * vote's ballots keeps every ballot): an entry opened reads its own.
 */
export function History() {
  const { t } = useI18n();
  const { params } = useRoute();
  const state = historyStateOf(params);
  const { filter, size, cursor } = state;
  const cycles = useQuery("cycles", (s) => loadCycles(s));
  const schemes = useQuery("schemes", () => loadSchemes());
  // A day that is no day (a link typed by hand) is said at its box, and nothing is asked.
  const days = dayIssues(filter);
  const asked = days.from || days.to ? null : JSON.stringify(historyParams(state));
  const page = useQuery(asked, (s) => loadHistoryPage(filter, size, cursor, s));
  const problems = fieldProblems(byBox(page.error), FILTER_FIELDS);
  const shown = page.current;
  const filtered = Object.values(filterParams(filter)).some(Boolean);
  return (
    <section className="page stack">
      <p className="muted">{t("history.summary")}</p>
      <ErrorNote {...failedRead(cycles, schemes, problems.elsewhere ? page : null)} />
      <Filters
        filter={filter}
        size={size}
        cycles={(cycles.data ?? []).map((c) => ({ id: c.id, name: `${c.year} · ${c.name}` }))}
        schemes={(schemes.data ?? []).map((s) => ({ id: s.schemeId, name: s.schemeId }))}
        problems={{
          ...problems.fields,
          from: days.from ? t("history.notDay") : problems.fields.since,
          to: days.to
            ? t(days.to === "notDay" ? "history.notDay" : "history.beforeFrom")
            : problems.fields.until,
        }}
      />
      {shown && <HistoryList page={shown} cursor={cursor} filtered={filtered} />}
      {page.loading && !shown && <p>{t("loading")}</p>}
    </section>
  );
}

/** How many entries the page shows, and where they stand in the log (it is not counted whole). */
function countText(page: HistoryPage, t: Translate, lang: Parameters<typeof formatDateTime>[1]): string {
  const n = page.rows.length;
  if (page.newest && !page.older) return n === 1 ? t("history.countAllOne") : t("history.countAll", { n });
  if (page.newest) return t("history.countNewest", { n });
  return t("history.countOlder", {
    n,
    newest: formatDateTime(page.rows[0]!.at, lang),
    oldest: formatDateTime(page.rows.at(-1)!.at, lang),
  });
}

function HistoryList(props: { page: HistoryPage; cursor: HistoryCursor; filtered: boolean }) {
  const { t, lang } = useI18n();
  const { page } = props;
  // One entry open at a time; opened afresh, never brought back after a reload.
  const [open, setOpen] = useRowPanel<"change">("history.open", {});
  return (
    <div className="card stack">
      <h2 className="section">{t("history.title")}</h2>
      {page.rows.length === 0 ? (
        <p className="muted" data-testid="audit-none">
          {t(props.filtered ? "history.none" : "history.noneAtAll")}
        </p>
      ) : (
        <>
          <p data-testid="audit-count" id="audit-count">
            {countText(page, t, lang)}
          </p>
          <div className="scroll-x">
            <table data-testid="audit-list">
              <thead>
                <tr>
                  <th>{t("history.when")}</th>
                  <th>{t("history.who")}</th>
                  <th>{t("history.what")}</th>
                  <th>{t("history.which")}</th>
                  <th>{t("cycle")}</th>
                  <th>{t("history.reason")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <EntryRow
                    key={row.id}
                    row={row}
                    open={open?.row === row.id}
                    onToggle={(opened) => setOpen(opened ? { row: row.id, panel: "change" } : null)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <KeysetButtons page={page} at={JSON.stringify(props.cursor)} onGo={() => setOpen(null)} />
    </div>
  );
}

const COLUMNS = 7;

function EntryRow(props: { row: AuditRow; open: boolean; onToggle: (open: boolean) => void }) {
  const { t, lang } = useI18n();
  const { row } = props;
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const what = whatText(row, t);
  // Closed from the panel (its Close, or Escape): back to the button that opened it.
  const close = () => {
    props.onToggle(false);
    button.current?.focus();
  };
  const onEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape" && props.open) close();
  };
  return (
    <>
      <tr data-entry={row.id} className={props.open ? "selected" : ""}>
        <td>
          {/* The instant itself, in the gateway's words, for whoever compares it with a server's log. */}
          <time dateTime={row.at} title={row.at}>
            {formatDateTime(row.at, lang)}
          </time>
        </td>
        <td>{row.actor}</td>
        <td data-testid="audit-what">{what}</td>
        <td>
          <code>{row.entityId}</code>
        </td>
        <td>{row.cycleId ? <code>{row.cycleId}</code> : t("history.noCycle")}</td>
        <td>{row.reason ?? ""}</td>
        <td>
          <button
            type="button"
            ref={button}
            data-testid="audit-open"
            aria-label={t("history.openLabel", { id: row.id, what, which: row.entityId })}
            aria-expanded={props.open}
            aria-controls={props.open ? panelId : undefined}
            onClick={() => props.onToggle(!props.open)}
            onKeyDown={onEscape}
          >
            {t("history.open")}
          </button>
        </td>
      </tr>
      {props.open && (
        <tr className="row-editor">
          <td colSpan={COLUMNS}>
            <EntryPanel
              id={panelId}
              row={row}
              title={t("history.entryTitle", { id: row.id, what, which: row.entityId })}
              onClose={close}
              onKeyDown={onEscape}
            />
          </td>
        </tr>
      )}
    </>
  );
}
