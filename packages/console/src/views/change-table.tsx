import { type Translate, useI18n } from "../i18n";
import type { SchemeChange } from "../rules-api";

const show = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);

/**
 * A change's kind in words, with the gateway's guess of a rename beside it: a category id mistyped
 * in a draft reads as one removed and one added, which an administrator should see as one.
 */
export function changeWords(change: SchemeChange, t: Translate): string {
  const kind = t(`rules.change.${change.kind}`);
  if (change.kind === "REMOVED" && change.renamedTo)
    return t("rules.renamedTo", { kind, id: change.renamedTo });
  if (change.kind === "ADDED" && change.renamedFrom)
    return t("rules.renamedFrom", { kind, id: change.renamedFrom });
  return kind;
}

/** Every change, path by path; `testId` tells apart two tables on one page (default "diff"). */
export function ChangeTable({ changes, testId = "diff" }: { changes: SchemeChange[]; testId?: string }) {
  const { t } = useI18n();
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>{t("rules.path")}</th>
          <th />
          <th>{t("rules.before")}</th>
          <th>{t("rules.after")}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} className={`change-${c.kind.toLowerCase()}`}>
            <td>
              <code>{c.path}</code>
            </td>
            <td>{changeWords(c, t)}</td>
            <td className="before">
              <pre className="json">{show(c.before)}</pre>
            </td>
            <td className="after">
              <pre className="json">{show(c.after)}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
