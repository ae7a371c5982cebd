import { type FormEvent, useRef, useState } from "react";
import { atLeast, type Session } from "../auth";
import type { ListPage } from "../cycle-list-page";
import { fieldProblems } from "../field-problems";
import {
  deleteFinding,
  editOf,
  FILTER_FIELDS,
  FINDINGS_LIST,
  type Finding,
  type FindingChoices,
  type FindingFilter,
  FORM_FIELDS,
  isRectification,
  isRectified,
  loadFindingChoices,
  passes,
  RECTIFICATION_FIELDS,
  RECTIFICATIONS,
  type Rectification,
  type RectificationEdit,
  recordFinding,
  rectificationInput,
  setRectification,
} from "../findings-api";
import { type Translate, useI18n } from "../i18n";
import { useRoute } from "../router";
import { useQuery } from "../use-query";
import { CyclePicker, ErrorNote, failedRead, useCycle } from "./cycle-picker";
import { DeleteConfirmation } from "./delete-confirmation";
import { DraftNote } from "./draft-note";
import { FilterSelect, unitChoice } from "./filter-select";
import { Field } from "./labelled-field";
import { ListTable } from "./list-table";
import { named, withCurrent } from "./named";
import { RowsField } from "./page-controls";
import { StatusRegion } from "./status-region";
import { showsStart, useDraft } from "./use-draft";
import { pagingOf, refilter, useListPage } from "./use-list-page";
import { useRowPanel } from "./use-row-panel";
import { useWrite } from "./use-write";

/** The list's state in the URL: the filters, the page size and the page. */
function listState(params: URLSearchParams): { filter: FindingFilter; size: number; index: number } {
  const state = params.get("state");
  return {
    filter: {
      unitId: params.get("unit") || null,
      type: params.get("type") || null,
      rectification: isRectification(state) ? state : null,
    },
    ...pagingOf(params),
  };
}

const stateText = (r: Rectification | null, t: Translate) =>
  r ? t(`findings.state.${r}`) : t("findings.state.none");

/**
 * A cycle's inspection findings (日常考核) and their rectification (整改): a page at a time,
 * narrowed by unit, type and state, for everyone; an administrator on an open cycle also sets a
 * finding's rectification, records new findings and deletes one.
 */
export function Findings({ session }: { session: Session }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const cyclesRead = useCycle(params.get("cycle"));
  const { cycles, cycle } = cyclesRead;
  const paging = listState(params);
  const { filter, size } = paging;
  // Bumped after each write: the page is read again from the gateway, not patched here.
  const [revision, setRevision] = useState(0);
  const list = useListPage<FindingFilter, Finding>(FINDINGS_LIST, cycle?.id ?? null, paging, revision);
  const choices = useQuery(cycle?.id ?? null, (s) => loadFindingChoices(cycle!.id, s));
  const shown = list.current;
  const known = choices.current;
  // As read with the page shown; while another page or filter loads, as the cycle list has it, so
  // that the form (and what is typed in it) stays.
  const status = shown?.status ?? cycle?.status ?? null;
  const writable = atLeast(session.role, "admin") && status === "OPEN";
  // The filters' own refusal (a unit or type this cycle does not have) stands at its box.
  const filterProblems = fieldProblems(list.error, FILTER_FIELDS);
  const [note, setNote] = useState<{ text: string; left: boolean } | null>(null);
  const changed = () => setRevision((r) => r + 1);
  return (
    <section className="page stack">
      <div className="toolbar fit">
        <CyclePicker cycles={cycles} value={cycle?.id} />
      </div>
      <ErrorNote {...failedRead(cyclesRead, choices, filterProblems.elsewhere ? list : null)} />
      {status && !writable && (
        <p className="muted" data-testid="findings-read-only">
          {status !== "OPEN"
            ? t("findings.readOnlyFinalised")
            : t("findings.readOnlyRole", { role: t(`role.${session.role}`) })}
        </p>
      )}
      {cycle && (
        <Filters
          key={`filters-${cycle.id}`}
          filter={filter}
          size={size}
          choices={known}
          problems={filterProblems.fields}
        />
      )}
      <StatusRegion>
        {note && (
          <p className="ok" data-testid="findings-saved">
            {note.text}
            {note.left && ` ${t("findings.savedLeft")}`}
          </p>
        )}
      </StatusRegion>
      {cycle && shown && (
        <FindingList
          key={`list-${cycle.id}`}
          cycleId={cycle.id}
          page={shown}
          size={size}
          filter={filter}
          choices={known}
          writable={writable}
          onSaved={(saved) => {
            setNote({
              text: t("findings.saved", { id: saved.id, state: stateText(saved.rectification, t) }),
              left: !passes(filter, saved),
            });
            changed();
          }}
          onDeleted={(id, unit) => {
            setNote({ text: t("findings.deleted", { id, unit }), left: false });
            changed();
          }}
          onStale={changed}
          onOpen={() => setNote(null)}
        />
      )}
      {list.loading && !shown && <p>{t("loading")}</p>}
      {cycle && writable && known && (
        <RecordForm
          key={`record-${cycle.id}`}
          cycleId={cycle.id}
          choices={known}
          filter={filter}
          onDone={changed}
        />
      )}
    </section>
  );
}

