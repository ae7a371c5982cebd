import type { BallotChoices } from "../ballots-api";
import { fieldProblems } from "../field-problems";
import { useI18n } from "../i18n";
import type { Cycle } from "../queries";
import { useRoute } from "../router";
import { type SurveyTally, TALLIES_LIST, TALLY_FILTER_FIELDS, type TallyFilter } from "../survey-tallies-api";
import { ErrorNote, failedRead } from "./cycle-picker";
import { FilterSelect, unitChoice } from "./filter-select";
import { ListTable } from "./list-table";
import { named, withCurrent } from "./named";
import { RowsField } from "./page-controls";
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
 * answer), so that a unit's groups read one after another as the paper forms are sorted. Read-only
 * for every role: the forms are anonymous, and only imports load or remove them.
 */
export function TallySection(props: { cycle: Cycle; choices: BallotChoices | null }) {
  const { t } = useI18n();
  const { params } = useRoute();
  const { cycle, choices } = props;
  const paging = listState(params);
  const { filter, size } = paging;
  // Nothing here writes the forms: the list is read again only when the link changes.
  const list = useListPage<TallyFilter, SurveyTally>(TALLIES_LIST, cycle.id, paging, 0);
  const shown = list.current;
  const problems = fieldProblems(list.error, TALLY_FILTER_FIELDS);
  const surveys = choices?.surveyCategories ?? [];
  const categories = withCurrent(surveys, filter.category);
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
  return (
    <>
      <ErrorNote {...failedRead(problems.elsewhere ? list : null)} />
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
      {shown && count && (
        <div className="card stack">
          <h2 className="section">{t("tallies.title")}</h2>
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
