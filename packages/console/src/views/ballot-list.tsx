import { type RefObject, useEffect, useRef, useState } from "react";
import { atLeast, type Session } from "../auth";
import { ballotListing, unlistedSecretVotes } from "../ballot-secrecy";
import {
  BALLOT_FILTER_FIELDS,
  BALLOTS_LIST,
  type Ballot,
  type BallotChoices,
  type BallotFilter,
  deleteBallot,
  type HeldCategory,
  loadHeldCategories,
  passes,
} from "../ballots-api";
import type { ListPage } from "../cycle-list-page";
import { fieldProblems } from "../field-problems";
import { useI18n } from "../i18n";
import type { Cycle } from "../queries";
import { href, useRoute } from "../router";
import { useQuery } from "../use-query";
import { ballotCategoryChoices } from "./ballot-category-choices";
import { BallotCorrection } from "./ballot-correction";
import { BallotForm } from "./ballot-form";
import { BallotsDeletion, type BallotsToDelete, deletedNote, useCountToDelete } from "./ballots-deletion";
import { ErrorNote, failedRead } from "./cycle-picker";
import { DeleteConfirmation } from "./delete-confirmation";
import { FilterSelect, unitChoice } from "./filter-select";
import { Field } from "./labelled-field";
import { ListTable } from "./list-table";
import { named, withCurrent } from "./named";
import { RowsField } from "./page-controls";
import { StatusRegion } from "./status-region";
import { pagingOf, refilter, useListPage } from "./use-list-page";
import { useRowPanel } from "./use-row-panel";
import { VoterRoleForm } from "./voter-role-form";

/** The list's state in the URL: the filters, the page size and the page. */
function listState(params: URLSearchParams): { filter: BallotFilter; size: number; index: number } {
  return {
    filter: {
      category: params.get("category") || null,
      unitId: params.get("unit") || null,
      voter: params.get("voter") || null,
    },
    ...pagingOf(params),
  };
}

/** A ballot's score or its grade, whichever it has. */
const ballotValue = (b: Ballot) => b.score ?? b.grade ?? "";

const keyOf = (b: Ballot) => `${b.category}\u0000${b.unitId}\u0000${b.voter}`;

/**
 * A cycle's ballots (票决), a page at a time, narrowed by category, unit and voter, for everyone;
 * an administrator on an open cycle also records one (or replaces one by its voter and unit),
 * corrects one's score or grade under its row, changes a voter's role on all their ballots of the
 * category, and deletes one, or, with a category chosen, all its ballots (or its voter's) at once:
 * the filter offers an administrator the categories a forced move left ballots in. A secret
 * vote's ballots are an administrator's only to list: anyone else is told so rather than shown a
 * refusal or, unnamed, fewer ballots.
 */
