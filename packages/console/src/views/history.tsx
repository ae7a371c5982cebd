import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "../api";
import { fieldProblems } from "../field-problems";
import { formatDateTime } from "../format";
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITIES,
  type AuditRow,
  dayIssues,
  FILTER_FIELDS,
  type HistoryPage,
  loadHistoryPage,
} from "../history-api";
import {
  filterParams,
  type HistoryCursor,
  type HistoryFilter,
  historyParams,
  historyStateOf,
} from "../history-filter";
import { type Translate, useI18n } from "../i18n";
import { loadCycles } from "../queries";
import { updateParams, useRoute } from "../router";
import { loadSchemes } from "../rules-api";
import { useQuery } from "../use-query";
import { EntryPanel } from "./audit-entry-panel";
import { ErrorNote, failedRead } from "./cycle-picker";
import { FilterSelect } from "./filter-select";
import { Field } from "./labelled-field";
import { withCurrent } from "./named";
import { RowsField } from "./page-controls";
import { useRowPanel } from "./use-row-panel";

/** An action as the page words it; one the console does not know (a database edited by hand) as it is. */
export const actionText = (action: string, t: Translate): string =>
  (AUDIT_ACTIONS as readonly string[]).includes(action)
    ? t(`history.action.${action as (typeof AUDIT_ACTIONS)[number]}`)
    : action;

/** A kind of record as the page words it, likewise. */
export const entityText = (entity: string, t: Translate): string =>
  (AUDIT_ENTITIES as readonly string[]).includes(entity)
    ? t(`history.entity.${entity as (typeof AUDIT_ENTITIES)[number]}`)
    : entity;

/** What an entry did, in the What column: "delete · ballots". */
export const whatText = (row: Pick<AuditRow, "action" | "entity">, t: Translate): string =>
  `${actionText(row.action, t)} · ${entityText(row.entity, t)}`;

/** A changed filter starts the log again at its newest entry; the other filters stay. */
const refilter = (changes: Partial<HistoryFilter>) =>
  updateParams({ ...filterParams(changes), after: null, before: null });

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

type Problems = Partial<Record<(typeof FILTER_FIELDS)[number] | "from" | "to", string>>;

function Filters(props: {
  filter: HistoryFilter;
  size: number;
  cycles: { id: string; name: string }[];
  schemes: { id: string; name: string }[];
  problems: Problems;
}) {
  const { t } = useI18n();
  const { filter, problems } = props;
  const toggle = (action: string) => {
    const picked = new Set(filter.actions);
    if (!picked.delete(action)) picked.add(action);
    // In the boxes' order; an action the console does not list (a link typed by hand) stays, last.
    const place = (a: string) => {
      const i = (AUDIT_ACTIONS as readonly string[]).indexOf(a);
      return i < 0 ? AUDIT_ACTIONS.length : i;
    };
    refilter({ actions: [...picked].sort((a, b) => place(a) - place(b)) });
  };
  return (
    <div className="card stack fit" data-testid="history-filters">
      <h2 className="section">{t("history.filters")}</h2>
      <div className="toolbar">
        <FilterSelect
          testId="history-cycle"
          label={t("cycle")}
          problem={problems.cycleId}
          value={filter.cycleId}
          any={t("history.anyCycle")}
          // A deleted cycle's entries stay: its id, from a link, is offered as it is.
          choices={withCurrent(props.cycles, filter.cycleId)}
          onPick={(cycleId) => refilter({ cycleId })}
        />
        <FilterSelect
          testId="history-scheme"
          label={t("rules.scheme")}
          problem={problems.schemeId}
          value={filter.schemeId}
          any={t("history.anyScheme")}
          choices={withCurrent(props.schemes, filter.schemeId)}
          onPick={(schemeId) => refilter({ schemeId })}
        />
        <FilterSelect
          testId="history-entity"
          label={t("history.entity")}
          problem={problems.entity}
          value={filter.entity}
          any={t("history.anyEntity")}
          choices={withCurrent(
            AUDIT_ENTITIES.map((e) => ({ id: e, name: entityText(e, t) })),
            filter.entity,
          )}
          onPick={(entity) => refilter({ entity })}
        />
        <RowsField testId="history-rows" size={props.size} />
      </div>
      <fieldset
        className="toolbar"
        data-testid="history-actions"
        aria-invalid={problems.actions ? true : undefined}
        aria-describedby={problems.actions ? "history-actions-problem" : undefined}
      >
        <legend>{t("history.actions")}</legend>
        {AUDIT_ACTIONS.map((a) => (
          <label key={a}>
            <input
              type="checkbox"
              data-testid={`history-action-${a}`}
              checked={filter.actions.includes(a)}
              onChange={() => toggle(a)}
            />{" "}
            {actionText(a, t)}
          </label>
        ))}
        {problems.actions && (
          <span className="error" id="history-actions-problem" data-testid="history-actions-problem">
            {problems.actions}
          </span>
        )}
      </fieldset>
      {/* Read anew with every link: Back, a link followed, or Clear shows its own values. */}
      <TextFilters
        key={JSON.stringify([filter.entityId, filter.actor, filter.from, filter.to])}
        filter={filter}
        problems={problems}
      />
    </div>
  );
}

