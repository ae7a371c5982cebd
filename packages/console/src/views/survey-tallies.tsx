import { useRef, useState } from "react";
import { atLeast, type Session } from "../auth";
import type { BallotChoices } from "../ballots-api";
import { fieldProblems } from "../field-problems";
import { useI18n } from "../i18n";
import type { Cycle } from "../queries";
import { useRoute } from "../router";
import {
  countSurveyForms,
  loadSurveyCategories,
  type SurveyTally,
  TALLIES_LIST,
  TALLY_FILTER_FIELDS,
  type TallyFilter,
} from "../survey-tallies-api";
import { useQuery } from "../use-query";
import { ErrorNote, failedRead } from "./cycle-picker";
import { FilterSelect, unitChoice } from "./filter-select";
import { ListTable } from "./list-table";
import { named, withCurrent } from "./named";
import { RowsField } from "./page-controls";
import { StatusRegion } from "./status-region";
import { surveyCategoryChoices } from "./survey-category-choices";
import { deletedFormsNote, type FormsNamed, SurveyFormsDeletion } from "./survey-forms-deletion";
import { pagingOf, refilter, useListPage } from "./use-list-page";

/** The list's state in the URL: the filters (the respondent group as `group`), the page size and the page. */
function listState(params: URLSearchParams): { filter: TallyFilter; size: number; index: number } {
  return {
    filter: {
      category: params.get("category") || null,
      unitId: params.get("unit") || null,
      respondentGroup: params.get("group") || null,
    },
    ...pagingOf(params),
  };
}

/**
 * A cycle's survey forms (开门评议 测评表) counted per category, unit, respondent group and answer, a
 * page at a time as the gateway pages them: one row a count, in its order (category, unit, group,
 * answer), so that a unit's groups read one after another as the paper forms are sorted. The forms
 * are anonymous: imports load and remove them, and an administrator on an open cycle deletes those
 * the filters name, a category chosen (deleteSurveyForms).
 */