/** A date box, YYYY-MM-DD as typed: the gateway checks the day, and its refusal stands beside the box. */
function DateField(props: {
  testId: string;
  label: string;
  problem: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Field testId={props.testId} label={props.label} problem={props.problem}>
      {(a) => (
        <input
          {...a}
          size={11}
          placeholder={t("findings.datePlaceholder")}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

function Filters(props: {
  filter: FindingFilter;
  size: number;
  choices: FindingChoices | null;
  problems: Partial<Record<(typeof FILTER_FIELDS)[number], string>>;
}) {
  const { t } = useI18n();
  const { filter, problems } = props;
  const units = withCurrent(props.choices?.units ?? [], filter.unitId);
  const types = withCurrent(props.choices?.findingTypes ?? [], filter.type);
  const quick = (state: Rectification | null, testId: string, label: string) => (
    <button
      type="button"
      data-testid={testId}
      aria-pressed={filter.rectification === state}
      className={filter.rectification === state ? "primary" : ""}
      onClick={() => refilter({ state })}
    >
      {label}
    </button>
  );
  return (
    <div className="card stack fit" data-testid="findings-filters">
      <div className="toolbar">
        <span className="muted">{t("findings.quick")}</span>
        {quick(null, "filter-all", t("findings.quick.all"))}
        {quick("PENDING", "filter-pending", t("findings.state.PENDING"))}
        {quick("NOT_RECTIFIED", "filter-not-rectified", t("findings.state.NOT_RECTIFIED"))}
      </div>
      <div className="toolbar">
        <FilterSelect
          testId="filter-unit"
          label={t("unit")}
          problem={problems.unitId}
          value={filter.unitId}
          any={t("findings.anyUnit")}
          choices={units.map(unitChoice)}
          onPick={(unit) => refilter({ unit })}
        />
        <FilterSelect
          testId="filter-type"
          label={t("findings.type")}
          problem={problems.type}
          value={filter.type}
          any={t("findings.anyType")}
          choices={types}
          onPick={(type) => refilter({ type })}
        />
        <FilterSelect
          testId="filter-state"
          label={t("findings.rectification")}
          problem={problems.rectification}
          value={filter.rectification}
          any={t("findings.anyState")}
          choices={RECTIFICATIONS.map((r) => ({ id: r, name: stateText(r, t) }))}
          onPick={(state) => refilter({ state })}
        />
        <RowsField testId="filter-rows" size={props.size} />
      </div>
    </div>
  );
}

function FindingList(props: {
  cycleId: string;
  page: ListPage<Finding>;
  size: number;
  filter: FindingFilter;
  choices: FindingChoices | null;
  writable: boolean;
  onSaved: (saved: Finding) => void;
  /** Deleted: the note says which (the unit as the row names it), and the page is read again. */
  onDeleted: (id: string, unit: string) => void;
  /** A refusal that says the page is out of date was read: read it again. */
  onStale: () => void;
  onOpen: () => void;
}) {
  const { t } = useI18n();
  const { page, size } = props;
  // One row's editor or delete confirmation open at a time; an editor comes back with its draft.
  const [open, setOpen] = useRowPanel<Panel>(`findings.open.${props.cycleId}`, {
    edit: (id) => rectificationDraft(props.cycleId, id),
  });
  const columns = props.writable ? 10 : 9;
  const filtered = Boolean(props.filter.unitId || props.filter.type || props.filter.rectification);
  // Where the focus goes when the row it was on leaves the list (deleted, or saved out of the
  // filters): the list's title, rather than the page.
  const title = useRef<HTMLHeadingElement>(null);
  return (
    <div className="card stack">
      <h2 className="section" ref={title} tabIndex={-1}>
        {t("findings.title")}
      </h2>
      <ListTable
        name="findings"
        page={page}
        size={size}
        count={t(page.totalCount === 1 ? "findings.countOne" : "findings.count", { n: page.totalCount })}
        none={t(filtered ? "findings.none" : "findings.noneAtAll")}
        header={
          <>
            <th>{t("findings.id")}</th>
            <th>{t("unit")}</th>
            <th>{t("findings.type")}</th>
            <th>{t("findings.level")}</th>
            <th>{t("findings.repeated")}</th>
            <th>{t("findings.deadline")}</th>
            <th>{t("findings.rectification")}</th>
            <th>{t("findings.rectifiedOn")}</th>
            <th>{t("findings.note")}</th>
            {props.writable && <th />}
          </>
        }
        onGo={() => setOpen(null)}
      >
        {page.rows.map((f) => (
          <FindingRow
            key={f.id}
            cycleId={props.cycleId}
            finding={f}
            choices={props.choices}
            columns={columns}
            writable={props.writable}
            panel={open?.row === f.id ? open.panel : null}
            onOpen={(panel) => {
              setOpen(panel ? { row: f.id, panel } : null);
              props.onOpen();
            }}
            onSaved={(saved) => {
              setOpen(null);
              if (!passes(props.filter, saved)) title.current?.focus();
              props.onSaved(saved);
            }}
            onDeleted={(unit) => {
              setOpen(null);
              title.current?.focus();
              props.onDeleted(f.id, unit);
            }}
            onStale={props.onStale}
          />
        ))}
      </ListTable>
    </div>
  );
}

/** What is open under a row: its rectification's editor, or the confirmation of its deletion. */
type Panel = "edit" | "delete";

/** The draft of one finding's rectification editor. */
const rectificationDraft = (cycleId: string, findingId: string) => `findings.rect.${cycleId}.${findingId}`;

function FindingRow(props: {
  cycleId: string;
  finding: Finding;
  choices: FindingChoices | null;
  columns: number;
  writable: boolean;
  panel: Panel | null;
  onOpen: (panel: Panel | null) => void;
  onSaved: (saved: Finding) => void;
  onDeleted: (unit: string) => void;
  onStale: () => void;
}) {
  const { t } = useI18n();
  const f = props.finding;
  const unit = named(f.unitId, props.choices?.units);
  const type = named(f.type, props.choices?.findingTypes);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const toggle = (panel: Panel) => props.onOpen(props.panel === panel ? null : panel);
  return (
    <>
      <tr data-finding={f.id} className={props.panel ? "selected" : ""}>
        <td>
          <code>{f.id}</code>
        </td>
        <td>{unit}</td>
        <td>{type}</td>
        <td>{f.level}</td>
        <td>{f.repeated ? t("yes") : ""}</td>
        <td>{f.deadline ?? ""}</td>
        <td data-testid="finding-state">{stateText(f.rectification, t)}</td>
        <td>{f.rectifiedOn ?? ""}</td>
        <td>{f.note ?? ""}</td>
        {props.writable && (
          <td>
            <button
              type="button"
              ref={editButton}
              data-testid="finding-edit"
              aria-label={t("findings.editLabel", { id: f.id })}
              aria-expanded={props.panel === "edit"}
              onClick={() => toggle("edit")}
            >
              {t("findings.edit")}
            </button>{" "}
            <button
              type="button"
              ref={deleteButton}
              data-testid="finding-delete"
              aria-label={t("findings.deleteLabel", { id: f.id })}
              aria-expanded={props.panel === "delete"}
              onClick={() => toggle("delete")}
            >
              {t("findings.delete")}
            </button>
          </td>
        )}
      </tr>
      {props.panel === "edit" && (
        <tr className="row-editor">
          <td colSpan={props.columns}>
            <RectificationEditor
              cycleId={props.cycleId}
              finding={f}
              // Closed, saved or not: back to the button that opened it (the list moves the focus
              // on from there if the finding leaves it).
              onSaved={(saved) => {
                editButton.current?.focus();
                props.onSaved(saved);
              }}
              onCancel={() => {
                props.onOpen(null);
                editButton.current?.focus();
              }}
            />
          </td>
        </tr>
      )}
      {props.panel === "delete" && (
        <tr className="row-editor">
          <td colSpan={props.columns}>
            <DeleteConfirmation
              name="finding"
              question={t("findings.deleteQuestion", { id: f.id, unit })}
              detail={`${type} · ${f.level} · ${stateText(f.rectification, t)}`}
              warning={t("findings.deleteWarning")}
              confirm={t("findings.deleteConfirm", { id: f.id })}
              reasons={{
                gone: t("findings.deleteRefused.gone"),
                finalised: t("findings.deleteRefused.finalised"),
                forbidden: t("findings.deleteRefused.forbidden"),
              }}
              refusedText={(reason) => t("findings.deleteRefused", { id: f.id, reason })}
              remove={() => deleteFinding(props.cycleId, f.id)}
              onDeleted={() => props.onDeleted(unit)}
              onClose={(refused) => {
                props.onOpen(null);
                // Back to the button that opened it; after a refusal, the page is read again
                // (the row may then be gone, or the page read-only).
                deleteButton.current?.focus();
                if (refused) props.onStale();
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * The rectification of one finding: its state, the day it was rectified on (for a rectification
 * done, on time or late) and its deadline. Saved at once, no confirmation: nothing is lost that
 * cannot be set again, and the audit keeps what it was.
 */
export function RectificationEditor(props: {
  cycleId: string;
  finding: Finding;
  onSaved: (saved: Finding) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const stored = editOf(props.finding);
  // A state kept from before that the page no longer offers is the finding's own.
  const shown = (v: RectificationEdit) =>
    isRectification(v.rectification) ? v : { ...v, rectification: stored.rectification };
  const draft = useDraft<RectificationEdit>(rectificationDraft(props.cycleId, props.finding.id), stored, {
    atStart: showsStart(stored, shown),
  });
  const edit = shown(draft.value);
  const write = useWrite(RECTIFICATION_FIELDS);
  const change = (patch: Partial<RectificationEdit>) => {
    draft.edit(patch);
    write.edited();
  };
  const cancel = () => {
    draft.reset();
    props.onCancel();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void write.run(async () => {
      const saved = await setRectification(
        props.cycleId,
        props.finding.id,
        rectificationInput(props.finding, edit),
      );
      draft.reset();
      props.onSaved(saved);
    });
  };
  const p = write.problems.fields;
  return (
    // Escape closes it, as it closes a delete's confirmation.
    <form
      className="stack"
      data-testid="rect-form"
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && cancel()}
    >
      <strong>{t("findings.editTitle", { id: props.finding.id })}</strong>
      <DraftNote
        name="rect"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          write.edited();
        }}
      />
      <div className="toolbar">
        <Field testId="rect-rectification" label={t("findings.rectification")} problem={p.rectification}>
          {(a) => (
            <select
              {...a}
              value={edit.rectification}
              onChange={(e) => change({ rectification: e.target.value as Rectification })}
            >
              {RECTIFICATIONS.map((r) => (
                <option key={r} value={r}>
                  {stateText(r, t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {isRectified(edit.rectification) && (
          <DateField
            testId="rect-rectifiedOn"
            label={t("findings.rectifiedOn")}
            problem={p.rectifiedOn}
            value={edit.rectifiedOn}
            onChange={(rectifiedOn) => change({ rectifiedOn })}
          />
        )}
        <DateField
          testId="rect-deadline"
          label={t("findings.deadline")}
          problem={p.deadline}
          value={edit.deadline}
          onChange={(deadline) => change({ deadline })}
        />
        <button type="submit" className="primary" data-testid="rect-save" disabled={write.busy}>
          {t("findings.save")}
        </button>
        <button type="button" data-testid="rect-cancel" onClick={cancel}>
          {t("cancel")}
        </button>
      </div>
      {/* What names no box (the finding deleted, the cycle finalised meanwhile) is shown whole. */}
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
    </form>
  );
}

const EMPTY = { id: "", unitId: "", level: "", deadline: "", note: "", repeated: false };

export function RecordForm(props: {
  cycleId: string;
  choices: FindingChoices;
  filter: FindingFilter;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { units, findingTypes } = props.choices;
  const initial = { ...EMPTY, type: findingTypes[0]?.id ?? "", rectification: "PENDING" as string };
  const levelsOf = (type: string) => Object.keys(findingTypes.find((ft) => ft.id === type)?.levels ?? {});
  // The level box shows the type's first level until another is picked, and a state kept from
  // before that the page no longer offers shows as pending: either is the start, picked back too.
  const shown = (v: typeof initial) => {
    // The levels are the chosen type's: a level kept from another type is not offered.
    const levels = levelsOf(v.type);
    const rectification: Rectification = isRectification(v.rectification) ? v.rectification : "PENDING";
    return { ...v, level: levels.includes(v.level) ? v.level : (levels[0] ?? ""), rectification };
  };
  const draft = useDraft(`findings.record.${props.cycleId}`, initial, {
    atStart: showsStart(initial, shown),
  });
  const { rectification, level, ...form } = shown(draft.value);
  const [done, setDone] = useState<{ id: string; hidden: boolean } | null>(null);
  const write = useWrite(FORM_FIELDS);
  const levels = levelsOf(form.type);
  const change = (patch: Partial<typeof draft.value>) => {
    draft.edit(patch);
    setDone(null);
    write.edited();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    void write.run(async () => {
      const saved = await recordFinding(props.cycleId, { ...form, level, rectification });
      setDone({ id: saved.id, hidden: !passes(props.filter, saved) });
      // The next finding is most often the same unit's or type's.
      draft.reset((v) => ({ ...v, ...EMPTY, type: v.type, unitId: v.unitId }));
      props.onDone();
    });
  };
  const p = write.problems.fields;
  return (
    <form className="card stack fit" data-testid="finding-form" onSubmit={submit}>
      <h2 className="section">{t("findings.record")}</h2>
      <DraftNote
        name="finding"
        restored={draft.restored}
        onDiscard={() => {
          draft.reset();
          setDone(null);
          write.edited();
        }}
      />
      {findingTypes.length === 0 && (
        <p className="muted" data-testid="no-finding-types">
          {t("findings.noTypes")}
        </p>
      )}
      <div className="toolbar">
        <Field testId="finding-id" label={t("findings.id")} problem={p.id}>
          {(a) => <input {...a} size={12} value={form.id} onChange={(e) => change({ id: e.target.value })} />}
        </Field>
        <Field testId="finding-unitId" label={t("unit")} problem={p.unitId}>
          {(a) => (
            <select {...a} value={form.unitId} onChange={(e) => change({ unitId: e.target.value })}>
              <option value="">—</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field testId="finding-type" label={t("findings.type")} problem={p.type}>
          {(a) => (
            <select {...a} value={form.type} onChange={(e) => change({ type: e.target.value })}>
              {findingTypes.map((ft) => (
                <option key={ft.id} value={ft.id}>
                  {ft.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field testId="finding-level" label={t("findings.level")} problem={p.level}>
          {(a) => (
            <select {...a} value={level} onChange={(e) => change({ level: e.target.value })}>
              {levels.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="toolbar">
        <Field testId="finding-rectification" label={t("findings.rectification")} problem={p.rectification}>
          {(a) => (
            <select {...a} value={rectification} onChange={(e) => change({ rectification: e.target.value })}>
              {RECTIFICATIONS.map((r) => (
                <option key={r} value={r}>
                  {stateText(r, t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateField
          testId="finding-deadline"
          label={t("findings.deadline")}
          problem={p.deadline}
          value={form.deadline}
          onChange={(deadline) => change({ deadline })}
        />
        <Field testId="finding-repeated" label={t("findings.repeated")} problem={p.repeated}>
          {(a) => (
            <input
              {...a}
              type="checkbox"
              checked={form.repeated}
              onChange={(e) => change({ repeated: e.target.checked })}
            />
          )}
        </Field>
        <Field testId="finding-note" label={t("findings.note")} problem={p.note}>
          {(a) => (
            <input {...a} size={24} value={form.note} onChange={(e) => change({ note: e.target.value })} />
          )}
        </Field>
        <button
          type="submit"
          className="primary"
          data-testid="finding-submit"
          disabled={write.busy || findingTypes.length === 0}
        >
          {t("findings.recordSubmit")}
        </button>
      </div>
      <p className="muted">{t("findings.idHelp")}</p>
      {write.problems.elsewhere && <ErrorNote error={write.error} />}
      <StatusRegion>
        {done && (
          <p className="ok" data-testid="finding-recorded">
            {t("findings.recorded", { id: done.id })}
            {done.hidden && ` ${t("findings.recordedHidden")}`}
          </p>
        )}
      </StatusRegion>
    </form>
  );
}