/**
 * The boxes typed into, applied together (Apply, or Enter): the log is not read again at every
 * letter of an id, nor at every digit of a year typed into a day.
 */
function TextFilters({ filter, problems }: { filter: HistoryFilter; problems: Problems }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState({
    entityId: filter.entityId ?? "",
    actor: filter.actor ?? "",
    from: filter.from ?? "",
    to: filter.to ?? "",
  });
  const type = (patch: Partial<typeof typed>) => setTyped((v) => ({ ...v, ...patch }));
  const form = useRef<HTMLFormElement>(null);
  // A box refused takes the focus once the refusal is in, as a form's refused box does.
  const refused = Boolean(problems.entityId || problems.actor || problems.from || problems.to);
  useEffect(() => {
    if (refused) form.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [refused]);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    refilter({
      entityId: typed.entityId.trim() || null,
      actor: typed.actor.trim() || null,
      from: typed.from || null,
      to: typed.to || null,
    });
  };
  const clear = () =>
    refilter({
      cycleId: null,
      schemeId: null,
      actions: [],
      entity: null,
      entityId: null,
      actor: null,
      from: null,
      to: null,
    });
  return (
    <form ref={form} className="stack" data-testid="history-text-filters" onSubmit={apply}>
      <div className="toolbar">
        <Field testId="history-entityId" label={t("history.entityId")} problem={problems.entityId}>
          {(a) => (
            <input
              {...a}
              size={18}
              value={typed.entityId}
              onChange={(e) => type({ entityId: e.target.value })}
            />
          )}
        </Field>
        <Field testId="history-actor" label={t("history.actor")} problem={problems.actor}>
          {(a) => (
            <input {...a} size={14} value={typed.actor} onChange={(e) => type({ actor: e.target.value })} />
          )}
        </Field>
        <Field testId="history-from" label={t("history.from")} problem={problems.from}>
          {(a) => (
            <input {...a} type="date" value={typed.from} onChange={(e) => type({ from: e.target.value })} />
          )}
        </Field>
        <Field testId="history-to" label={t("history.to")} problem={problems.to}>
          {(a) => (
            <input {...a} type="date" value={typed.to} onChange={(e) => type({ to: e.target.value })} />
          )}
        </Field>
        <button type="submit" className="primary" data-testid="history-apply">
          {t("history.apply")}
        </button>
        <button type="button" data-testid="history-clear" onClick={clear}>
          {t("history.clear")}
        </button>
      </div>
      <p className="muted">{t("history.textHelp")}</p>
    </form>
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

/**
 * The list whose Previous or Next was pressed, from which page, and which of the two: as
 * PageButtons has it (page-controls.tsx), the buttons are drawn anew with the page they lead to.
 */
let pressed: { from: string; button: "prev" | "next" } | null = null;

/**
 * Previous (newer entries) and Next (older), by the cursors the gateway gave: the one pressed has
 * the focus again on the page it led to, or, there disabled, the other, as on the other lists.
 */
function KeysetButtons(props: { page: HistoryPage; at: string; onGo: () => void }) {
  const { t } = useI18n();
  const { page, at } = props;
  const prev = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!pressed || pressed.from === at) return;
    const [first, second] = pressed.button === "next" ? [next, prev] : [prev, next];
    pressed = null;
    (first.current && !first.current.disabled ? first : second).current?.focus();
  }, [at]);
  if (!page.newer && !page.older) return null;
  const go = (cursor: HistoryCursor, button: "prev" | "next") => {
    pressed = { from: at, button };
    props.onGo();
    updateParams({
      after: cursor && "after" in cursor ? cursor.after : null,
      before: cursor && "before" in cursor ? cursor.before : null,
    });
  };
  const describedBy = page.rows.length > 0 ? "audit-count" : undefined;
  return (
    <div className="toolbar">
      <button
        type="button"
        ref={prev}
        data-testid="audit-prev"
        aria-describedby={describedBy}
        disabled={!page.newer}
        onClick={() => go(page.newer, "prev")}
      >
        {t("list.prev")}
      </button>
      <button
        type="button"
        ref={next}
        data-testid="audit-next"
        aria-describedby={describedBy}
        disabled={!page.older}
        onClick={() => go(page.older, "next")}
      >
        {t("list.next")}
      </button>
    </div>
  );
}
