import { useId } from "react";
import { useI18n } from "../i18n";
import { href } from "../router";
import type { SchemeDocument } from "../whatif-api";
import type { OneSidedUnit } from "../year-on-year-api";

/** One cycle's list: the units only it holds, as the page names it, under its own scheme. */
export interface OneSidedList {
  side: "before" | "after";
  cycleId: string;
  /** How the page names the cycle (2018, or its id where two cycles share a year). */
  name: string;
  scheme: SchemeDocument;
  units: readonly OneSidedUnit[];
}

/**
 * The units only one of the two cycles holds (a bureau merged away, a department set up): not
 * compared, each with its result in its own cycle and a link to it there. Nothing where the two
 * cycles hold the same units.
 */
export function OneSidedUnits({ lists }: { lists: readonly OneSidedList[] }) {
  const { t } = useI18n();
  const id = useId();
  const shown = lists.filter((l) => l.units.length > 0);
  if (shown.length === 0) return null;
  return (
    <section className="card" data-testid="yoy-one-sided" aria-labelledby={`${id}-title`}>
      {/* Its own section: under the chart's or the reasons' heading it would read as theirs. */}
      <h2 className="section" id={`${id}-title`}>
        {t("yoy.oneSided.title")}
      </h2>
      <p className="muted">{t("yoy.oneSided.why")}</p>
      {shown.map((l) => (
        <section key={l.side} data-testid={`yoy-only-${l.side}`}>
          <h3 id={`${id}-${l.side}`}>{t("yoy.oneSided.only", { cycle: l.name, count: l.units.length })}</h3>
          <OneSidedTable list={l} labelledBy={`${id}-${l.side}`} />
        </section>
      ))}
    </section>
  );
}

/** A list's table, named by its heading (`labelledBy`, the heading's id). */
function OneSidedTable({ list, labelledBy }: { list: OneSidedList; labelledBy: string }) {
  const { t } = useI18n();
  const groupName = (id: string) => list.scheme.groups.find((g) => g.id === id)?.name ?? id;
  return (
    <table className="ranking" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">{t("unit")}</th>
          <th scope="col">{t("group")}</th>
          <th scope="col" className="num">
            {t("yoy.rank", { cycle: list.name })}
          </th>
          <th scope="col" className="num">
            {t("yoy.total", { cycle: list.name })}
          </th>
          <th scope="col">{t("grade")}</th>
          <th scope="col">{t("yoy.oneSided.open")}</th>
        </tr>
      </thead>
      <tbody>
        {list.units.map(({ unitId, name, standing: s }) => (
          <tr key={unitId} data-unit={unitId}>
            {/* The row's header: a screen reader names each figure of the row by the unit. */}
            <th scope="row" className="name">
              {name}
            </th>
            <td>{groupName(s.group)}</td>
            <td className="num">{s.rank ?? "—"}</td>
            <td className="num total">{s.total ?? "—"}</td>
            {/* As the table names a side's grades: by the scheme it was given under, its own cycle's
                (the comparison's table names its base column's by the base cycle's scheme too); the id
                where the scheme names none, "—" for none. */}
            <td data-testid="grade">{s.gradeName ?? s.grade ?? "—"}</td>
            {/* Its panel in the cycle that holds it: the comparison has no row of it to pick. That page
                is of that cycle, and the menu carries it there: said on the link, not found out after. */}
            <td>
              {/* Named by the unit too: a list of links all called "2018 ranking" tells a screen
                  reader's list of links nothing; the visible words stay part of the name. */}
              <a
                href={href("rankings", { cycle: list.cycleId, unit: unitId })}
                title={t("yoy.oneSided.openTitle", { cycle: list.name })}
                aria-label={t("yoy.oneSided.openUnitIn", { unit: name, cycle: list.name })}
              >
                {t("yoy.oneSided.openIn", { cycle: list.name })}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
