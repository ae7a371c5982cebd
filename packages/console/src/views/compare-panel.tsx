import { padDecimals, placesOf } from "../format";
import { useI18n } from "../i18n";
import { type Comparison, loadComparison } from "../queries";
import { updateParams } from "../router";
import { useQuery } from "../use-query";
import { ErrorNote, failedRead } from "./cycle-picker";

/** Two units side by side: each category's points and the difference, with the engine's summary. */
export function ComparePanel(props: {
  cycleId: string;
  a: string;
  b: string;
  /** After the panel is closed: where the focus goes back to. */
  onClose?: () => void;
}) {
  const { cycleId, a, b } = props;
  const { t } = useI18n();
  const key = JSON.stringify([cycleId, a, b]);
  const q = useQuery(key, (s) => loadComparison(cycleId, a, b, s));
  // Not `data`: the previous pair's comparison stays there while this one loads.
  const c = q.current;
  return (
    <div className="card panel" data-testid="compare-panel">
      <button
        type="button"
        className="close"
        onClick={() => {
          updateParams({ compare: null });
          props.onClose?.();
        }}
        aria-label={t("close")}
      >
        ×
      </button>
      <ErrorNote {...failedRead(q)} />
      {!c && !q.error && <p>{t("loading")}</p>}
      {c && (
        <>
          <h2>{t("compare")}</h2>
          <p>{c.summary}</p>
          <ComparisonTable c={c} />
        </>
      )}
    </div>
  );
}

/** Each category's points side by side, then what adjusts the total: the column adds up to the total's difference. */
export function ComparisonTable({ c }: { c: Comparison }) {
  const { t } = useI18n();
  // The gateway writes a difference exactly ("1.4"): shown with the decimals of the scores beside
  // it ("1.40"), padded, never recomputed or rounded.
  const totalPlaces = placesOf(c.a.total ?? c.b.total);
  const shown = (difference: string | null, places: number) =>
    difference === null ? "—" : padDecimals(difference, places);
  return (
    <table>
      <thead>
        <tr>
          <th />
          <th className="num">A · {c.a.name}</th>
          <th className="num">B · {c.b.name}</th>
          <th className="num">{t("difference")}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{t("rank")}</td>
          <td className="num">{c.a.rank ?? "—"}</td>
          <td className="num">{c.b.rank ?? "—"}</td>
          <td />
        </tr>
        {c.categories.map((x) => (
          <tr key={x.category}>
            <td>{x.name}</td>
            <td className="num">{x.a ?? "—"}</td>
            <td className="num">{x.b ?? "—"}</td>
            <td className={`num ${signClass(x.difference)}`}>
              {shown(x.difference, placesOf(x.a ?? x.b, totalPlaces))}
            </td>
          </tr>
        ))}
        <tr>
          <td>{t("adjustments")}</td>
          <td />
          <td />
          <td className={`num ${signClass(c.adjustmentDifference)}`}>
            {shown(c.adjustmentDifference, totalPlaces)}
          </td>
        </tr>
        {/* Without this row the column would not add up to the total's difference. */}
        {c.otherDifference !== null && signClass(c.otherDifference) !== "" && (
          <tr>
            <td>{t("compare.other")}</td>
            <td />
            <td />
            <td className={`num ${signClass(c.otherDifference)}`}>{shown(c.otherDifference, totalPlaces)}</td>
          </tr>
        )}
        <tr className="total">
          <td>{t("total")}</td>
          <td className="num">{c.a.total ?? "—"}</td>
          <td className="num">{c.b.total ?? "—"}</td>
          <td className={`num ${signClass(c.totalDifference)}`}>{shown(c.totalDifference, totalPlaces)}</td>
        </tr>
      </tbody>
    </table>
  );
}

export const signClass = (v: string | null | undefined): string =>
  !v || /^-?0(\.0*)?$/.test(v) ? "" : v.startsWith("-") ? "down" : "up";