export function BallotSection(props: {
  session: Session;
  cycle: Cycle;
  choices: BallotChoices | null;
  /** The scheme's categories could not be read: the list is read without knowing which are secret. */
  choicesFailed: boolean;
}) {
  const { t } = useI18n();
  const { params } = useRoute();
  const { cycle, choices } = props;
  const paging = listState(params);
  const { filter, size } = paging;
  // Bumped after each write: the page is read again from the gateway, not patched here.
  const [revision, setRevision] = useState(0);
  const listing = ballotListing(props.session.role, filter.category, {
    current: choices,
    failed: props.choicesFailed,
  });
  const unlisted = unlistedSecretVotes(props.session.role, choices);
  const admin = atLeast(props.session.role, "admin");
  // An administrator's: the categories with ballots, a forced move's leftovers among them.
  const held = useQuery(admin ? cycle.id : null, (signal) => loadHeldCategories(cycle.id, signal), revision);
  const toDelete = useCountToDelete(admin ? cycle.id : null, filter, held.current, revision);
  const list = useListPage<BallotFilter, Ballot>(
    BALLOTS_LIST,
    listing === "read" ? cycle.id : null,
    paging,
    revision,
  );
  const shown = list.current;
  // As read with the page shown; while another page loads, as the cycle list has it.
  const status = shown?.status ?? cycle.status;
  const writable = admin && status === "OPEN";
  const filterProblems = fieldProblems(list.error, BALLOT_FILTER_FIELDS);
  // A refusal to delete the category's ballots (none left) is named at the filter holding it,
  // while the ballots it was for are the ones chosen.
  const deletionKey = `${cycle.id}\u0000${filter.category}\u0000${filter.voter}`;
  const [deletionRefused, setDeletionRefused] = useState<{ key: string; error: Error } | null>(null);
  const deletionProblems = fieldProblems(
    deletionRefused?.key === deletionKey ? deletionRefused.error : null,
    BALLOT_FILTER_FIELDS,
  );
  const [note, setNote] = useState<string | null>(null);
  // Where the focus goes when what it was on leaves the page (a row, a category's ballots): the
  // list's title, rather than the page.
  const title = useRef<HTMLHeadingElement>(null);
  const unitOf = (id: string) => named(id, choices?.units);
  const saved = (b: Ballot) => {
    const text = t("ballots.saved", { voter: b.voter, unit: unitOf(b.unitId), value: ballotValue(b) });
    setNote(passes(filter, b) ? text : `${text} ${t("ballots.savedHidden")}`);
    setRevision((r) => r + 1);
  };
  const deletable: BallotsToDelete | null =
    filter.category && toDelete
      ? {
          category: filter.category,
          categoryName: named(filter.category, choices?.voteCategories),
          voter: filter.voter,
          count: toDelete,
        }
      : null;
  const deletedAll = (which: BallotsToDelete, n: number) => {
    setNote(deletedNote(which, n, t));
    setRevision((r) => r + 1);
    title.current?.focus();
    // A category the version does not declare, left with no ballots, is one the list refuses as
    // unknown: the filter lets it go.
    // Unknown how many are left (the counts could not be read), only a delete of every voter's
    // is known to leave none.
    const declared = choices?.voteCategories.some((c) => c.id === which.category) ?? true;
    const before = held.current?.find((h) => h.category === which.category)?.ballots;
    const left = before === undefined ? (which.voter === null ? 0 : 1) : before - n;
    if (!declared && left <= 0) refilter({ category: null, voter: null });
  };
  return (
    <>
      <ErrorNote {...failedRead(filterProblems.elsewhere ? list : null, held)} />
      {!writable && (
        <p className="muted" data-testid="ballots-read-only">
          {status !== "OPEN"
            ? t("ballots.readOnlyFinalised")
            : t("ballots.readOnlyRole", { role: t(`role.${props.session.role}`) })}
        </p>
      )}
      {choices && choices.voteCategories.length === 0 && (
        <p className="muted" data-testid="no-vote-categories">
          {t("ballots.noVoteCategories")}
        </p>
      )}
      <BallotFilters
        filter={filter}
        size={size}
        choices={choices}
        held={held.current ?? []}
        version={cycle.schemeVersion}
        problems={{ ...filterProblems.fields, ...deletionProblems.fields }}
      />
      {writable && deletable && (
        <BallotsDeletion
          key={deletionKey}
          cycleId={cycle.id}
          which={deletable}
          unit={filter.unitId && unitOf(filter.unitId)}
          onDeleted={(n) => deletedAll(deletable, n)}
          onRefused={(error) => setDeletionRefused(error && { key: deletionKey, error })}
          onStale={() => setRevision((r) => r + 1)}
          onClose={(refused) => refused && setRevision((r) => r + 1)}
        />
      )}
      {listing === "secret" && (
        <SecretVoteNote
          cycleId={cycle.id}
          unitId={filter.unitId}
          text={t("ballots.secretChosen", {
            category: named(filter.category ?? "", choices?.voteCategories),
          })}
          testId="ballots-secret"
        />
      )}
      {!filter.category && unlisted.length > 0 && (
        <SecretVoteNote
          cycleId={cycle.id}
          unitId={filter.unitId}
          text={t("ballots.secretUnlisted", {
            categories: unlisted.map((c) => named(c.id, unlisted)).join(t("ballots.secretSeparator")),
          })}
          testId="ballots-secret-unlisted"
        />
      )}
      <StatusRegion>
        {note && (
          <p className="ok" data-testid="ballots-saved">
            {note}
          </p>
        )}
      </StatusRegion>
      {shown && (
        <BallotTable
          title={title}
          cycleId={cycle.id}
          page={shown}
          size={size}
          filtered={Boolean(filter.category || filter.unitId || filter.voter)}
          choices={choices}
          writable={writable}
          onSaved={saved}
          onDeleted={(b) => {
            setNote(t("ballots.deleted", { voter: b.voter, unit: unitOf(b.unitId) }));
            setRevision((r) => r + 1);
          }}
          onRoleSet={(b, changed) => {
            setNote(
              t(changed.length === 1 ? "ballots.roleSetOne" : "ballots.roleSet", {
                voter: b.voter,
                category: named(b.category, choices?.voteCategories),
                role: changed[0]?.role ?? t("ballots.noRole"),
                n: changed.length,
              }),
            );
            setRevision((r) => r + 1);
          }}
          onStale={() => setRevision((r) => r + 1)}
          onOpen={() => setNote(null)}
        />
      )}
      {(list.loading || listing === "wait") && !shown && <p>{t("loading")}</p>}
      {writable && choices && choices.voteCategories.length > 0 && (
        <div className="card stack fit">
          <h2 className="section">{t("ballots.record")}</h2>
          <BallotForm cycleId={cycle.id} choices={choices} filter={filter} onSaved={saved} />
        </div>
      )}
    </>
  );
}

