import { formatDateTime } from "../format";
import { useI18n } from "../i18n";
import { href } from "../router";
import type { SavedScenario } from "../scenarios-api";
import { ErrorNote, failedRead, type Read } from "./cycle-picker";

/** Where a saved scenario opens: the What-if page's link to it, the one its share link gives. */
export const scenarioHref = (cycleId: string, id: string): string =>
  href("whatif", { cycle: cycleId, scenario: id });

/**
 * The cycle's saved scenarios the caller can see (their own, and everyone's shared ones), each
 * opened by its link; the one on screen marked.
 */
export function ScenarioList(props: {
  cycleId: string;
  scenarios: SavedScenario[] | null;
  /** The read of the list, for its failure. */
  read: Read;
  /** The scenario on screen, or null. */
  current: string | null;
  /** The session's subject: scenarios it owns are the caller's own. */
  subject: string;
}) {
  const { t, lang } = useI18n();
  const { scenarios, current, subject } = props;
  return (
    <details className="card" data-testid="scenario-list" open={current === null}>
      <summary>
        <h2 className="section" style={{ display: "inline" }}>
          {t("scenarios.title")}
          {scenarios ? ` (${scenarios.length})` : ""}
        </h2>
      </summary>
      <ErrorNote {...failedRead(props.read)} />
      {scenarios && scenarios.length === 0 && <p className="muted">{t("scenarios.none")}</p>}
      {scenarios && scenarios.length > 0 && (
        <div className="scroll-x">
          <table>
            <thead>
              <tr>
                <th>{t("scenarios.name")}</th>
                <th>{t("scenarios.description")}</th>
                <th>{t("scenarios.owner")}</th>
                <th>{t("scenarios.sharing")}</th>
                <th>{t("scenarios.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {scenarios.map((s) => (
                <tr
                  key={s.id}
                  data-scenario={s.id}
                  className={s.id === current ? "selected" : undefined}
                  aria-current={s.id === current ? "true" : undefined}
                >
                  <td className="name">
                    <a href={scenarioHref(props.cycleId, s.id)}>{s.name}</a>
                  </td>
                  <td className="muted">{s.description ?? ""}</td>
                  <td data-testid="scenario-owner">
                    {s.owner === subject ? t("scenarios.you", { owner: s.owner }) : s.owner}
                  </td>
                  <td data-testid="scenario-sharing">
                    {s.shared ? t("scenarios.shared") : t("scenarios.private")}
                  </td>
                  <td data-testid="scenario-updated">{formatDateTime(s.updatedAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
