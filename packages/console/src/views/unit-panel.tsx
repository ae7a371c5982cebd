import { useI18n } from "../i18n";
import { loadBreakdown } from "../queries";
import { updateParams } from "../router";
import { useQuery } from "../use-query";
import { ErrorNote, failedRead } from "./cycle-picker";
import { Flags } from "./flags";

/**
 * One unit's breakdown: category points with each category's trace, adjustments, eligibility.
 * `revision` is the ranking's (live-updates.ts): the breakdown is read again with the table, so
 * the two agree; null holds the first read back until the ranking's reads may start.
 */
export function UnitPanel({
  cycleId,
  unitId,
  revision,
  onClose,
}: {
  cycleId: string;
  unitId: string;
  revision: number | null;
  /** After the panel is closed: where the focus goes back to. */
  onClose?: () => void;
}) {
  const { t } = useI18n();
  const key = revision === null ? null : JSON.stringify([cycleId, unitId]);
  const q = useQuery(key, (s) => loadBreakdown(cycleId, unitId, s), revision ?? 0);
  // Not `data`: the previous unit's breakdown stays there while this one's loads.
  const b = q.current;
  return (
    <div className="card panel" data-testid="unit-panel" aria-busy={q.loading}>
      <button
        type="button"
        className="close"
        onClick={() => {
          updateParams({ unit: null });
          onClose?.();
        }}
        aria-label={t("close")}
      >
        ×
      </button>
      <ErrorNote {...failedRead(q)} />
      {!b && !q.error && <p>{t("loading")}</p>}
      {b && (
        <>
          <h2>{b.name}</h2>
          <p className="headline">
            {t("total")} <strong>{b.total ?? "—"}</strong> · {t("rank")} {b.rank ?? "—"}/{b.rankedInGroup} ·{" "}
            {b.grade?.name ?? ""} <Flags flags={b.flags} />
          </p>
          <h3>{t("breakdown")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("category")}</th>
                <th className="num">{t("points")}</th>
                <th className="num">{t("maxPoints")}</th>
                <th className="num">{t("deducted")}</th>
              </tr>
            </thead>
            <tbody>
              {b.categories.map((c) => (
                <tr key={c.category}>
                  <td>
                    <details>
                      <summary>{c.name}</summary>
                      <ol className="trace">
                        {c.trace.map((s, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: a trace is fixed and ordered
                          <li key={i}>
                            <span className="step">{s.step}</span> {s.text}
                          </li>
                        ))}
                        {c.reason && <li className="error">{c.reason}</li>}
                      </ol>
                    </details>
                  </td>
                  <td className="num">{c.points ?? "—"}</td>
                  <td className="num">{c.maxPoints}</td>
                  <td className="num">{c.deducted}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {b.adjustments.length > 0 && (
            <>
              <h3>{t("adjustments")}</h3>
              <ul>
                {b.adjustments.map((a) => (
                  <li key={`${a.record}-${a.type}`}>
                    {a.points} · {a.type} ({a.level}) — {a.basis}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t("eligibility")}</h3>
          <p>
            {t("eligibleExcellence")}: {b.eligibility.excellence ? t("yes") : t("no")} · {t("eligibleAward")}:{" "}
            {b.eligibility.award ? t("yes") : t("no")}
          </p>
          {b.eligibility.reasons.length > 0 && (
            <ul>
              {b.eligibility.reasons.map((r) => (
                <li key={r.text}>{r.text}</li>
              ))}
            </ul>
          )}
          <h3>{t("explanation")}</h3>
          <ol className="trace" data-testid="trace">
            {b.trace.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a trace is fixed and ordered
              <li key={i}>
                <span className="step">{s.step}</span> {s.text}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