function BallotFilters(props: {
  filter: BallotFilter;
  size: number;
  choices: BallotChoices | null;
  /** The categories with ballots, as an administrator reads them; none for anyone else. */
  held: readonly HeldCategory[];
  /** The cycle's scheme version, which the categories it does not declare a vote are said not to be in. */
  version: number;
  problems: Partial<Record<(typeof BALLOT_FILTER_FIELDS)[number], string>>;
}) {
  const { t } = useI18n();
  const { filter, problems } = props;
  const categories = withCurrent(
    ballotCategoryChoices(props.choices?.voteCategories ?? [], props.held, props.version, t),
    filter.category,
  );
  const units = withCurrent(props.choices?.units ?? [], filter.unitId);
  return (
    <div className="card toolbar fit" data-testid="ballots-filters">
      <FilterSelect
        testId="filter-category"
        label={t("category")}
        problem={problems.category}
        value={filter.category}
        any={t("ballots.anyCategory")}
        choices={categories}
        onPick={(category) => refilter({ category })}
      />
      <FilterSelect
        testId="filter-unit"
        label={t("unit")}
        problem={problems.unitId}
        value={filter.unitId}
        any={t("ballots.anyUnit")}
        choices={units.map(unitChoice)}
        onPick={(unit) => refilter({ unit })}
      />
      <VoterFilter value={filter.voter} problem={problems.voter} />
      <RowsField testId="filter-rows" size={props.size} />
    </div>
  );
}

/**
 * Why ballots are not listed: a secret vote's are an administrator's only. A unit's breakdown on
 * the Rankings page (that unit's, when the list is narrowed to one) gives their values.
 */
function SecretVoteNote(props: { cycleId: string; unitId: string | null; text: string; testId: string }) {
  const { t } = useI18n();
  return (
    <p className="muted" data-testid={props.testId}>
      {props.text}{" "}
      <a href={href("rankings", { cycle: props.cycleId, unit: props.unitId })}>
        {t("ballots.secretBreakdowns")}
      </a>
    </p>
  );
}

/**
 * A voter's id as the ballots give it (there is no roll of voters to pick from): applied on Enter
 * or on leaving the box, not at each key, so that a name half typed reads no page.
 */