export function TallySection(props: { session: Session; cycle: Cycle; choices: BallotChoices | null }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const { cycle, choices } = props;
  const paging = listState(params);
  const { filter, size } = paging;
  // Bumped after a deletion: the page is read again from the gateway, not patched here.
  const [revision, setRevision] = useState(0);
  const list = useListPage<TallyFilter, SurveyTally>(TALLIES_LIST, cycle.id, paging, revision);
  const shown = list.current;
  const admin = atLeast(props.session.role, "admin");
  // As read with the page shown; while another page loads, as the cycle list has it.
  const writable = admin && (shown?.status ?? cycle.status) === "OPEN";
  // An administrator's: the categories with forms, a forced move's leftovers among them (a pass
  // over the cycle's forms, not asked for anyone who cannot delete them).
  const held = useQuery(
    admin ? cycle.id : null,
    (signal) => loadSurveyCategories(cycle.id, signal),
    revision,
  );
  const filterKey = `${cycle.id}\u0000${filter.category}\u0000${filter.unitId}\u0000${filter.respondentGroup}`;
  // Every page's forms: what deleting takes, and the number the gateway confirms.
  const formCount = useQuery(
    writable && filter.category ? filterKey : null,
    (signal) => countSurveyForms(cycle.id, filter, signal),
    revision,
  );
  const [note, setNote] = useState<string | null>(null);
  // A refusal to delete (none left) is named at the filter box it is about, while it is chosen.
  const [deletionRefused, setDeletionRefused] = useState<{ key: string; error: Error } | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const problems = fieldProblems(
    list.error ?? (deletionRefused?.key === filterKey ? deletionRefused.error : null),
    TALLY_FILTER_FIELDS,
  );
  const surveys = choices?.surveyCategories ?? [];
  const categories = withCurrent(
    surveyCategoryChoices(surveys, held.current ?? [], cycle.schemeVersion, t),
    filter.category,
  );
  const units = withCurrent(choices?.units ?? [], filter.unitId);
  // The chosen category's groups; with none chosen, every survey category's.
  const chosen = surveys.filter((c) => !filter.category || c.id === filter.category);
  const groupIds = [...new Set(chosen.flatMap((c) => c.respondentGroups))];
  const groups = withCurrent(
    groupIds.map((id) => ({ id, name: id })),
    filter.respondentGroup,
  );
  const count =
    shown && t(shown.totalCount === 1 ? "tallies.countOne" : "tallies.count", { n: shown.totalCount });
  const filtered = Boolean(filter.category || filter.unitId || filter.respondentGroup);
  const deletable: FormsNamed | null =
    filter.category && formCount.current
      ? {
          category: filter.category,
          categoryName: named(filter.category, surveys),
          unitId: filter.unitId,
          unitName: filter.unitId && named(filter.unitId, choices?.units),
          respondentGroup: filter.respondentGroup,
          expected: formCount.current,
        }
      : null;
  return (
    <>
      <ErrorNote {...failedRead(problems.elsewhere ? list : null, formCount, held)} />
      <div className="card toolbar fit" data-testid="tallies-filters">
        <FilterSelect
          testId="filter-category"
          label={t("category")}
          problem={problems.fields.category}
          value={filter.category}
          any={t("ballots.anyCategory")}
          choices={categories}
          onPick={(category) => refilter({ category })}
        />
        <FilterSelect
          testId="filter-unit"
          label={t("unit")}
          problem={problems.fields.unitId}
          value={filter.unitId}
          any={t("ballots.anyUnit")}
          choices={units.map(unitChoice)}
          onPick={(unit) => refilter({ unit })}
        />
        <FilterSelect
          testId="filter-group"
          label={t("tallies.respondentGroup")}
          problem={problems.fields.respondentGroup}
          value={filter.respondentGroup}
          any={t("tallies.anyGroup")}
          choices={groups}
          onPick={(group) => refilter({ group })}
        />
        <RowsField testId="filter-rows" size={size} />
      </div>
      {deletable && (
        <SurveyFormsDeletion
          key={filterKey}
          cycleId={cycle.id}
          which={deletable}
          onDeleted={(n) => {
            setNote(deletedFormsNote(deletable, n, t));
            setRevision((r) => r + 1);
            title.current?.focus();
            // A category the version does not declare, left with no forms, is one the list refuses
            // as unknown: the filters let it go.
            const declared = surveys.some((c) => c.id === deletable.category);
            // Unknown how many are left (the counts could not be read), only a delete of the whole
            // category's is known to leave none.
            const before = held.current?.find((h) => h.category === deletable.category)?.forms;
            const whole = deletable.unitId === null && deletable.respondentGroup === null;
            const left = before === undefined ? (whole ? 0 : 1) : before - n;
            if (!declared && left <= 0) refilter({ category: null, unit: null, group: null });
          }}
          onRefused={(error) => setDeletionRefused(error && { key: filterKey, error })}
          onStale={() => setRevision((r) => r + 1)}
          onClose={(refused) => refused && setRevision((r) => r + 1)}
        />
      )}
      <StatusRegion>
        {note && (
          <p className="ok" data-testid="forms-deleted">
            {note}
          </p>
        )}
      </StatusRegion>
      {shown && count && (
        <div className="card stack">
          <h2 className="section" ref={title} tabIndex={-1}>
            {t("tallies.title")}
          </h2>
          <p className="muted">{t("tallies.help")}</p>
          <ListTable
            name="tallies"
            page={shown}
            size={size}
            count={count}
            none={t(filtered ? "tallies.none" : "tallies.noneAtAll")}
            header={
              <>
                <th>{t("category")}</th>
                <th>{t("unit")}</th>
                <th>{t("tallies.respondentGroup")}</th>
                <th>{t("tallies.answer")}</th>
                <th className="num">{t("tallies.forms")}</th>
              </>
            }
          >
            {shown.rows.map((r) => (
              <tr
                key={`${r.category}\u0000${r.unitId}\u0000${r.respondentGroup}\u0000${r.answer}`}
                data-unit={r.unitId}
                data-group={r.respondentGroup}
                data-answer={r.answer}
              >
                <td>{named(r.category, surveys)}</td>
                <td>{named(r.unitId, choices?.units)}</td>
                <td>{r.respondentGroup}</td>
                <td>{r.answer}</td>
                <td className="num" data-testid="tally-count">
                  {r.count}
                </td>
              </tr>
            ))}
          </ListTable>
        </div>
      )}
      {list.loading && !shown && <p>{t("loading")}</p>}
    </>
  );
}
