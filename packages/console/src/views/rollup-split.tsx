import { approximateFraction, exactLabel, padDecimals } from "../format";
import { useI18n } from "../i18n";
import { countOf, type SubUnitCount, subUnitsOf } from "../rollup-sub-units";
import type { RollupPart, RollupValues } from "../whatif-api";
import { signClass } from "./compare-panel";
import type { SideNames } from "./why-moved";

/**
 * How much of a parent's move came from its sub-units: each part its roll-ups blend into (a
 * category, or the total) split into its own result and what its sub-units put in, on both sides
 * and as the change, in `places` decimals as the totals beside it. Nothing for a unit without
 * roll-ups. The sides are named `sides` (two cycles' years), else the baseline and the scenario.
 */
export function RollupSplit({
  parts,
  places,
  sides,
}: {
  parts: readonly RollupPart[];
  places: number;
  sides?: SideNames;
}) {
  const { t } = useI18n();
  if (parts.length === 0) return null;
  const names = sides ?? { baseline: t("whatif.baseline"), scenario: t("whatif.scenario") };
  // A note's side in a sentence: "the scenario" there, the year itself here.
  const inSide = sides ?? { baseline: t("whatif.inBaseline"), scenario: t("whatif.inScenario") };
  // A mean over three sub-units is a fraction ("40/3"): shown as its decimal, the exact value kept for a tooltip and a screen reader.
  const figure = (v: string | null) =>
    v === null ? "—" : (approximateFraction(v, places) ?? padDecimals(v, places));
  // A change is signed both ways, so that its own loss and its sub-units' gain read as such side by side.
  const change = (v: string | null) => {
    const shown = figure(v);
    return signClass(v) === "up" ? shown.replace(/^(≈ )?/, "$1+") : shown;
  };
  const cell = (v: string | null, show: (v: string | null) => string = figure) =>
    v?.includes("/") ? (
      <td className="num" title={v} aria-label={exactLabel(v, places)}>
        {show(v)}
      </td>
    ) : (
      <td className="num">{show(v)}</td>
    );
  const count = (c: SubUnitCount | null) => (c === null ? "—" : String(c.subUnits));
  return (
    <div data-testid="why-rollups">
      <h3>{t("whatif.rollups")}</h3>
      {parts.map((p) => {
        const name = p.into === "TOTAL" ? t("total") : p.name;
        const subUnits = subUnitsOf(p);
        if (subUnits.baseline === "unread" && subUnits.scenario === "unread") {
          return (
            <p
              key={`${p.into}:${p.category ?? ""}`}
              data-testid="why-rollup"
              data-part={p.category ?? "total"}
            >
              {t("whatif.rollupUnreadBoth", { part: name, ...inSide })}
            </p>
          );
        }
        const before = countOf(subUnits.baseline);
        const after = countOf(subUnits.scenario);
        // The label counts the side whose sub-units were read, never one that read none.
        const shown = after ?? before;
        const from =
          before !== null && after !== null && before.subUnits !== after.subUnits
            ? t("whatif.rollupFromMoved", { before: count(before), after: count(after) })
            : shown === null
              ? t("whatif.rollupFromNone")
              : t("whatif.rollupFrom", { count: count(shown) });
        const unread = (["baseline", "scenario"] as const).filter((side) => subUnits[side] === "unread");
        const missing = after?.withoutResult ?? 0;
        const row = (label: string, v: RollupValues, testId: string) => (
          <tr data-testid={testId}>
            <th scope="row">{label}</th>
            {cell(v.baseline)}
            {cell(v.scenario)}
            {cell(v.delta, change)}
          </tr>
        );
        return (
          <div
            key={`${p.into}:${p.category ?? ""}`}
            data-testid="why-rollup"
            data-part={p.category ?? "total"}
          >
            <p data-testid="why-rollup-summary">
              {t("whatif.rollupSummary", {
                part: name,
                own: change(p.own.delta),
                from: change(p.fromSubUnits.delta),
                subUnits: from,
              })}
              {missing > 0 && (
                <span className="muted">
                  {" "}
                  ({t("whatif.rollupWithoutResult", { count: missing, side: inSide.scenario })})
                </span>
              )}
              {unread.map((side) => (
                <span key={side} className="muted" data-testid="why-rollup-unread">
                  {" "}
                  ({t("whatif.rollupUnread", { part: name, side: inSide[side] })})
                </span>
              ))}
            </p>
            <table>
              <caption className="muted">
                {t("whatif.rollupPart", { part: name, rollups: p.rollupIds.join(", ") })}
              </caption>
              <thead>
                <tr>
                  <td />
                  <th className="num">{names.baseline}</th>
                  <th className="num">{names.scenario}</th>
                  <th className="num">{t("whatif.delta")}</th>
                </tr>
              </thead>
              <tbody>
                {row(t("whatif.rollupOwn"), p.own, "why-rollup-own")}
                {row(from, p.fromSubUnits, "why-rollup-from")}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