function VoterFilter(props: { value: string | null; problem: string | undefined }) {
  const { t } = useI18n();
  const [text, setText] = useState(props.value ?? "");
  // A voter cleared or set by the link (another tab, Back) shows in the box.
  useEffect(() => setText(props.value ?? ""), [props.value]);
  const apply = () => {
    const voter = text.trim();
    if (voter !== (props.value ?? "")) refilter({ voter: voter || null });
  };
  return (
    <Field testId="filter-voter" label={t("ballots.voter")} problem={props.problem}>
      {(a) => (
        <input
          {...a}
          size={14}
          placeholder={t("ballots.anyVoter")}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={apply}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.nativeEvent.isComposing) apply();
          }}
        />
      )}
    </Field>
  );
}

/** What is open under a row: the ballot's correction, its voter's role, or the confirmation of its deletion. */
type Panel = "edit" | "role" | "delete";

/** The draft of a row's editor: its ballot's correction, or its voter's role. */
const editorDraft = (panel: "edit" | "role", cycleId: string, row: string) =>
  `ballots.${panel}.${cycleId}.${encodeURIComponent(row)}`;

function BallotTable(props: {
  title: RefObject<HTMLHeadingElement | null>;
  cycleId: string;
  page: ListPage<Ballot>;
  size: number;
  filtered: boolean;
  choices: BallotChoices | null;
  writable: boolean;
  onSaved: (saved: Ballot) => void;
  onDeleted: (deleted: Ballot) => void;
  onRoleSet: (ballot: Ballot, changed: Ballot[]) => void;
  /** A refusal that says the page is out of date was read: read it again. */
  onStale: () => void;
  onOpen: () => void;
}) {
  const { t } = useI18n();
  const { page } = props;
  // One row's correction, role or delete confirmation open at a time; an editor comes back with its draft.
  const [open, setOpen] = useRowPanel<Panel>(`ballots.open.${props.cycleId}`, {
    edit: (row) => editorDraft("edit", props.cycleId, row),
    role: (row) => editorDraft("role", props.cycleId, row),
  });
  const count = t(page.totalCount === 1 ? "ballots.countOne" : "ballots.count", { n: page.totalCount });
  const { title } = props;
  return (
    <div className="card stack">
      <h2 className="section" ref={title} tabIndex={-1}>
        {t("ballots.title")}
      </h2>
      <ListTable
        name="ballots"
        page={page}
        size={props.size}
        count={count}
        none={t(props.filtered ? "ballots.none" : "ballots.noneAtAll")}
        header={
          <>
            <th>{t("category")}</th>
            <th>{t("unit")}</th>
            <th>{t("ballots.voter")}</th>
            <th>{t("role")}</th>
            <th className="num">{t("ballots.value")}</th>
            {props.writable && <th />}
          </>
        }
        onGo={() => setOpen(null)}
      >
        {page.rows.map((b) => (
          <BallotRow
            key={keyOf(b)}
            cycleId={props.cycleId}
            ballot={b}
            choices={props.choices}
            columns={props.writable ? 6 : 5}
            writable={props.writable}
            panel={open?.row === keyOf(b) ? open.panel : null}
            onOpen={(panel) => {
              setOpen(panel ? { row: keyOf(b), panel } : null);
              props.onOpen();
            }}
            onSaved={(saved) => {
              setOpen(null);
              props.onSaved(saved);
            }}
            onDeleted={() => {
              setOpen(null);
              title.current?.focus();
              props.onDeleted(b);
            }}
            onRoleSet={(changed) => {
              setOpen(null);
              props.onRoleSet(b, changed);
            }}
            onStale={props.onStale}
          />
        ))}
      </ListTable>
    </div>
  );
}

