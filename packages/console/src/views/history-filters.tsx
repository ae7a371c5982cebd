import { type FormEvent, useEffect, useRef, useState } from "react";
import { AUDIT_ACTIONS, AUDIT_ENTITIES, type FILTER_FIELDS } from "../history-api";
import { filterParams, type HistoryFilter, NO_FILTER } from "../history-filter";
import { useI18n } from "../i18n";
import { updateParams } from "../router";
import { actionText, entityText } from "./audit-words";
import { FilterSelect } from "./filter-select";
import { Field } from "./labelled-field";
import { withCurrent } from "./named";
import { RowsField } from "./page-controls";

/** A changed filter starts the log again at its newest entry; the other filters stay. */
const refilter = (changes: Partial<HistoryFilter>) =>
  updateParams({ ...filterParams(changes), after: null, before: null });

/** What the gateway, or the page itself, refused of a filter, by box. */
export type Problems = Partial<Record<(typeof FILTER_FIELDS)[number] | "from" | "to", string>>;

/**
 * The log's filters: a choice applies at once, the boxes typed into together (TextFilters); each
 * refusal stands at its box.
 */
export function Filters(props: {
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
  const clear = () => refilter(NO_FILTER);
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