function BallotRow(props: {
  cycleId: string;
  ballot: Ballot;
  choices: BallotChoices | null;
  columns: number;
  writable: boolean;
  panel: Panel | null;
  onOpen: (panel: Panel | null) => void;
  onSaved: (saved: Ballot) => void;
  onDeleted: () => void;
  onRoleSet: (changed: Ballot[]) => void;
  onStale: () => void;
}) {
  const { t } = useI18n();
  const b = props.ballot;
  const unit = named(b.unitId, props.choices?.units);
  const category = named(b.category, props.choices?.voteCategories);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const roleButton = useRef<HTMLButtonElement>(null);
  /** A panel closed: back to the button that opened it; after a refusal, the page is read again. */
  const closed = (button: HTMLButtonElement | null, refused: boolean) => {
    props.onOpen(null);
    button?.focus();
    if (refused) props.onStale();
  };
  const toggle = (panel: Panel) => props.onOpen(props.panel === panel ? null : panel);
  const names = { voter: b.voter, unit };
  return (
    <>
      <tr
        data-category={b.category}
        data-unit={b.unitId}
        data-voter={b.voter}
        className={props.panel ? "selected" : ""}
      >
        <td>{category}</td>
        <td>{unit}</td>
        <td>{b.voter}</td>
        <td>{b.role ?? ""}</td>
        <td className="num" data-testid="ballot-value">
          {ballotValue(b)}
        </td>
        {props.writable && (
          <td>
            <button
              type="button"
              ref={editButton}
              data-testid="ballot-edit"
              aria-label={t("ballots.correctTitle", names)}
              aria-expanded={props.panel === "edit"}
              onClick={() => toggle("edit")}
            >
              {t("ballots.correct")}
            </button>{" "}
            <button
              type="button"
              ref={roleButton}
              data-testid="ballot-change-role"
              aria-label={t("ballots.roleLabel", { voter: b.voter, category })}
              aria-expanded={props.panel === "role"}
              onClick={() => toggle("role")}
            >
              {t("ballots.changeRole")}
            </button>{" "}
            <button
              type="button"
              ref={deleteButton}
              data-testid="ballot-delete"
              aria-label={t("ballots.deleteLabel", names)}
              aria-expanded={props.panel === "delete"}
              onClick={() => toggle("delete")}
            >
              {t("ballots.delete")}
            </button>
          </td>
        )}
      </tr>
      {props.panel === "edit" && props.choices && (
        <tr className="row-editor">
          <td colSpan={props.columns}>
            <BallotCorrection
              draft={editorDraft("edit", props.cycleId, keyOf(b))}
              cycleId={props.cycleId}
              choices={props.choices}
              stored={b}
              title={t("ballots.correctTitle", names)}
              onSaved={(saved) => {
                editButton.current?.focus();
                props.onSaved(saved);
              }}
              onClose={(refused) => closed(editButton.current, refused)}
            />
          </td>
        </tr>
      )}
      {props.panel === "role" && props.choices && (
        <tr className="row-editor">
          <td colSpan={props.columns}>
            <VoterRoleForm
              draft={editorDraft("role", props.cycleId, keyOf(b))}
              cycleId={props.cycleId}
              choices={props.choices}
              ballot={b}
              categoryName={category}
              onSaved={(changed) => {
                roleButton.current?.focus();
                props.onRoleSet(changed);
              }}
              onClose={(refused) => closed(roleButton.current, refused)}
            />
          </td>
        </tr>
      )}
      {props.panel === "delete" && (
        <tr className="row-editor">
          <td colSpan={props.columns}>
            <DeleteConfirmation
              name="ballot"
              question={t("ballots.deleteQuestion", names)}
              detail={`${category} · ${b.role ?? "—"} · ${ballotValue(b)}`}
              warning={t("ballots.deleteWarning")}
              confirm={t("ballots.deleteConfirm", names)}
              reasons={{
                gone: t("ballots.deleteRefused.gone"),
                finalised: t("ballots.deleteRefused.finalised"),
                forbidden: t("ballots.deleteRefused.forbidden"),
              }}
              refusedText={(reason) => t("ballots.deleteRefused", { voter: b.voter, reason })}
              remove={() => deleteBallot(props.cycleId, b)}
              onDeleted={props.onDeleted}
              // The row may then be gone, or the page read-only.
              onClose={(refused) => closed(deleteButton.current, refused)}
            />
          </td>
        </tr>
      )}
    </>
  );
}
